import type { ArgsOf, Argv } from '../args.js';
import { pullSessions } from '../../repo/exchange.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';

/** `git session pull [remote]`. */
export const spec = {
  command: 'pull [remote]',
  describe: "fetch the remote's sessions and merge them (union of events; nothing lost)",
  builder: (y: Argv) => y.positional('remote', { type: 'string', default: 'origin' }).options(jsonOption),
  exits: { 1: 'session refs kept moving while merging', 3: 'git could not fetch' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `pull`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const line = progressLine(env, args);
  const r = await pullSessions(repo, args.remote, { onProgress: line.onProgress }).finally(() => line.done());
  if (args.json) printJson(env, r);
  else printLines(env, [`from ${r.remote}: ${r.created.length} new, ${r.fastForwarded.length} updated, ${r.merged.length} merged, ${r.unchanged} unchanged`]);
  return 0;
}
