import { spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';

/** Options for one native git invocation. */
export interface GitRunOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Return a non-zero exit instead of throwing. */
  allowFail?: boolean;
}

/** What a git invocation printed and how it ended. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs native git. Used where git itself is the right tool (ref transactions, index,
 * merge-tree, worktrees) rather than for object reads on hot paths.
 */
export function runGit(args: string[], opts: GitRunOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GsError('git-failed', `cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      const res = { code: code ?? 128, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (res.code !== 0 && !opts.allowFail) {
        const line = res.stderr.trim().split('\n').pop() || `exit ${res.code}`;
        reject(new GsError('git-failed', `git ${args[0]} failed: ${line}`, res));
      } else resolve(res);
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs git and returns trimmed stdout. */
export async function gitOut(args: string[], opts: GitRunOptions): Promise<string> {
  return (await runGit(args, opts)).stdout.trim();
}
