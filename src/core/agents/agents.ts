// The coding agents git-session captures live, and what each one needs: the hook events
// installed in its settings (names as the agent spells them), what each event means to
// us, where its settings live, and which of its tools edit files. Formats were read
// from the agents' own packages: @anthropic-ai/claude-agent-sdk (HookInput types),
// @openai/codex (the hook input JSON schemas embedded in the 0.171 binary, and its
// legacy `notify` program), @google/gemini-cli-core (hooks/types.d.ts, docs/hooks).
import type { TranscriptFormat } from '../transcript/types.js';

/** The agents `hooks install` knows. */
export const AGENTS = ['claude-code', 'codex', 'gemini'] as const;

/** One of AGENTS. */
export type AgentName = (typeof AGENTS)[number];

/** What a hook event means to the capture. */
export type HookRole = 'start' | 'prompt' | 'tool' | 'turn-end' | 'compact' | 'end';

/** One installed hook event: its name in the agent's settings and what it means to us. */
export interface HookEventSpec {
  event: string;
  role: HookRole;
}

/** Everything git-session needs to know about one agent. */
export interface AgentSpec {
  name: AgentName;
  /** How people call it. */
  label: string;
  /** The settings file format: JSON with comments (Claude Code, Gemini) or TOML (Codex). */
  format: 'json' | 'toml';
  /** The project settings file, relative to the worktree top. */
  projectFile: string;
  /** The instructions file the agent reads (`hooks instructions` prints a block for it). */
  instructionsFile: string;
  /** Events installed, in the order the agent runs them. */
  events: HookEventSpec[];
  /** The agent's timeout unit in its settings. */
  timeoutUnit: 's' | 'ms';
  /** Tool names whose call edits files (a snapshot follows). */
  editTools: ReadonlySet<string>;
  /** The transcript format its `transcript_path` points at. */
  transcript: TranscriptFormat;
}

// Every agent runs its hooks in this order; a role may have more than one event.
const LIFECYCLE: HookRole[] = ['start', 'prompt', 'tool', 'compact', 'turn-end', 'end'];

/** An agent's hook events in the order it runs them, from its names for each role. */
function lifecycle(names: Record<HookRole, string | string[]>): HookEventSpec[] {
  return LIFECYCLE.flatMap((role) => [names[role]].flat().map((event) => ({ event, role })));
}

const CLAUDE: AgentSpec = {
  name: 'claude-code',
  label: 'Claude Code',
  format: 'json',
  projectFile: '.claude/settings.json',
  instructionsFile: 'CLAUDE.md',
  events: lifecycle({ start: 'SessionStart', prompt: 'UserPromptSubmit', tool: ['PostToolUse', 'PostToolUseFailure'], compact: 'PreCompact', 'turn-end': 'Stop', end: 'SessionEnd' }),
  timeoutUnit: 's',
  editTools: new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']),
  transcript: 'claude-code',
};

const CODEX: AgentSpec = {
  name: 'codex',
  label: 'Codex',
  format: 'toml',
  projectFile: '.codex/config.toml',
  instructionsFile: 'AGENTS.md',
  events: lifecycle({ start: 'SessionStart', prompt: 'UserPromptSubmit', tool: 'PostToolUse', compact: 'PreCompact', 'turn-end': 'Stop', end: 'SessionEnd' }),
  timeoutUnit: 's',
  editTools: new Set(['apply_patch', 'Edit', 'Write']),
  transcript: 'codex',
};

const GEMINI: AgentSpec = {
  name: 'gemini',
  label: 'Gemini CLI',
  format: 'json',
  projectFile: '.gemini/settings.json',
  instructionsFile: 'GEMINI.md',
  events: lifecycle({ start: 'SessionStart', prompt: 'BeforeAgent', tool: 'AfterTool', compact: 'PreCompress', 'turn-end': 'AfterAgent', end: 'SessionEnd' }),
  timeoutUnit: 'ms',
  editTools: new Set(['write_file', 'replace', 'edit']),
  transcript: 'gemini',
};

const SPECS: Record<AgentName, AgentSpec> = { 'claude-code': CLAUDE, codex: CODEX, gemini: GEMINI };

/** The spec of an agent. */
export function agentSpec(name: AgentName): AgentSpec {
  return SPECS[name];
}

/** True for a name in AGENTS. */
export function isAgentName(s: string): s is AgentName {
  return (AGENTS as readonly string[]).includes(s);
}

/** Codex's `notify` program runs at the end of each turn with one JSON argument. */
export const CODEX_NOTIFY = 'notify';

/** What `event` (as installed, or Codex's `notify`) means for `agent`, if we know it. */
export function roleOf(agent: AgentName, event: string): HookRole | undefined {
  if (agent === 'codex' && event === CODEX_NOTIFY) return 'turn-end';
  return SPECS[agent].events.find((e) => e.event === event)?.role;
}

/** Seconds an agent may let our hook run for an event of `role` (turn ends read the transcript and snapshot). */
export function timeoutSeconds(role: HookRole): number {
  return role === 'turn-end' || role === 'end' || role === 'compact' ? 60 : 30;
}
