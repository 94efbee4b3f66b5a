import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { plural, shortOid } from '../../core/text.js';
import { conflictView } from '../../repo/conflict-context.js';
import { currentConflicts, toReports } from '../../repo/landed.js';
import { conflictLines } from '../conflict-lines.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';

/** `git session conflicts [<id>]`. */
export const spec = {
  command: 'conflicts [id]',
  describe: "landed changes since the session's base that touch its paths (a conflicted session: its conflicted paths and both sides' reasoning)",
  builder: (y: Argv) => y.positional('id', idPositional).options({ ...sessionOption, ...jsonOption }),
  exits: { 1: "landed changes touch the session's paths, or the session is conflicted" },
};

type Args = ArgsOf<typeof spec>;

/** Runs `conflicts`: exit 0 none, 1 some. Records nothing: the answer is for the checkout as it is. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const c = await currentConflicts(repo, id);
  const conflicted = await conflictView(repo, c.summary);
  if (conflicted) {
    if (args.json) printJson(env, { session: id, state: c.summary.state, target: c.target, base: c.base, tip: c.tip, conflicted });
    else printLines(env, conflictLines(conflicted, painter(env)));
    return 1;
  }
  const reports = toReports(c.hits);
  if (args.json) printJson(env, { session: id, target: c.target, base: c.base, tip: c.tip, paths: c.files.length, conflicts: reports, baseSubstituted: c.baseSubstituted });
  else if (!reports.length) printLines(env, [`no landed change since ${shortOid(c.base)} touches the ${plural(c.files.length, 'path')} of ${shortId(id)}`]);
  else printLines(env, reports.map((r) => `${r.commit}${r.sessionId ? ` session ${shortId(r.sessionId)}` : ''}: ${r.paths.join(', ')}`));
  return reports.length ? 1 : 0;
}
