// Decisions an agent records with `git session decide` (as `hooks instructions` asks it
// to) are attributed to it: the hook notes which agent works in this worktree and
// whether a turn of its is under way; a decision on that agent's session, made during
// its turn or from a process the agent started, carries the agent's name and model.
import type { AgentName } from '../../core/agents/agents.js';
import type { AgentInfo } from '../../core/types.js';
import type { Repo } from '../repo.js';
import { readWorktreeAgent } from './state.js';

// What each agent sets in the environment of the commands it runs.
const MARKERS: Record<AgentName, string[]> = {
  'claude-code': ['CLAUDECODE'],
  codex: ['CODEX_THREAD_ID', 'CODEX_SANDBOX'],
  gemini: ['GEMINI_CLI'],
};

/** The agent a decision on session `id` comes from, if it comes from one. */
export async function decisionAgent(repo: Repo, id: string): Promise<AgentInfo | undefined> {
  const w = await readWorktreeAgent(repo.paths.gitDir);
  if (!w || w.session !== id) return undefined;
  const fromAgent = MARKERS[w.agent]?.some((k) => repo.env[k]);
  if (!w.active && !fromAgent) return undefined;
  return { name: w.agent, ...(w.model ? { model: w.model } : {}) };
}
