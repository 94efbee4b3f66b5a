import type { ArgsOf, Argv } from '../args.js';
import { isGsError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { plural, shortOid } from '../../core/text.js';
import { conflictView } from '../../repo/conflict-context.js';
import { syncSession } from '../../repo/sync.js';
import { abortSync } from '../../repo/undo.js';
import { conflictLines } from '../conflict-lines.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

/** `git session sync [<id>] [--abort]`. */
export const spec = {
  command: 'sync [id]',
  describe: "move the session's base to the target's tip, rebasing its work (overlapping changes leave it conflicted; --abort goes back)",
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      abort: { type: 'boolean', describe: 'return a conflicted session to exactly its pre-sync work' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'the session is now (or already) conflicted, a refusal (another branch checked out, staged changes of its own), or the session is closed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `sync`: exit 0 synced (or already current, or aborted), 1 conflicted or refused. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  if (args.abort) {
    const r = await abortSync(repo, id);
    if (args.json) printJson(env, r);
    else printLines(env, [`aborted the sync of ${shortId(id)}: back to base ${shortOid(r.restored.base)}${r.restored.work ? `, work ${shortOid(r.restored.work)}` : ''}${r.worktree ? ` (${r.worktree.path}: ${r.worktree.reason})` : ''}`]);
    return 0;
  }
  try {
    const r = await syncSession(repo, id);
    if (r.conflicted) {
      const view = await conflictView(repo, await repo.store.readSummary(id));
      if (args.json) printJson(env, { ...r, conflictedPaths: view ?? null });
      else {
        printLines(env, [`synced ${shortId(id)} onto ${shortOid(r.to)} with conflicts${r.reused.length ? ` (${plural(r.reused.length, 'path')} resolved again as before: ${r.reused.join(', ')})` : ''}`, ...(view ? conflictLines(view, painter(env)) : [])]);
      }
      return view ? 1 : 0;
    }
    if (args.json) printJson(env, r);
    else printLines(env, [r.changed ? `synced ${shortId(id)}: base ${shortOid(r.from)} -> ${shortOid(r.to)}` : `${shortId(id)} is already based on the tip of its target`]);
    return 0;
  } catch (e) {
    if (isGsError(e) && e.code === 'conflict' && args.json) {
      printJson(env, e.details);
      return 1;
    }
    throw e;
  }
}
