import type { ArgsOf, Argv } from '../args.js';
import { describeEvent } from '../../core/describe.js';
import type { EventKind, SessionEvent } from '../../core/types.js';
import { showSession } from '../../repo/sessions.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

// Every kind once (a Record, so a kind added to the domain must be added here to compile).
const KIND_SET: Record<EventKind, true> = { start: true, prompt: true, message: true, decision: true, note: true, feedback: true, check: true, snapshot: true, conflict: true, land: true, import: true, sync: true, abandon: true, private: true };
const KINDS = Object.keys(KIND_SET) as EventKind[];

/** `git session log [<id>]`: the event timeline. */
export const spec = {
  command: 'log [id]',
  describe: "a session's event timeline",
  builder: (y: Argv) =>
    y
      .positional('id', idPositional)
      .options({ kind: { type: 'string', array: true, choices: KINDS, describe: 'only events of this kind (repeatable)' }, ...sessionOption, ...jsonOption }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `log`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const { events } = await showSession(repo, id);
  const shown = args.kind?.length ? events.filter((e) => args.kind!.includes(e.kind)) : events;
  if (args.json) {
    printJson(env, { session: id, events: shown });
    return 0;
  }
  const p = painter(env);
  printLines(env, shown.map((e: SessionEvent) => {
    const text = describeEvent(e).split('\n');
    const head = `${p('dim', e.ts.replace('T', ' ').slice(0, 19))} ${p('cyan', e.kind.padEnd(8))} `;
    return head + text.join('\n' + ' '.repeat(29));
  }));
  return 0;
}
