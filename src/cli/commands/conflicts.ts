import type { ArgsOf, Argv } from '../args.js';
import { GsError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { diffPaths } from '../../git/snapshot.js';
import { branchRef, landedConflicts, toReports } from '../../repo/landed.js';
import { snapshot } from '../../repo/work.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session conflicts [<id>]`. */
export const spec = {
  command: 'conflicts [id]',
  describe: "landed changes since the session's base that touch its paths",
  builder: (y: Argv) => y.positional('id', idPositional).options({ ...sessionOption, ...jsonOption }),
  exits: { 1: 'landed changes touch the session\'s paths' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `conflicts`: exit 0 none, 1 some. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  // Like land, look at the session as it is on disk now (jj-style snapshot first).
  let s = await repo.store.readSummary(id);
  if (s.state === 'open') s = (await snapshot(repo, id))?.summary ?? s;
  const work = await repo.store.workTip(id);
  const targetRef = branchRef(s.target);
  const tip = await repo.store.objects.resolve(targetRef);
  if (!tip) throw new GsError('unknown-ref', `no branch '${s.target}'`);
  const paths = work ? (await diffPaths(repo.cwd, s.base, work)).map((f) => f.path) : [];
  const q = await landedConflicts(repo, targetRef, s.base, tip, paths);
  const reports = toReports(q.hits);
  if (args.json) printJson(env, { session: id, target: s.target, base: s.base, tip, paths: paths.length, conflicts: reports, baseSubstituted: q.baseSubstituted });
  else if (!reports.length) printLines(env, [`no landed change since ${s.base.slice(0, 12)} touches the ${paths.length} path${paths.length === 1 ? '' : 's'} of ${shortId(id)}`]);
  else printLines(env, reports.map((r) => `${r.commit}${r.sessionId ? ` session ${shortId(r.sessionId)}` : ''}: ${r.paths.join(', ')}`));
  return reports.length ? 1 : 0;
}
