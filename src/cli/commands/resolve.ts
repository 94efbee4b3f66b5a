import type { ArgsOf, Argv } from '../args.js';
import { isGsError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { resolvePaths } from '../../repo/resolve.js';
import { type CliEnv, jsonOption, openRepo, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session resolve [<path>...] [--take ours|theirs]`. */
export const spec = {
  command: 'resolve [paths..]',
  describe: 'record conflicted paths (default: all) as resolved once their markers are gone',
  builder: (y: Argv) =>
    y.positional('paths', { type: 'string', array: true, describe: 'conflicted paths, as status lists them (default: all)' }).options({
      take: { choices: ['ours', 'theirs'] as const, describe: "first write the session's version (ours) or the target's (theirs)" },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'conflict markers remain in a named path (nothing recorded), or the session is not conflicted' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `resolve`: exit 0 recorded, 1 markers remain (nothing recorded). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.session);
  try {
    const r = await resolvePaths(repo, id, (args.paths ?? []).map(String), args.take);
    if (args.json) printJson(env, { session: id, resolved: r.resolved, remaining: r.remaining });
    else {
      const lines = [`resolved ${r.resolved.map((p) => `${p.path} (${p.how})`).join(', ') || 'nothing'} in ${shortId(id)}`];
      lines.push(r.remaining.length ? `still conflicted: ${r.remaining.join(', ')}` : `${shortId(id)} is open again: git session land when ready`);
      printLines(env, lines);
    }
    return 0;
  } catch (e) {
    if (isGsError(e) && e.code === 'conflict' && args.json) {
      printJson(env, e.details);
      return 1;
    }
    throw e;
  }
}
