// `git session hooks instructions <agent>`: agents emit no decisions of their own, so
// this block (for CLAUDE.md, AGENTS.md or GEMINI.md) asks the agent to record them.
import { agentSpec, type AgentName } from './agents.js';

/** The block to paste into the agent's instructions file. */
export function instructionsBlock(agent: AgentName): string {
  const spec = agentSpec(agent);
  return [
    '## Recording decisions (git-session)',
    '',
    `This repository records ${spec.label} sessions with git-session: prompts, tool calls and`,
    'your messages are captured automatically. Decisions are not: when you choose between',
    'approaches (a library, a data structure, an API shape, a fix over another), record it',
    'once, before acting on it:',
    '',
    '    git session decide "<what you chose>" --because "<why>" \\',
    '      --rejected "<alternative>: <why not>" --rejected "<another>: <why not>"',
    '',
    'Keep each one to a line or two. Do not record secrets in them.',
    '',
  ].join('\n');
}
