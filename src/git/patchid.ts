// What identifies a change when its commit is rewritten: git's own `patch-id --stable`
// (the diff with line numbers and whitespace ignored), fed by `diff-tree -p`, plumbing
// that no diff.* or textconv setting changes. Renames are not detected, so a change has
// one patch-id whoever computes it.
import { spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';

const DIFF = ['diff-tree', '-p', '--no-renames', '--no-color', '--no-ext-diff', '--full-index'];

/** Runs `git diff-tree <args>` piped into `git patch-id --stable` (no diff is held in memory) and returns patch-id's output. */
function pipeToPatchId(cwd: string, diffArgs: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const diff = spawn('git', [...DIFF, ...diffArgs], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    const pid = spawn('git', ['patch-id', '--stable'], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      reject(new GsError('git-failed', `git patch-id failed: ${e.message}`));
    };
    diff.on('error', fail);
    pid.on('error', fail);
    diff.stdout.pipe(pid.stdin);
    pid.stdin.on('error', () => {}); // patch-id may exit before reading everything
    pid.stdout.on('data', (b: Buffer) => out.push(b));
    let diffCode: number | null = null;
    diff.on('close', (c) => (diffCode = c));
    pid.on('close', (c) => {
      if (failed) return;
      if (c !== 0 || (diffCode !== null && diffCode !== 0)) return fail(new Error(`exit ${c || diffCode}`));
      resolve(Buffer.concat(out).toString('utf8'));
    });
    diff.stdin.on('error', () => {});
    diff.stdin.end(input ?? '');
  });
}

/**
 * The patch-id of each commit's change against the parent given with it (`[commit,
 * parent]`: a first parent, or a session's base), in one pipeline for any number. A
 * change that is empty has none. A commit given twice with different parents keeps the
 * first.
 */
export async function patchIds(cwd: string, pairs: [string, string][]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  const unique = pairs.filter(([c]) => !seen.has(c) && seen.add(c));
  if (!unique.length) return out;
  const text = await pipeToPatchId(cwd, ['--stdin'], unique.map(([c, p]) => `${c} ${p}\n`).join(''));
  for (const line of text.split('\n')) {
    const [id, commit] = line.split(' ');
    if (id && commit) out.set(commit, id);
  }
  return out;
}

/** The patch-id of the change from tree (or commit) `from` to `to`; undefined when they are the same. */
export async function diffPatchId(cwd: string, from: string, to: string): Promise<string | undefined> {
  const text = await pipeToPatchId(cwd, [from, to, '--']);
  const id = text.split(' ')[0]?.trim();
  return id || undefined;
}

/** A commit as the links know it: its tree, first parent, and the patch-id of its change against that parent. */
export interface CommitFacts {
  commit: string;
  tree: string;
  parents: string[];
  /** Absent for a root commit or one that changes nothing. */
  patchId?: string;
}

/** Tree, parents and patch-id of each of `commits` (those that exist), in two git processes for any number. */
export async function commitFacts(cwd: string, commits: string[]): Promise<Map<string, CommitFacts>> {
  const out = new Map<string, CommitFacts>();
  if (!commits.length) return out;
  const r = await runGit(['log', '--no-walk=unsorted', '--no-show-signature', '--format=%H %T %P', '--end-of-options', ...new Set(commits), '--'], { cwd, allowFail: true });
  for (const line of r.stdout.split('\n')) {
    const [commit, tree, ...parents] = line.trim().split(' ');
    if (commit && tree) out.set(commit, { commit, tree, parents: parents.filter(Boolean) });
  }
  const ids = await patchIds(cwd, [...out.values()].filter((f) => f.parents.length).map((f) => [f.commit, f.parents[0]]));
  for (const [c, id] of ids) out.get(c)!.patchId = id;
  return out;
}

/**
 * The paths each commit changes against the parent given with it (`[commit, parent]`),
 * in one `diff-tree --stdin` for any number (renames are both of their paths).
 */
export async function changedPaths(cwd: string, pairs: [string, string][]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  const unique = pairs.filter(([c]) => !seen.has(c) && seen.add(c));
  if (!unique.length) return out;
  const r = await runGit(['diff-tree', '--stdin', '-r', '--name-only', '--no-renames', '-z'], { cwd, input: unique.map(([c, p]) => `${c} ${p}\n`).join('') });
  // Output: "<commit>\0<path>\0<path>\0" per pair, in input order (a pair without changes may print nothing).
  const queue = unique.map(([c]) => c);
  let cur: string[] | undefined;
  for (const tok of r.stdout.split('\0')) {
    const t = tok.replace(/^\n/, '');
    const at = queue.indexOf(t);
    if (at >= 0) {
      queue.splice(0, at + 1);
      cur = [];
      out.set(t, cur);
    } else if (t && cur) cur.push(t);
  }
  for (const [c] of unique) if (!out.has(c)) out.set(c, []);
  return out;
}
