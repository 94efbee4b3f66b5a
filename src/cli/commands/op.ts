import type { ArgsOf, Argv } from '../args.js';
import { shortOid } from '../../core/text.js';
import { sessionOps } from '../../repo/undo.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

/** `git session op log [<id>]`. */
export const spec = {
  command: 'op <action> [id]',
  describe: "a session's operation log: what each ref-moving command changed, and what undo reverted",
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ['log'] as const })
      .positional('id', idPositional)
      .options({ ...sessionOption, ...jsonOption }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `op log`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const ops = await sessionOps(repo, id);
  const rows = ops.map((o) => ({
    id: o.id,
    kind: o.kind,
    ts: o.ts,
    events: o.events,
    state: { from: o.before.state, to: o.after.state },
    base: { from: o.before.base, to: o.after.base },
    work: { from: o.workBefore, to: o.after.work ?? null },
    ...(o.undoneBy ? { undoneBy: o.undoneBy } : {}),
  }));
  if (args.json) {
    printJson(env, { session: id, ops: rows });
    return 0;
  }
  const p = painter(env);
  const oid = (x: string | null) => (x ? shortOid(x) : 'none');
  printLines(env, rows.length ? rows.map((r) => {
    const moved = [r.state.from !== r.state.to ? `state ${r.state.from} -> ${r.state.to}` : '', r.base.from !== r.base.to ? `base ${oid(r.base.from)} -> ${oid(r.base.to)}` : '', r.work.from !== r.work.to ? `work ${oid(r.work.from)} -> ${oid(r.work.to)}` : ''].filter(Boolean).join(', ');
    return `${p('dim', r.ts.replace('T', ' ').slice(0, 19))} ${p('cyan', r.kind.padEnd(10))} ${r.id}  ${moved}${r.undoneBy ? p('yellow', `  (undone by ${r.undoneBy})`) : ''}`;
  }) : ['no operations yet']);
  return 0;
}
