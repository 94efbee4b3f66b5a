import type { Argv } from '../args.js';
import { describeEvent } from '../../core/describe.js';
import type { StoredEvent } from '../../core/types.js';
import { showSession } from '../../repo/sessions.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

interface Args extends CommonArgs {
  id?: string;
  kind?: string[];
}

/** `git session log [<id>]`: the event timeline. */
export const spec = {
  command: 'log [id]',
  describe: "a session's event timeline",
  builder: (y: Argv) =>
    y
      .positional('id', { type: 'string', describe: 'session id or prefix (default: current)' })
      .options({ kind: { type: 'string', array: true, describe: 'only events of these kinds' }, ...jsonOption }),
};

/** Runs `log`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.id);
  const { summary, events } = await showSession(repo, id);
  const kindOf = (e: StoredEvent) => (e.kind === 'foreign' ? e.type : e.kind);
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
