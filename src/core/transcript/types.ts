import type { EventBody } from '../types.js';

/** Agent transcript formats we can import. */
export type TranscriptFormat = 'claude-code' | 'codex' | 'gemini';

/** Every format name, for `--format` validation and help text. */
export const TRANSCRIPT_FORMATS: readonly TranscriptFormat[] = ['claude-code', 'codex', 'gemini'];

/** The event kinds a transcript produces. */
export type TranscriptBody = Extract<EventBody, { kind: 'prompt' | 'message' | 'note' }>;

/** One conversation item read from a transcript, ready to become a session event. */
export interface ParsedItem {
  /** The line's own timestamp (ISO 8601) when it had one. */
  ts?: string;
  body: TranscriptBody;
  /** The item's own stable id in its format, when it has one (Gemini repeats a message record as it updates it). */
  key?: string;
}

/** What a parser learnt about the session while reading, and what it left out. */
export interface TranscriptMeta {
  /** First real model seen (Claude Code's `message.model`, Codex's `turn_context.model`). */
  model?: string;
  sessionId?: string;
  cwd?: string;
  branch?: string;
  /** Non-blank lines read. */
  lines: number;
  /** Lines and content blocks not turned into items (unknown types, telemetry, empty text). */
  skipped: number;
  /** `skipped` broken down by what was skipped, e.g. `{ 'file-history-snapshot': 3 }`. */
  skippedTypes: Record<string, number>;
  /** Tool calls emitted without their result, plus results whose call was never seen. */
  unpaired: number;
}

/**
 * A streaming parser: feed it one line at a time (any file size, bounded memory) and
 * collect the items each call returns; `finish` returns what was held back (tool calls
 * still waiting for their result).
 */
export interface TranscriptParser {
  readonly format: TranscriptFormat;
  readonly meta: TranscriptMeta;
  /** Items completed by this line (often none, sometimes several). Throws bad-input on a malformed line. */
  feed(line: string, lineNo: number): ParsedItem[];
  /** Items still held back at end of input. */
  finish(): ParsedItem[];
}
