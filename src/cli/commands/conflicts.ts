import type { Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { plural, shortOid } from '../../core/text.js';
import { currentConflicts, toReports } from '../../repo/landed.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

interface Args extends CommonArgs {
  id?: string;
}

/** `git session conflicts [<id>]`. */
export const spec = {
  command: 'conflicts [id]',
  describe: "landed changes since the session's base that touch its paths",
  builder: (y: Argv) => y.positional('id', { type: 'string', describe: 'session id or prefix (default: current)' }).options(jsonOption),
};

/** Runs `conflicts`: exit 0 none, 1 some. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.id);
  const c = await currentConflicts(repo, id);
  const reports = toReports(c.hits);
  const base = c.summary.base;
  if (args.json) printJson(env, { session: id, target: c.target, base, tip: c.tip, paths: c.files.length, conflicts: reports, baseSubstituted: c.baseSubstituted });
  else if (!reports.length) printLines(env, [`no landed change since ${shortOid(base)} touches the ${plural(c.files.length, 'path')} of ${shortId(id)}`]);
  else printLines(env, reports.map((r) => `${r.commit}${r.sessionId ? ` session ${shortId(r.sessionId)}` : ''}: ${r.paths.join(', ')}`));
  return reports.length ? 1 : 0;
}
