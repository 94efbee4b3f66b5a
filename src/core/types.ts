import type { LargeRef } from './large.js';

/** On-disk format version written into every session.json; readers refuse newer majors. */
export const FORMAT_VERSION = 1;

/** Every state a session can be in (the summary schema accepts exactly these). */
export const SESSION_STATES = ['open', 'conflicted', 'landed', 'abandoned'] as const;

/**
 * Lifecycle of a session. `conflicted`: a sync met overlapping changes; the work holds
 * git's conflict markers until each path is resolved (then `open` again).
 */
export type SessionState = (typeof SESSION_STATES)[number];

/** How a conflicted path was resolved: the session's version, the target's, or something else. */
export type ResolutionHow = 'ours' | 'theirs' | 'edited';

/** The summary fields an `undo` puts back (the session as it was before the undone operation). */
export interface Restored {
  state: SessionState;
  base: string;
  /** The work tip; null when the session had no work. */
  work: string | null;
  files: number;
  conflicted?: string[];
}

/** How reconcile tied a commit on the target to a session (a `land` event's `via`). */
export type LandVia = 'trailer' | 'tree' | 'patch-id' | 'rewrite';

/** How a further landing was found: by the hooks (a rewrite, a cherry-pick) or by reconcile. */
export type LinkVia = LandVia | 'cherry-pick';

/** Who spoke in a `message` event. */
export type Role = 'user' | 'agent' | 'tool' | 'system';

/** The coding agent that did the work, when one did. */
export interface AgentInfo {
  name: string;
  model?: string;
}

/**
 * A tool call captured live from an agent's hook, on a `message` with role `tool` (whose
 * `name` is the tool and `text` the input summary, so readers that know nothing of this
 * field still show what ran). Every text is redacted before it is cut.
 */
export interface ToolCall {
  /** One line saying what the call was asked to do (the command, the file, the pattern). */
  input: string;
  /** What it returned, cut to its head and tail when long. */
  output?: string;
  /** Size in bytes of the whole (redacted) output, when `output` was cut. */
  bytes?: number;
  cut?: boolean;
  /** The call failed (an error, a non-zero exit). */
  error?: boolean;
  /** Files the call edited (a snapshot follows). */
  files?: string[];
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
  /** Where an imported or captured item came from (a hash of its transcript line and its place there, or of the agent's event ids): it is stored once. */
  src?: string;
  /** Strings of this event stored as blobs of their own, each replaced by its prefix (core/large.ts). */
  large?: LargeRef[];
}

/** Every event kind with its payload. */
export type EventBody =
  | { kind: 'start'; goal: string; target: string; base: string; author: string; agent?: AgentInfo }
  | { kind: 'prompt'; text: string }
  | { kind: 'message'; role: Role; text: string; name?: string; model?: string; tool?: ToolCall }
  | { kind: 'decision'; chosen: string; rejected: { option: string; reason: string }[]; rationale: string; agent?: AgentInfo }
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
  /**
   * `base`: the checkout had moved along the target to this commit (a plain commit, pull
   * or checkout made there), so the session's base follows it. `prevWork`: the work tip
   * before (null: none), which `undo` restores.
   */
  | { kind: 'snapshot'; commit: string; parent: string; message: string; files: FileChange[]; base?: string; prevWork?: string | null }
  /**
   * A bounded summary: `commits` holds the first few overlapping landed commits of
   * `count`, found in `range` (old base, tip]; `sessions` the first few sessions behind
   * them. During a sync with `work`, the session became conflicted: `work` holds the
   * merge with conflict markers, `prevWork` the pre-sync work, `range.to` the new base.
   */
  | {
      kind: 'conflict';
      files: string[];
      commits: string[];
      during: 'land' | 'sync';
      detail?: string;
      count?: number;
      range?: { from: string; to: string };
      sessions?: string[];
      work?: string;
      prevWork?: string | null;
    }
  /**
   * The session's work is on its target as `commit`. `land` made it unless `via` says how
   * it was found there instead (reconcile: a trailer, the same tree, the same patch-id, or
   * a commit already linked by a rewrite). `tree` and `patchId` (git patch-id --stable of
   * its first-parent diff) identify the change when history is rewritten later.
   */
  | { kind: 'land'; commit: string; target: string; strategy: 'squash' | 'merge'; previousTip: string; tree?: string; patchId?: string; via?: LandVia }
  /**
   * A further commit carrying the session's work, never a change of state: an amended or
   * rebased copy of a linked commit (`via: rewrite`, `from` the old commit), a cherry-pick
   * (to `release`), or a commit reconcile found on a branch. `branch` is where it was made
   * or found (absent: a detached HEAD); `patchId` is absent for a commit that changes nothing.
   */
  | { kind: 'landing'; commit: string; tree: string; patchId?: string; branch?: string; via: LinkVia; from?: string }
  /** `export --branch` wrote `branch` at `tip` (based on `base`): reconcile follows it after a forge merged it. */
  | { kind: 'export'; branch: string; tip: string; base: string }
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
  | { kind: 'sync'; from: string; to: string; work?: string; prevWork?: string | null }
  /**
   * Conflicted paths resolved (`how` compares the result with each side); `remaining`
   * are still conflicted (empty: the session is open again). `snapshot`: the id of the
   * snapshot event recorded with it (one operation for `undo`); `reused`: git rerere
   * applied a recorded resolution.
   */
  | { kind: 'resolution'; paths: { path: string; how: ResolutionHow }[]; remaining: string[]; snapshot?: string; reused?: boolean }
  /**
   * Reverts the operation that began with event `of` (of kind `op`): the summary fields
   * become `restore`; `target` says how a landing's target branch was moved back.
   */
  | { kind: 'undo'; of: string; op: string; restore: Restored; target?: { ref: string; from: string; to: string } }
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

/** One further landing as the summary lists it (see the `landing` event). */
export interface Landing {
  commit: string;
  branch?: string;
  via: LinkVia;
  patchId?: string;
  from?: string;
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
  /**
   * The commit holding the session's work on its target: the landed commit, followed
   * through rewrites on that branch (`first`: the commit it landed as, when it moved since).
   */
  landed?: { commit: string; at: string; strategy: 'squash' | 'merge'; target?: string; via?: LandVia; patchId?: string; first?: string };
  /** Further landings (rewrites, cherry-picks, other branches), the first MAX_LANDINGS. */
  landings?: Landing[];
  /** The last `export --branch`: its branch and tip (followed through rewrites of that tip). */
  exported?: { branch: string; tip: string; base: string; at: string };
  /** Paths still conflicted while the state is `conflicted`. */
  conflicted?: string[];
  /**
   * The last operation that moves the session's worktree (sync, undo): the worktree goes
   * from the work `from` (null: the base `fromBase`) to the current work. A run killed
   * between the ref transaction and the files finishes it (nothing else can match).
   */
  worktreeMove?: { from: string | null; fromBase: string; event: string };
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
