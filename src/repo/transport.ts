// How session refs and export branches travel to and from a remote. User actions
// (push, pull, export --push) go through simple-git, loaded on first use (~40 ms), for
// its progress events and typed errors; the pre-push hook runs inside the user's own
// `git push` and must stay light, so it uses a plain child process.
import { GsError } from '../core/errors.js';
import type { OnProgress } from '../core/progress.js';
import { runGit } from '../git/exec.js';
import type { Repo } from './repo.js';

/** What one `git push` did: ok, or refused because the remote has commits we lack. */
export interface PushOutcome {
  ok: boolean;
  rejected: boolean;
  message: string;
  /** When it failed: each ref's outcome, by destination ref (git's `--porcelain` lines). */
  refs: Map<string, RefOutcome>;
}

/** One ref of a push: git's flag (`!` refused, ` ` `*` `+` `=` `-` done) and summary (`[rejected] (fetch first)`). */
export interface RefOutcome {
  flag: string;
  summary: string;
}

/** The per-ref lines of `git push --porcelain` output: `<flag>\t<src>:<dst>\t<summary>`. */
export function porcelainRefs(out: string): Map<string, RefOutcome> {
  const m = new Map<string, RefOutcome>();
  for (const line of out.split('\n')) {
    const r = /^(.)\t[^\t:]*:([^\t]+)\t(.*)$/.exec(line);
    if (r) m.set(r[2], { flag: r[1], summary: r[3] });
  }
  return m;
}

/** A way to run `git push` and `git fetch` against a remote. */
export interface Transport {
  push(repo: Repo, remote: string, flags: string[], refspecs: string[]): Promise<PushOutcome>;
  fetch(repo: Repo, remote: string, flags: string[], refspecs: string[]): Promise<void>;
}

/** How a push or pull reaches the remote and reports progress (default: simple-git, no progress). */
export interface ExchangeOptions {
  transport?: Transport;
  onProgress?: OnProgress;
}

const REJECTED = /\[rejected\]|non-fast-forward|fetch first|Updates were rejected/;

/** The line of git's output worth showing: its last `fatal:`/`error:` line, else the last one. */
export function gitReason(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
  return lines.find((l) => /^fatal:/.test(l)) ?? lines.filter((l) => /^error:/.test(l)).pop() ?? lines.pop() ?? 'no output';
}

/** Plain `git` child processes, nothing to load: for the pre-push hook. */
export const plainTransport: Transport = {
  async push(repo, remote, flags, refspecs) {
    const r = await runGit(['push', '--porcelain', '--quiet', ...flags, remote, ...refspecs], { cwd: repo.cwd, env: repo.env, allowFail: true });
    const text = `${r.stdout}\n${r.stderr}`;
    return { ok: r.code === 0, rejected: r.code !== 0 && REJECTED.test(text), message: gitReason(r.stderr || r.stdout), refs: porcelainRefs(r.stdout) };
  },
  async fetch(repo, remote, flags, refspecs) {
    await runGit(['fetch', '--quiet', ...flags, remote, ...refspecs], { cwd: repo.cwd, env: repo.env });
  },
};

// The environment passed to git is the user's own, not input from others: simple-git's
// checks against GIT_SSH_COMMAND, askpass, proxies... would refuse ordinary setups.
const TRUST_ENV = {
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
  allowUnsafeGitProxy: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeHooksPath: true,
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeProtocolOverride: true,
};

/** simple-git (loaded now), reporting git's transfer progress to `onProgress`. */
export function simpleGitTransport(onProgress?: OnProgress): Transport {
  const client = async (repo: Repo) => {
    const { simpleGit } = await import('simple-git');
    const env = Object.fromEntries(Object.entries({ ...process.env, ...repo.env }).filter((e): e is [string, string] => e[1] !== undefined));
    return simpleGit({
      baseDir: repo.cwd,
      unsafe: TRUST_ENV,
      ...(onProgress ? { progress: (p: { stage: string; processed: number; total: number }) => onProgress({ stage: p.stage, done: p.processed, total: p.total }) } : {}),
    }).env(env);
  };
  return {
    async push(repo, remote, flags, refspecs) {
      try {
        await (await client(repo)).push(remote, undefined, [...flags, ...refspecs]);
        return { ok: true, rejected: false, message: '', refs: new Map() };
      } catch (e) {
        // simple-git pushes with --porcelain; its error message is git's stdout then stderr.
        const text = (e as Error).message ?? '';
        if (!(await isGitError(e))) throw e;
        return { ok: false, rejected: REJECTED.test(text), message: gitReason(text), refs: porcelainRefs(text) };
      }
    },
    async fetch(repo, remote, flags, refspecs) {
      try {
        await (await client(repo)).fetch([...flags, remote, ...refspecs]);
      } catch (e) {
        if (!(await isGitError(e))) throw e;
        throw new GsError('git-failed', `git fetch from ${remote} failed: ${gitReason((e as Error).message ?? '')}`);
      }
    },
  };
}

async function isGitError(e: unknown): Promise<boolean> {
  const { GitError } = await import('simple-git');
  return e instanceof GitError;
}
