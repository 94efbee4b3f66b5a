/** Stable error codes; the CLI's one top-level handler maps them to exit codes (src/cli/exit.ts). */
export type ErrorCode =
  | 'usage'
  | 'not-a-repo'
  | 'bare-repo'
  | 'unknown-session'
  | 'ambiguous-session'
  | 'no-current-session'
  | 'empty-goal'
  | 'bad-name'
  | 'bad-input'
  | 'detached-head'
  | 'unknown-ref'
  | 'session-closed'
  | 'conflict'
  | 'check-failed'
  | 'policy'
  | 'contention'
  | 'git-failed'
  /** A signal stopped the command's child (`check`); the exit status is 128 + the signal. */
  | 'interrupted'
  /** Stored session data or the local index is damaged or unreadable (not the user's input). */
  | 'damaged';

/** An error a user can act on: one line of message and a stable code. */
export class GsError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'GsError';
    this.code = code;
    this.details = details;
  }
}

/** Shorthand for the commonest case: a usage error. */
export function usage(message: string): GsError {
  return new GsError('usage', message);
}

/** True when `e` is one of ours (as opposed to a bug or an I/O failure). */
export function isGsError(e: unknown): e is GsError {
  return e instanceof GsError;
}
