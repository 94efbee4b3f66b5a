import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { shortOid } from '../../core/text.js';
import { undoSession } from '../../repo/undo.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session undo [<id>]`. */
export const spec = {
  command: 'undo [id]',
  describe: "revert the session's last operation (sync, snapshot, land that was not pushed, abandon); again goes further back",
  builder: (y: Argv) => y.positional('id', idPositional).options({ ...sessionOption, ...jsonOption }),
  exits: { 1: 'nothing left to undo, or a refusal (it was pushed, the target moved on, the worktree holds unrecorded changes)' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `undo`: exit 0 undone, 1 nothing to undo or refused. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const r = await undoSession(repo, id);
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const op = r.undone[0];
  const lines = [`undid the ${op.kind} of ${shortId(id)} (${op.id}): ${r.restored.state}, base ${shortOid(r.restored.base)}, work ${r.restored.work ? shortOid(r.restored.work) : 'none'}`];
  if (r.target) lines.push(`  ${r.target.ref.replace(/^refs\/heads\//, '')} moved back ${shortOid(r.target.from)} -> ${shortOid(r.target.to)}`);
  if (r.worktree) lines.push(`  worktree ${r.worktree.path}: ${r.worktree.reason}`);
  for (const w of r.others ?? []) (w.updated ? lines : []).push(`  worktree ${w.path}: ${w.reason}`);
  printLines(env, lines);
  for (const w of r.others ?? []) if (!w.updated) env.stderr.write(`warning: worktree ${w.path} ${w.reason}\n`);
  return 0;
}
