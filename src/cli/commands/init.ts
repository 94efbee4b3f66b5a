import type { ArgsOf, Argv } from '../args.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { initRepo } from '../../repo/adopt.js';

/** `git session init`: adopt sessions in this repository (idempotent). */
export const spec = {
  command: 'init',
  describe: 'adopt sessions in this repo: refspecs, pre-push hook, local index (idempotent)',
  builder: (y: Argv) => y.options(jsonOption),
};

type Args = ArgsOf<typeof spec>;

/** Runs `init`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await initRepo(repo);
  if (args.json) printJson(env, r);
  else printLines(env, [r.changed.length ? `initialised git-session: ${r.changed.join('; ')}` : 'git-session already initialised: nothing to do']);
  return 0;
}
