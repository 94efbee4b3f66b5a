/** On-disk format version written into every session.json; readers refuse newer majors. */
export const FORMAT_VERSION = 1;

/** Lifecycle of a session. */
export type SessionState = 'open' | 'landed' | 'abandoned';

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
}

/** Every event kind with its payload. */
export type EventBody =
  | { kind: 'start'; goal: string; target: string; base: string; author: string; agent?: AgentInfo }
  | { kind: 'prompt'; text: string }
  | { kind: 'message'; role: Role; text: string; name?: string; model?: string }
  | { kind: 'decision'; chosen: string; rejected: { option: string; reason: string }[]; rationale: string }
  | { kind: 'note'; text: string }
  | { kind: 'feedback'; text: string; file?: string; line?: number }
  | {
      kind: 'check';
      command: string[];
      exitCode: number;
      tree: string;
      durationMs: number;
      output: string;
      /** `check --name`; without it a check goes by its command line. */
      name?: string;
      /** Blob id of the signed attestation (a DSSE envelope), kept under the meta tree's attestations/. */
      attestation?: string;
      /** Where it ran: the session's own worktree, or a fresh temporary one. */
      workspace?: 'in-place' | 'clean';
      /** For a merged tree (`land --check`): the target tip it was merged with. */
      mergedWith?: string;
    }
  | { kind: 'snapshot'; commit: string; parent: string; message: string; files: FileChange[] }
  | { kind: 'conflict'; files: string[]; commits: string[]; during: 'land' | 'sync'; detail?: string }
  | { kind: 'land'; commit: string; target: string; strategy: 'squash' | 'merge'; previousTip: string }
  | { kind: 'import'; source: string; format?: string; count: number; commits?: string[] }
  | { kind: 'sync'; from: string; to: string; work?: string }
  | { kind: 'abandon'; reason?: string };

/** One append-only record inside a session. */
export type SessionEvent = EventBase & EventBody;

/** The kind names, in the order the spec lists them. */
export type EventKind = EventBody['kind'];

/** Narrow an event by kind. */
export type EventOf<K extends EventKind> = EventBase & Extract<EventBody, { kind: K }>;

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
  /** Counts per kind, cheap to keep and handy for list views. */
  counts: Partial<Record<EventKind, number>>;
}
