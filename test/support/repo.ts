// Test support: hermetic temporary git repositories and an in-process CLI runner.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CliEnv } from '../../src/cli/env.js';

/** Root of this checkout. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built executable end-to-end tests spawn. */
export const BIN = join(ROOT, 'bin', 'git-session');

const home = mkdtempSync(join(tmpdir(), 'gs-home-'));
/** Environment that makes git ignore the developer's config and pins identity and dates. */
export const HERMETIC: Record<string, string> = {
  HOME: home,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
  GIT_TERMINAL_PROMPT: '0',
  LANG: 'C',
  NO_COLOR: '1',
};
// In-process commands spawn git with process.env: make it hermetic for the whole worker.
for (const k of Object.keys(process.env)) if (k.startsWith('GIT_')) delete process.env[k];
Object.assign(process.env, HERMETIC);

/** Runs git in `cwd` and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A fresh repository on branch `main` with one commit holding README.md. */
export function makeRepo(prefix = 'gs-repo-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  git(dir, 'init', '-q', '-b', 'main');
  writeFile(dir, 'README.md', '# test\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Writes a file (creating directories) relative to `dir`. */
export function writeFile(dir: string, rel: string, text: string): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** What a CLI run printed and returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

let fakeNow = Date.parse('2026-03-01T12:00:00Z');

/** Runs the CLI in-process with an injected env (clock advancing 1 s per call). */
export async function cli(cwd: string, args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const now = (fakeNow += 1000);
  const env: CliEnv = {
    cwd,
    stdout: { write: (s) => ((stdout += String(typeof s === 'string' ? s : Buffer.from(s).toString())), true) },
    stderr: { write: (s) => ((stderr += String(typeof s === 'string' ? s : Buffer.from(s).toString())), true) },
    stdin: opts.stdin !== undefined ? (await import('node:stream')).Readable.from([Buffer.from(opts.stdin)]) : undefined,
    clock: () => now,
    env: { ...process.env, ...opts.env },
  };
  const code = await main(args, env);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** Spawns the built binary with the hermetic environment (end-to-end). */
export function spawnBin(cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH!, ...HERMETIC, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Every ref and its value, for "nothing was written" assertions. */
export function refsSnapshot(dir: string): string {
  return git(dir, 'for-each-ref', '--format=%(objectname) %(refname)');
}
