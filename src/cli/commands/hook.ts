import type { ArgsOf, Argv } from '../args.js';
import { AGENTS } from '../../core/agents/agents.js';
import { runAgentHook } from '../agent-hook.js';
import { pushSessions, sessionsInPush } from '../../repo/exchange.js';
import { type CliEnv, openRepo, readStdin } from '../env.js';
import { plural } from '../../core/text.js';
import { plainTransport } from '../../repo/transport.js';

/**
 * `git session hook pre-push <remote> <url>`: what the installed git hook calls; `git
 * session hook <agent> <event> [payload]`: what coding agents run (hidden; bin/git-session
 * sends the agents' calls to the lean entry hook-main.ts, this is the same run in-process).
 */
export const spec = {
  command: 'hook <name> [remote] [url]',
  describe: false as const,
  builder: (y: Argv) =>
    y
      .positional('name', { choices: ['pre-push', ...AGENTS] as const, demandOption: true })
      .positional('remote', { type: 'string' })
      .positional('url', { type: 'string' }),
};

type Args = ArgsOf<typeof spec>;

/**
 * Pushes the sessions of the commits being pushed. Never blocks the user's push: a
 * failure is a warning (the user's own chained hook decides with its exit code).
 */
export async function run(args: Args, env: CliEnv): Promise<number> {
  if (args.name !== 'pre-push') return runAgentHook(args.name, args.remote, args.url, env);
  if (env.env.GIT_SESSION_NO_HOOK) return 0;
  try {
    const repo = openRepo(env);
    const remote = args.remote ?? 'origin';
    const ids = await sessionsInPush(repo, remote, await readStdin(env));
    if (ids.length === 0) return 0;
    // A plain git child: the hook runs inside the user's push and loads nothing more.
    const r = await pushSessions(repo, remote, ids, { transport: plainTransport });
    if (r.pushed) env.stderr.write(`git-session: pushed ${plural(r.sessions.length, 'session')} to ${remote}\n`);
  } catch (e) {
    env.stderr.write(`git-session: warning: sessions not pushed: ${(e as Error).message}\n`);
  }
  return 0;
}
