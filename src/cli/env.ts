import { usage } from '../core/errors.js';
import { Repo } from '../repo/repo.js';
import { BROKEN_PIPE } from './exit.js';

/** Something text can be written to (process.stdout, or a buffer in tests). */
export interface Sink {
  write(s: string | Uint8Array): unknown;
  isTTY?: boolean;
}

/** Everything a command may touch of the outside world, injected so tests can run it in-process. */
export interface CliEnv {
  cwd: string;
  stdout: Sink;
  stderr: Sink;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  clock: () => number;
  env: Record<string, string | undefined>;
  /** True once the reader of stdout went away (`| head`): output is dropped from then on. */
  pipeClosed?: () => boolean;
}

let pipeClosed = false;
let guarded = false;

/**
 * Makes a closed stdout/stderr (EPIPE: `git session log | head -1`) end the process
 * quietly with 141, as git does, instead of an unhandled 'error' event and a stack
 * trace. The command is not cut short (nothing half-written); its output is dropped.
 */
function guardPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      // EIO: the terminal itself went away (window closed, tmux killed); whoever owns the
      // terminal (the TUI) decides the status. Only a closed pipe means 141.
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED' && e.code !== 'EIO') throw e;
      pipeClosed = true;
      if (e.code !== 'EIO') process.exitCode = BROKEN_PIPE;
    });
  }
}

function sink(s: NodeJS.WriteStream): Sink & { columns?: number } {
  return {
    write: (b) => (pipeClosed ? true : s.write(b)),
    get isTTY() {
      return s.isTTY;
    },
    get columns() {
      return s.columns;
    },
  };
}

/** The environment of the real process (GIT_SESSION_NOW pins the clock for reproducible demos). */
export function processEnv(): CliEnv {
  const pinned = process.env.GIT_SESSION_NOW;
  const base = pinned ? Date.parse(pinned) : NaN;
  const t0 = Date.now();
  guardPipes();
  return {
    cwd: process.cwd(),
    stdout: sink(process.stdout),
    stderr: sink(process.stderr),
    stdin: process.stdin,
    pipeClosed: () => pipeClosed,
    clock: Number.isFinite(base) ? () => base + (Date.now() - t0) : () => Date.now(),
    env: process.env,
  };
}

/** Opens the repository the command runs in. */
export function openRepo(env: CliEnv): Repo {
  return Repo.open({ cwd: env.cwd, clock: env.clock, env: env.env });
}

/** The `--json` flag, shared by every command that prints data. */
export const jsonOption = {
  json: { type: 'boolean', describe: 'print one JSON document on stdout' },
} as const;

/** `--full`: strings an event stores apart (over 16 KiB of event) printed whole instead of their first 1,024 characters. */
export const fullOption = {
  full: { type: 'boolean', describe: 'print long texts whole (an event over 16 KiB keeps its long strings as blobs of their own; by default their first 1,024 characters and the size)' },
} as const;

/** The `--session` flag, shared by every command that acts on one session. */
export const sessionOption = {
  session: { type: 'string', alias: 's', describe: 'session id or unique prefix (default: $GIT_SESSION, then the current session)' },
} as const;

/** Reads all of stdin as bytes (the pre-push hook's ref lines). */
export async function readStdin(env: CliEnv): Promise<string> {
  if (!env.stdin) return '';
  const chunks: Buffer[] = [];
  for await (const c of env.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a text argument given as `-` from stdin, without the line ending that `echo`
 * or a heredoc adds (as `$(...)` would drop it): `echo hi | git session record note -`
 * records "hi".
 */
export async function readStdinText(env: CliEnv): Promise<string> {
  return (await readStdin(env)).replace(/\r?\n$/, '');
}

/** The session a command names by its `[id]` positional or `--session` (both: they must agree). */
export function sessionArg(args: { id?: string; session?: string }): string | undefined {
  if (args.id !== undefined && args.session !== undefined && args.id !== args.session) {
    throw usage(`two sessions named: '${args.id}' and --session '${args.session}'; give one`);
  }
  return args.id ?? args.session;
}

/** The `[id]` positional of commands acting on one session (same as --session). */
export const idPositional = {
  type: 'string',
  describe: 'session id or unique prefix (default: --session, $GIT_SESSION, then the current session)',
} as const;
