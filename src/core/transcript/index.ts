// Agent transcript parsing: pure functions over one line at a time, so the caller (the
// bridge in src/repo/bridges/transcript-file.ts) streams files of any size from disk.
import { GsError } from '../errors.js';
import { createClaudeParser } from './claude.js';
import { createCodexParser } from './codex.js';
import { createGeminiParser } from './gemini.js';
import { isObj } from './common.js';
import type { TranscriptFormat, TranscriptParser } from './types.js';

export type { ParsedItem, TranscriptBody, TranscriptFormat, TranscriptMeta, TranscriptParser } from './types.js';
export { TRANSCRIPT_FORMATS } from './types.js';

/** A parser for `format`. */
export function createParser(format: TranscriptFormat): TranscriptParser {
  return format === 'codex' ? createCodexParser() : format === 'gemini' ? createGeminiParser() : createClaudeParser();
}

const CODEX_ENVELOPE = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted']);
const CODEX_BARE = new Set(['message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'local_shell_call', 'web_search_call']);
const CLAUDE_TYPES = new Set(['user', 'assistant', 'summary', 'system', 'file-history-snapshot', 'queue-operation', 'progress', 'result']);

/**
 * The format one line reveals, or undefined when it says nothing (blank, not JSON, or
 * an object neither format is known to write). Used line by line while streaming.
 */
export function sniffLine(line: string): TranscriptFormat | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!isObj(o)) return undefined;
  const type = typeof o.type === 'string' ? o.type : undefined;
  if (type && CODEX_ENVELOPE.has(type) && isObj(o.payload)) return 'codex';
  if (isGemini(o, type)) return 'gemini';
  if (o.record_type === 'state') return 'codex';
  if (type && CLAUDE_TYPES.has(type) && ('message' in o || 'sessionId' in o || 'uuid' in o || 'leafUuid' in o || 'messageId' in o || 'operation' in o || 'content' in o)) {
    return 'claude-code';
  }
  if (type && CODEX_BARE.has(type) && !('sessionId' in o)) return 'codex';
  // The legacy Codex header: a bare session meta object.
  if (!type && typeof o.id === 'string' && typeof o.timestamp === 'string' && ('instructions' in o || 'git' in o)) return 'codex';
  return undefined;
}

// Gemini CLI's session metadata line, or one of its message records (an `id`, no Claude
// `uuid`/`message`): checked before Claude Code, whose user lines also have a `content`.
const GEMINI_TYPES = new Set(['user', 'gemini', 'info', 'warning', 'error']);
function isGemini(o: Record<string, unknown>, type: string | undefined): boolean {
  if (typeof o.sessionId === 'string' && typeof o.projectHash === 'string') return true;
  return Boolean(type && GEMINI_TYPES.has(type) && typeof o.id === 'string' && 'content' in o && !('uuid' in o) && !('message' in o));
}

/** The format of a transcript from its first meaningful lines (`--format auto`); bad-input when they do not tell. */
export function detectFormat(firstLines: string[]): TranscriptFormat {
  for (const l of firstLines) {
    const f = sniffLine(l);
    if (f) return f;
  }
  throw new GsError('bad-input', 'cannot tell the transcript format from its first lines; pass --format claude-code, codex or gemini');
}
