import type { OptionSpec } from './args.js';
import { Repo } from '../repo/repo.js';

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
}

/** The environment of the real process (GIT_SESSION_NOW pins the clock for reproducible demos). */
export function processEnv(): CliEnv {
  const pinned = process.env.GIT_SESSION_NOW;
  const base = pinned ? Date.parse(pinned) : NaN;
  const t0 = Date.now();
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    clock: Number.isFinite(base) ? () => base + (Date.now() - t0) : () => Date.now(),
    env: process.env,
  };
}

/** Opens the repository the command runs in. */
export function openRepo(env: CliEnv): Repo {
  return Repo.open({ cwd: env.cwd, clock: env.clock, env: env.env });
}

/** Arguments every command shares. */
export interface CommonArgs {
  json?: boolean;
}

/** The `--json` flag, shared by every command that prints data. */
export const jsonOption: Record<'json', OptionSpec> = {
  json: { type: 'boolean', describe: 'print one JSON document on stdout' },
};

/** The `--session` flag, shared by commands acting on the current session. */
export const sessionOption: Record<'session', OptionSpec> = {
  session: { type: 'string', alias: 's', describe: 'session id or unique prefix (default: $GIT_SESSION, then the current session)' },
};

/** Reads all of stdin as text (for `record <kind> -`). */
export async function readStdin(env: CliEnv): Promise<string> {
  if (!env.stdin) return '';
  const chunks: Buffer[] = [];
  for await (const c of env.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
