import type { LargeRef } from './large.js';

/** On-disk format version written into every session.json; readers refuse newer majors. */
export const FORMAT_VERSION = 1;

/** Every state a session can be in (the summary schema accepts exactly these). */
export const SESSION_STATES = ['open', 'landed', 'abandoned'] as const;

/** Lifecycle of a session. */
export type SessionState = (typeof SESSION_STATES)[number];

/** Who spoke in a `message` event. */
export type Role = 'user' | 'agent' | 'tool' | 'system';

/** The coding agent that did the work, when one did. */
export interface AgentInfo {
  name: string;
  model?: string;
}

/** A path a change touched, with git's one-letter status (A, M, D, T, R old->new split in two). */
export interface FileChange {
  path: string;
  status: string;
}

/** Fields every event carries; `id` is a ULID so events sort stably by (ts, id). */
export interface EventBase {
  id: string;
  ts: string;
  /** Kinds of secret replaced before storage, when any were. */
  redacted?: string[];
  /** Where an imported item came from (a hash of its transcript line and its place there): re-imports skip what they already hold. */
  src?: string;
  /** Strings of this event stored as blobs of their own, each replaced by its prefix (core/large.ts). */
  large?: LargeRef[];
}

/** Every event kind with its payload. */
export type EventBody =
  | { kind: 'start'; goal: string; target: string; base: string; author: string; agent?: AgentInfo }
  | { kind: 'prompt'; text: string }
  | { kind: 'message'; role: Role; text: string; name?: string; model?: string }
  | { kind: 'decision'; chosen: string; rejected: { option: string; reason: string }[]; rationale: string }
  | { kind: 'note'; text: string }
  | { kind: 'feedback'; text: string; file?: string; line?: number }
  | { kind: 'check'; command: string[]; exitCode: number; tree: string; durationMs: number; output: string }
  | { kind: 'snapshot'; commit: string; parent: string; message: string; files: FileChange[] }
  | { kind: 'conflict'; files: string[]; commits: string[]; during: 'land' | 'sync'; detail?: string }
  | { kind: 'land'; commit: string; target: string; strategy: 'squash' | 'merge'; previousTip: string }
  | {
      kind: 'import';
      source: string;
      format?: string;
      count: number;
      commits?: string[];
      /** What was imported, stable across runs (`range:<base>..<tip>`, `transcript:<identity>`): makes re-imports idempotent. */
      key?: string;
      /** Transcripts: non-blank and blank lines read so far, and the sha1 of those bytes (a re-import skips them when unchanged). */
      lines?: number;
      digest?: string;
    }
  | { kind: 'sync'; from: string; to: string; work?: string }
  | { kind: 'abandon'; reason?: string }
  /** Marks the session private (never published by any path) or public again; the last one counts. */
  | { kind: 'private'; private: boolean };

/** One append-only record inside a session. */
export type SessionEvent = EventBase & EventBody;

/** The kind names, in the order the spec lists them. */
export type EventKind = EventBody['kind'];

/** Narrow an event by kind. */
export type EventOf<K extends EventKind> = EventBase & Extract<EventBody, { kind: K }>;

/**
 * A stored event this version does not obey (core/schema.ts decides): a kind it does not
 * know (written by a newer git-session: shown generically) or a known kind that fails its
 * schema (a decision without `rejected`, a numeric `ts`, a non-ULID id: shown as invalid,
 * flagged in the summary). Kept as data either way: written back unchanged on a merge,
 * ignored by the fold.
 */
export interface ForeignEvent {
  kind: 'foreign';
  /** The stored id when it is a string, else '' (then the stored text identifies it). */
  id: string;
  /** The stored time when it is a string, else ''. */
  ts: string;
  /** The kind it was stored with ('' when it has none). */
  type: string;
  /** True for a known kind that fails its schema; false for a kind this version does not know. */
  invalid: boolean;
  /** Why it is not obeyed, e.g. `rejected: expected an array`. */
  reason: string;
  /** The stored JSON value, exactly as read. */
  data: unknown;
}

/** What reading a session's events yields: the events this version obeys, and the rest kept as data. */
export type StoredEvent = SessionEvent | ForeignEvent;

/** A session whose stored data cannot be read: listed with the reason, never obeyed. */
export interface DamagedSession {
  id: string;
  /** The meta commit that was read. */
  meta: string;
  reason: string;
}

/** An event kept as data and never obeyed, with the reason (shown by show, log and the TUI). */
export interface FlaggedEvent {
  id: string;
  kind: string;
  reason: string;
}

/**
 * The materialised view kept in `session.json`: derived entirely from the events, so
 * two diverged copies merge by taking the union of events and folding again.
 */
export interface SessionSummary {
  format: number;
  id: string;
  goal: string;
  state: SessionState;
  target: string;
  /** The target tip the work is based on now (moves with `sync`). */
  base: string;
  /** The base when the session started. */
  startBase: string;
  author: string;
  agent?: AgentInfo;
  createdAt: string;
  updatedAt: string;
  /** Number of events; also tells the store which chunk is the tail. */
  events: number;
  /** Tip of the session's work chain (last snapshot), if any. */
  work?: string;
  /** Paths the work changes relative to its base, as of the last snapshot. */
  files: number;
  landed?: { commit: string; at: string; strategy: 'squash' | 'merge' };
  /** What was imported into this session, by import key (see the `import` event), latest first wins. */
  imports?: Record<string, { lines?: number; digest?: string }>;
  /** Set by a `private` event: the session is never pushed, by any command or hook. */
  private?: true;
  /** Counts per kind, cheap to keep and handy for list views. */
  counts: Partial<Record<EventKind, number>>;
  /**
   * Events kept as data but not obeyed (the first MAX_FLAGGED): a second `start`, a `land`
   * whose commit is not on the target, an `abandon` after a landing, an invalid event.
   */
  flagged?: FlaggedEvent[];
}
