/** Stable error codes; the CLI's one top-level handler maps them to exit codes. */
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
  | 'git-failed';

const EXIT: Record<ErrorCode, number> = {
  usage: 2,
  'not-a-repo': 2,
  'bare-repo': 2,
  'unknown-session': 2,
  'ambiguous-session': 2,
  'no-current-session': 2,
  'empty-goal': 2,
  'bad-name': 2,
  'bad-input': 2,
  'detached-head': 2,
  'unknown-ref': 2,
  'session-closed': 1,
  conflict: 1,
  'check-failed': 1,
  policy: 1,
  contention: 1,
  'git-failed': 3,
};

/** An error a user can act on: one line of message, a stable code, a fixed exit status. */
export class GsError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'GsError';
    this.code = code;
    this.details = details;
  }
  /** Process exit status for this error (spec: 1 conflict/check/policy, 2 bad input). */
  get exitCode(): number {
    return EXIT[this.code];
  }
}

/** Shorthand for the commonest case: bad input, exit 2. */
export function usage(message: string): GsError {
  return new GsError('usage', message);
}

/** True when `e` is one of ours (as opposed to a bug or an I/O failure). */
export function isGsError(e: unknown): e is GsError {
  return e instanceof GsError;
}
