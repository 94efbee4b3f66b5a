import type { ErrorCode } from '../core/errors.js';

// The spec's exit codes: 1 conflict, failed check, refusal or damaged data; 2 bad input or
// usage; 3 git itself failed. Errors that are not ours (bugs, I/O) exit 70 (EX_SOFTWARE).
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
  damaged: 1,
  'git-failed': 3,
  interrupted: 130,
};

/** Exit status for an error of this code. */
export function exitCode(code: ErrorCode): number {
  return EXIT[code];
}

/** Exit status when the reader of our output went away (`| head`): what a shell shows for git (128 + SIGPIPE). */
export const BROKEN_PIPE = 141;

/** Exit status for an error that is not a GsError (a bug or an unexpected failure). */
export const INTERNAL_EXIT = 70;
