// An agent's hook payload, read as data from another program: every field is checked
// for its type before it is used, anything unexpected is left out, and the event is
// turned into one shape the capture understands whatever agent sent it. Each event
// gets a stable source id from the ids the agent gives it (Claude Code's prompt_id and
// tool_use_id, Codex's turn_id and tool_use_id, Gemini's per-event timestamp): the same
// event delivered twice (the same hook in two settings layers, a retry) is stored once.
import { createHash } from 'node:crypto';
import { type AgentName, CODEX_NOTIFY, type HookRole, roleOf } from './agents.js';

/** A tool call as the agent reported it (input and response as sent: summarised later). */
export interface ToolReport {
  name: string;
  input: unknown;
  response: unknown;
  /** The failure message of a failed call (Claude Code's PostToolUseFailure). */
  error?: string;
}

/** One hook event, whatever agent sent it. */
export interface AgentEvent {
  agent: AgentName;
  /** The event name as installed (`PostToolUse`, `AfterTool`, `notify`...). */
  event: string;
  role: HookRole;
  /** The agent's own session (thread) id. */
  sessionId: string;
  /** Where the agent runs (absolute), when it said. */
  cwd?: string;
  /** The agent's transcript file, when it has one. */
  transcript?: string;
  model?: string;
  /** SessionStart: startup, resume, clear, compact, fork. */
  source?: string;
  /** Prompts of this event (one for a prompt event; Codex notify sends the turn's). */
  prompts: string[];
  tool?: ToolReport;
  /** The agent's last message of the turn, when the payload carries it. */
  lastMessage?: string;
  /** Stable id of this delivery's content, for prompts, tools and the last message. */
  src: (part: string) => string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 1 << 20): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

// Ids and names are short printable words; anything else is not trusted as an id.
const ID = /^[\w.:@/+=-]{1,200}$/;
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && ID.test(v) ? v : undefined);

/** A short stable id from its parts (sha1, 20 hex digits, the width transcript imports use). */
export function sourceId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex').slice(0, 20);
}

/**
 * Reads one payload (already JSON-decoded) for `agent`'s `event`. Undefined when the
 * event is not one we capture or the payload lacks what makes it usable (a session id).
 */
export function readPayload(agent: AgentName, event: string, raw: unknown): AgentEvent | undefined {
  if (!isObj(raw)) return undefined;
  const role = roleOf(agent, event);
  if (!role) return undefined;
  if (agent === 'codex' && event === CODEX_NOTIFY) return readNotify(raw);
  const sessionId = idOf(raw.session_id);
  if (!sessionId) return undefined;
  // The id of this event's content: the agent's own ids where it has them.
  const eventKey = idOf(raw.prompt_id) ?? idOf(raw.turn_id) ?? str(raw.timestamp, 64) ?? '';
  const out: AgentEvent = {
    agent,
    event,
    role,
    sessionId,
    cwd: str(raw.cwd, 4096),
    transcript: str(raw.transcript_path, 4096) || undefined,
    model: idOf(raw.model),
    source: idOf(raw.source),
    prompts: [],
    src: (part) => sourceId(agent, sessionId, part, eventKey),
  };
  if (role === 'prompt') {
    const p = str(raw.prompt);
    if (p !== undefined) out.prompts.push(p);
    // Without an id to tell two identical prompts apart, the text is the identity.
    if (!eventKey && p !== undefined) out.src = (part) => sourceId(agent, sessionId, part, p);
  }
  if (role === 'tool') {
    const name = idOf(raw.tool_name) ?? 'tool';
    out.tool = { name, input: raw.tool_input, response: raw.tool_response };
    const err = str(raw.error);
    if (err !== undefined) out.tool.error = err;
    const callId = idOf(raw.tool_use_id);
    if (callId) out.src = (part) => sourceId(agent, sessionId, part, callId);
    else out.src = (part) => sourceId(agent, sessionId, part, eventKey, name);
  }
  if (role === 'turn-end') {
    // Claude Code and Codex: last_assistant_message; Gemini's AfterAgent: prompt_response.
    const last = str(raw.last_assistant_message) ?? str(raw.prompt_response);
    if (last?.trim()) out.lastMessage = last;
  }
  return out;
}

/** Codex's legacy `notify` payload: `agent-turn-complete` with the turn's prompts and last message. */
function readNotify(raw: Obj): AgentEvent | undefined {
  if (raw.type !== 'agent-turn-complete') return undefined;
  const sessionId = idOf(raw['thread-id']);
  const turn = idOf(raw['turn-id']) ?? '';
  if (!sessionId) return undefined;
  const inputs = Array.isArray(raw['input-messages']) ? raw['input-messages'].filter((m): m is string => typeof m === 'string' && m.trim() !== '') : [];
  const last = str(raw['last-assistant-message']);
  return {
    agent: 'codex',
    event: CODEX_NOTIFY,
    role: 'turn-end',
    sessionId,
    cwd: str(raw.cwd, 4096),
    prompts: inputs,
    lastMessage: last?.trim() ? last : undefined,
    // The same ids Codex's hooks carry (thread = session, turn): a turn seen by both is stored once.
    src: (part) => sourceId('codex', sessionId, part, turn),
  };
}
