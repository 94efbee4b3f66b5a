import type { ArgsOf, Argv } from '../args.js';
import { usage } from '../../core/errors.js';
import { browseData } from '../../repo/browse.js';
import { type CliEnv, openRepo } from '../env.js';

/** `git session tui`: the Ink browser. */
export const spec = {
  command: 'tui',
  describe: 'browse sessions, their reasoning timeline, decisions and diffs',
  builder: (y: Argv) => y,
};

type Args = ArgsOf<typeof spec>;

/** Runs `tui`; ink and react load only here, so no other command pays for them. */
export async function run(_args: Args, env: CliEnv): Promise<number> {
  if (!env.stdout.isTTY) throw usage('git session tui needs a terminal; use git session list or git session show when piping');
  const repo = openRepo(env);
  // React picks its build when first loaded: production mode halves the cost of a frame.
  process.env.NODE_ENV ??= 'production';
  // Ink draws nothing until exit when it thinks it runs in CI; we have checked for a TTY.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { runTui } = await import('../../tui/index.js');
  return runTui(browseData(repo), { noColor: Boolean(env.env.NO_COLOR), now: env.clock });
}
