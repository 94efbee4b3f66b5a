import type { ArgsOf, Argv } from '../args.js';
import { postReceive, preReceive } from '../../repo/server/hook.js';
import { runWorker } from '../../repo/server/worker.js';
import { type CliEnv, openRepo, readStdin } from '../env.js';

/**
 * `git session server-hook pre-receive|post-receive|work`: what the receive hooks `server
 * init` installs call (hidden); `work` drains the landing queue (post-receive starts it
 * detached; with session.serverWorker = manual, run it from cron or by hand).
 */
export const spec = {
  command: 'server-hook <name>',
  describe: false as const,
  builder: (y: Argv) => y.positional('name', { choices: ['pre-receive', 'post-receive', 'work'] as const, demandOption: true }),
};

type Args = ArgsOf<typeof spec>;

/** Runs a receive hook's part, or the worker. pre-receive exits 1 to refuse the push. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  if (args.name === 'work') {
    const r = await runWorker(repo);
    for (const d of r.deferred) env.stderr.write(`git-session: ${d.session} left queued: ${d.reason}\n`);
    return 0;
  }
  const input = await readStdin(env);
  if (args.name === 'pre-receive') {
    const refusals = await preReceive(repo, input, env.env);
    for (const l of refusals) env.stderr.write(l + '\n');
    return refusals.length ? 1 : 0;
  }
  await postReceive(repo, input, env.env, (l) => env.stderr.write(l + '\n'));
  return 0;
}
