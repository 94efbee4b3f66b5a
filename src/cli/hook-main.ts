// The lean entry point for `git session hook <agent> <event>` (bin/git-session loads it
// instead of main.js): an agent runs it on every prompt and tool call, so it loads the
// capture alone — no command table, no yargs, no isomorphic-git, LevelDB or ink (the
// heavier pieces of a turn's end load when needed). It writes nothing anywhere but the
// repository, and gives up quietly past a deadline so the agent is never held.
import { roleOf, isAgentName } from '../core/agents/agents.js';
import { runAgentHook } from './agent-hook.js';
import type { CliEnv } from './env.js';

/** Seconds before the hook stops (the agents' own timeouts we install are 30 and 60). */
const DEADLINE_S = { quick: 25, long: 55 };

/** Runs `hook <agent> <event> [json]`; always 0. */
export async function main(argv: string[]): Promise<number> {
  const [, agent, event, arg] = argv;
  // Nothing may reach the agent: not our output, not a library's, not a warning.
  const mute = (() => true) as typeof process.stdout.write;
  process.stdout.write = mute;
  process.stderr.write = mute;
  process.removeAllListeners('warning');
  const role = isAgentName(agent) && event ? roleOf(agent, event) : undefined;
  const long = role === 'turn-end' || role === 'end' || role === 'compact';
  // The one place a process exits early: the event is dropped rather than hold the agent.
  setTimeout(() => process.exit(0), (long ? DEADLINE_S.long : DEADLINE_S.quick) * 1000).unref();
  const pinned = process.env.GIT_SESSION_NOW ? Date.parse(process.env.GIT_SESSION_NOW) : NaN;
  const t0 = Date.now();
  const env: CliEnv = {
    cwd: process.cwd(),
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: process.stdin,
    clock: Number.isFinite(pinned) ? () => pinned + (Date.now() - t0) : () => Date.now(),
    env: process.env,
  };
  try {
    await runAgentHook(agent, event, arg, env);
  } catch {
    /* runAgentHook logs what it can; nothing else may happen here */
  }
  return 0;
}
