import type { ArgsOf, Argv } from '../args.js';
import { AGENTS } from '../../core/agents/agents.js';
import { runAgentHook } from '../agent-hook.js';
import { OUR_HOOK_NAMES, POLICY_ENV, REFUSE_EXIT } from '../../core/hookscript.js';
import { SESSIONS_PREFIX, parseSessionRef } from '../../core/layout.js';
import { pushSessions, sessionsInPush } from '../../repo/exchange.js';
import { POLICIES, policyKey, readPolicy } from '../../repo/publish.js';
import type { Repo } from '../../repo/repo.js';
import { type CliEnv, openRepo, readStdin } from '../env.js';
import { describePush } from '../publish-text.js';
import { plural } from '../../core/text.js';
import { plainTransport } from '../../repo/transport.js';
import { followCherryPick, followedLines, followRewrites } from '../../repo/rewrites.js';

/**
 * `git session hook pre-push <remote> <url>`, `hook post-rewrite <amend|rebase>`, `hook
 * post-commit`: what the installed git hook wrappers call; `git session hook <agent>
 * <event> [payload]`: what coding agents run (hidden; bin/git-session sends the agents'
 * calls to the lean entry hook-main.ts, this is the same run in-process).
 */
export const spec = {
  command: 'hook <name> [remote] [url]',
  describe: false as const,
  builder: (y: Argv) =>
    y
      .positional('name', { choices: [...OUR_HOOK_NAMES, ...AGENTS] as const, demandOption: true })
      .positional('remote', { type: 'string' })
      .positional('url', { type: 'string' }),
};

type Args = ArgsOf<typeof spec>;

/**
 * Publishes the sessions of the commits being pushed, as the remote's choice says: `push`
 * pushes them, `ask` (and a remote with no choice) prints what would go and pushes
 * nothing, `never` stays silent. Never blocks the user's push, except one that itself
 * carries session refs policy keeps home (exit REFUSE_EXIT: the wrapper turns it into 1).
 */
export async function run(args: Args, env: CliEnv): Promise<number> {
  if (args.name === 'post-rewrite' || args.name === 'post-commit') return env.env.GIT_SESSION_NO_HOOK ? 0 : follow(args.name, args.remote, env);
  if (args.name !== 'pre-push') return runAgentHook(args.name, args.remote, args.url, env);
  if (env.env.GIT_SESSION_NO_HOOK) return 0;
  try {
    const repo = openRepo(env);
    const remote = args.remote ?? 'origin';
    const input = await readStdin(env);
    // The wrapper already read the remote's choice (empty: none); called directly, read it here.
    const handed = env.env[POLICY_ENV];
    const policy = handed !== undefined ? (POLICIES.find((p) => p === handed.trim().toLowerCase()) ?? undefined) : await readPolicy(repo, remote);
    const refusal = await refuseSessionRefs(repo, remote, policy, input);
    if (refusal) {
      env.stderr.write(`git-session: refusing this push: ${refusal} (git push --no-verify skips this check)\n`);
      return REFUSE_EXIT;
    }
    if (policy === 'never') return 0;
    const ids = await sessionsInPush(repo, remote, input);
    if (ids.length === 0) return 0;
    // A plain git child: the hook runs inside the user's push and loads nothing more.
    const transport = plainTransport;
    if (policy !== 'push') {
      const plan = await pushSessions(repo, remote, ids, { dryRun: true, transport });
      if (!plan.refs?.length) return 0;
      const why = policy === 'ask' ? `${policyKey(remote)} = ask` : `${remote} has no ${policyKey(remote)} choice yet`;
      env.stderr.write(`git-session: not publishing sessions to ${remote} (${why}); this push would carry:\n`);
      for (const l of describePush(plan)) env.stderr.write(`  ${l}\n`);
      env.stderr.write(`git-session: publish them with: git session push ${remote}\n`);
      return 0;
    }
    const r = await pushSessions(repo, remote, ids, { transport });
    if (r.pushed) env.stderr.write(`git-session: pushed ${plural(r.sessions.length, 'session')} to ${remote}\n`);
    for (const s of r.skipped) env.stderr.write(`git-session: warning: session ${s.id} not pushed: ${s.reason}\n`);
  } catch (e) {
    env.stderr.write(`git-session: warning: sessions not pushed: ${(e as Error).message}\n`);
  }
  return 0;
}

/** Why a push that names refs/sessions/* itself must not go (private session, or a `never` remote). */
async function refuseSessionRefs(repo: Repo, remote: string, policy: string | undefined, input: string): Promise<string | undefined> {
  for (const line of input.split('\n')) {
    const [localRef, localSha, remoteRef] = line.trim().split(/\s+/);
    if (!localRef || !remoteRef?.startsWith(SESSIONS_PREFIX) || /^0+$/.test(localSha ?? '')) continue;
    if (policy === 'never') return `${remote} receives no sessions (${policyKey(remote)} = never)`;
    const id = parseSessionRef(localRef)?.id ?? parseSessionRef(remoteRef)?.id;
    if (id && (await repo.store.metaTip(id)) && (await repo.store.readSummary(id)).private) return `session ${id} is private`;
  }
  return undefined;
}

/**
 * post-rewrite and post-commit: the rewritten (or cherry-picked) copies of commits sessions
 * hold become their landings. Errors go to the wrapper, which warns and lets git go on.
 */
async function follow(name: 'post-rewrite' | 'post-commit', kind: string | undefined, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const list = name === 'post-rewrite' ? await followRewrites(repo, await readStdin(env), kind) : await followCherryPick(repo);
  for (const line of followedLines(list)) env.stderr.write(`${line}\n`);
  return 0;
}
