import type { ArgsOf, Argv } from '../args.js';
import { GsError, isGsError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { autoGc } from '../../repo/archive.js';
import { landSession, type LandResult } from '../../repo/land.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { shortOid } from '../../core/text.js';

/** `git session land [<id>] [--onto b] [--strategy squash|merge] [--dry-run]`. */
export const spec = {
  command: 'land [id]',
  describe: 'conflict check, three-way merge, atomic update of the target branch',
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      onto: { type: 'string', describe: 'target branch (default: the session target)' },
      strategy: { choices: ['squash', 'merge'] as const, default: 'squash' as const, describe: 'one commit, or the work commits under a merge commit' },
      'dry-run': { type: 'boolean', describe: 'report what would happen; change nothing' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'a conflict (recorded as a conflict event; nothing else moves), or the session is closed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `land`: exit 0 landed (or would land), 1 conflict. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  let r: LandResult;
  try {
    r = await landSession(repo, id, { onto: args.onto, strategy: args.strategy, dryRun: args.dryRun });
  } catch (e) {
    if (isGsError(e) && e.code === 'conflict' && args.json) {
      printJson(env, e.details);
      return 1;
    }
    throw e;
  }
  // Like git's gc --auto: archives closed sessions only when many sessions have refs.
  if (!r.dryRun) await autoGc(repo);
  if (args.json) {
    printJson(env, r);
    return r.conflicts.length ? 1 : 0;
  }
  const lines: string[] = [];
  if (r.dryRun) {
    lines.push(r.conflicts.length ? `would conflict on ${r.target}: ${r.conflicts.join(', ')}` : `would land ${shortId(id)} on ${r.target} cleanly (${r.strategy})`);
  } else {
    lines.push(`landed ${shortId(id)} on ${r.target} as ${r.commit} (${r.strategy})`);
  }
  for (const o of r.overlapping) lines.push(`  overlaps ${shortOid(o.commit)}${o.sessionId ? ` (session ${shortId(o.sessionId)})` : ''}: ${o.paths.join(', ')}`);
  for (const w of r.worktrees) (w.updated ? lines : []).push(`  worktree ${w.path}: ${w.reason}`);
  printLines(env, lines);
  for (const w of r.worktrees) if (!w.updated) env.stderr.write(`warning: worktree ${w.path} ${w.reason}\n`);
  if (r.dryRun && r.conflicts.length) throw new GsError('conflict', `landing ${shortId(id)} would conflict`);
  return 0;
}
