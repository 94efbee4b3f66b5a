// Reads a branch's first-parent history for the landed-change index: which paths each
// commit touched against its first parent, streamed (a 100k-commit history is never held
// as one string), plus the few ancestry questions the index needs answered.
import { spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';

/** One commit of the first-parent history and the paths it touched vs its first parent. */
export interface FirstParentChange {
  commit: string;
  parent: string | null;
  /** Added, modified, deleted, type-changed paths; a rename is its two sides (D + A). */
  paths: string[];
  /** Value of the commit's first `Session-Id:` trailer. */
  sessionId?: string;
}

// Options that keep user config from changing what `git log` prints.
const LOG_SAFE = ['--no-show-signature', '--no-color', '--no-notes'];

/**
 * Streams the first-parent changes after `sinceExclusive` (null: from the root) up to
 * `tip`, oldest first. Merges count as their diff against the first parent; renames are
 * split into a deletion and an addition (`--no-renames`), so both paths are reported.
 */
export async function* firstParentChanges(cwdOrGitDir: string, sinceExclusive: string | null, tip: string): AsyncGenerator<FirstParentChange> {
  const args = [
    // git's delta-base cache (96 MB by default) was most of the feed's peak memory, for
    // the same CPU time: `index rebuild` stays within its budget with git's child included.
    '-c',
    'core.deltaBaseCacheLimit=32m',
    'log',
    ...LOG_SAFE,
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-renames',
    '--root',
    '--reverse',
    '--name-status',
    '-z',
    '--format=%x01%H %P%x00%(trailers:key=Session-Id,valueonly,separator=%x1f)%x00',
    '--end-of-options',
    ...(sinceExclusive ? [`^${sinceExclusive}`] : []),
    tip,
    '--',
  ];
  // Output per commit, NUL-separated: "\x01<H> <parents>", trailers, "", then pairs of
  // status ("\n"-prefixed on the first) and path; the next "\x01" starts another commit.
  let cur: FirstParentChange | undefined;
  let state: 'header' | 'trailers' | 'status' | 'path' = 'header';
  for await (const tok of gitTokens(cwdOrGitDir, args, '\0')) {
    if (state === 'path') {
      cur!.paths.push(tok);
      state = 'status';
      continue;
    }
    if (state === 'trailers') {
      const id = tok.split('\x1f').map((s) => s.trim()).find(Boolean);
      if (id) cur!.sessionId = id;
      state = 'status';
      continue;
    }
    const t = tok.replace(/^\n+/, '');
    if (t.startsWith('\x01')) {
      if (cur) yield cur;
      const [commit, parent] = t.slice(1).split(' ');
      cur = { commit, parent: parent || null, paths: [] };
      state = 'trailers';
    } else if (t === '') {
      continue; // the separator after the header
    } else if (state === 'status' && /^[ACDMTUXB]\d*$/.test(t)) {
      state = 'path';
    } else {
      throw new GsError('git-failed', `unexpected git log output near '${t.slice(0, 40)}'`);
    }
  }
  if (cur) yield cur;
}

/** `tip`'s first-parent chain, newest first; stopping early stops git. */
export async function* firstParentChain(cwdOrGitDir: string, tip: string): AsyncGenerator<string> {
  for await (const line of gitTokens(cwdOrGitDir, ['rev-list', '--first-parent', '--end-of-options', tip, '--'], '\n')) if (line) yield line;
}

/** True when `a` is an ancestor of `b` (or the same commit). */
export async function isAncestor(cwdOrGitDir: string, a: string, b: string): Promise<boolean> {
  const { code, stderr } = await gitRun(cwdOrGitDir, ['merge-base', '--is-ancestor', a, b]);
  if (code === 0) return true;
  if (code === 1) return false;
  throw gitError(['merge-base', '--is-ancestor', a, b], stderr);
}

/** The best common ancestor of `a` and `b`, or null when they share no history. */
export async function mergeBase(cwdOrGitDir: string, a: string, b: string): Promise<string | null> {
  const { code, stdout, stderr } = await gitRun(cwdOrGitDir, ['merge-base', a, b]);
  if (code === 0) return stdout.trim() || null;
  if (code === 1 && !stderr.trim()) return null;
  throw gitError(['merge-base', a, b], stderr);
}

/**
 * True when `a` is on `b`'s first-parent chain. The walk `^a b` along first parents stops
 * at the first commit reachable from a; a is on the chain exactly when that commit is a.
 */
export async function isFirstParentAncestor(cwdOrGitDir: string, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  if (!(await isAncestor(cwdOrGitDir, a, b))) return false;
  let last = '';
  for await (const line of gitTokens(cwdOrGitDir, ['rev-list', '--first-parent', '--parents', '--end-of-options', `^${a}`, b, '--'], '\n')) if (line) last = line;
  if (!last) return true; // a reaches b and b reaches a: the same commit under two names
  const [, firstParent] = last.split(' ');
  return firstParent === a || (await revParse(cwdOrGitDir, a)) === firstParent;
}

/** The commit id `rev` names. */
export async function revParse(cwdOrGitDir: string, rev: string): Promise<string> {
  const { code, stdout, stderr } = await gitRun(cwdOrGitDir, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`]);
  if (code !== 0) throw new GsError('unknown-ref', `unknown revision '${rev}'${stderr.trim() ? `: ${firstLine(stderr)}` : ''}`);
  return stdout.trim();
}

/** Everything the landed index asks of git for one repository (a LandedIndex HistorySource + AncestrySource). */
export function gitHistory(cwdOrGitDir: string): {
  changes(sinceExclusive: string | null, tip: string): AsyncIterable<FirstParentChange>;
  firstParentChain(tip: string): AsyncIterable<string>;
  isFirstParentAncestor(a: string, b: string): Promise<boolean>;
  mergeBase(a: string, b: string): Promise<string | null>;
  isAncestor(a: string, b: string): Promise<boolean>;
} {
  return {
    changes: (since, tip) => firstParentChanges(cwdOrGitDir, since, tip),
    firstParentChain: (tip) => firstParentChain(cwdOrGitDir, tip),
    isFirstParentAncestor: (a, b) => isFirstParentAncestor(cwdOrGitDir, a, b),
    mergeBase: (a, b) => mergeBase(cwdOrGitDir, a, b),
    isAncestor: (a, b) => isAncestor(cwdOrGitDir, a, b),
  };
}

/** Runs git and yields its stdout split on `sep`; kills git if the consumer stops early. */
async function* gitTokens(dir: string, args: string[], sep: string): AsyncGenerator<string> {
  const child = spawn('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (e) => reject(new GsError('git-failed', `cannot run git: ${e.message}`)));
    child.on('close', (code) => resolve(code ?? -1));
  });
  exit.catch(() => {}); // surfaced below; avoids an unhandled rejection if we stop early
  child.stdout.setEncoding('utf8'); // decodes multi-byte characters split across chunks
  let rest = '';
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      const parts = (rest + chunk).split(sep);
      rest = parts.pop()!;
      for (const p of parts) yield p;
    }
    if (rest) yield rest;
    const code = await exit;
    if (code !== 0) throw gitError(args, stderr);
    finished = true;
  } finally {
    if (!finished && child.exitCode === null) child.kill();
  }
}

/** Runs git to completion, collecting its output (for short answers only). */
function gitRun(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => reject(new GsError('git-failed', `cannot run git: ${e.message}`)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function gitError(args: string[], stderr: string): GsError {
  const line = firstLine(stderr);
  if (/unknown revision|bad revision|bad object|not a valid (object|commit)/i.test(stderr)) return new GsError('unknown-ref', `git ${args[0]}: ${line}`);
  if (/not a git repository/i.test(stderr)) return new GsError('not-a-repo', line);
  return new GsError('git-failed', `git ${args[0]} failed: ${line || 'no message'}`);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
