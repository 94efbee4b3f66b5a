import type { ArgsOf, Argv } from '../args.js';
import { describeEvent } from '../../core/describe.js';
import type { EventKind, StoredEvent } from '../../core/types.js';
import { showSession } from '../../repo/sessions.js';
import { type CliEnv, fullOption, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

// Every kind once (a Record, so a kind added to the domain must be added here to compile).
const KIND_SET: Record<EventKind, true> = { start: true, prompt: true, message: true, decision: true, note: true, feedback: true, check: true, snapshot: true, conflict: true, resolution: true, undo: true, land: true, landing: true, export: true, import: true, sync: true, abandon: true, private: true };
const KINDS = Object.keys(KIND_SET) as EventKind[];

/** `git session log [<id>]`: the event timeline. */
export const spec = {
  command: 'log [id]',
  describe: "a session's event timeline",
  builder: (y: Argv) =>
    y
      .positional('id', idPositional)
      .options({ kind: { type: 'string', array: true, choices: KINDS, describe: 'only events of this kind (repeatable)' }, ...sessionOption, ...fullOption, ...jsonOption }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `log`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const { summary, events } = await showSession(repo, id, { full: args.full });
  // An event kept as data is found by the kind it was stored with.
  const kindOf = (e: StoredEvent) => (e.kind === 'foreign' ? e.type : e.kind) as EventKind;
  const shown = args.kind?.length ? events.filter((e) => args.kind!.includes(kindOf(e))) : events;
  if (args.json) {
    printJson(env, { session: id, events: shown });
    return 0;
  }
  const p = painter(env);
  const flagged = new Map((summary.flagged ?? []).map((f) => [f.id, f.reason]));
  printLines(env, shown.map((e) => {
    const text = describeEvent(e).split('\n');
    const why = e.kind !== 'foreign' && flagged.get(e.id);
    if (why) text[0] += ` ${p('red', `[not obeyed: ${why}]`)}`;
    const kind = e.kind === 'foreign' ? p('red', `?${e.type.slice(0, 7)}`.padEnd(8)) : p('cyan', e.kind.padEnd(8));
    const head = `${p('dim', e.ts.replace('T', ' ').slice(0, 19).padEnd(19))} ${kind} `;
    return head + text.join('\n' + ' '.repeat(29));
  }));
  return 0;
}
