import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { hasMarkers, relabelMarkers } from '../core/markers.js';
import { gitOut, runGit } from './exec.js';
import type { Ident, ObjectStore } from './objects.js';

/** One index stage of a conflicted path, as git's merge left it (1 base, 2 session, 3 target). */
export interface StageEntry {
  mode: string;
  oid: string;
  stage: 1 | 2 | 3;
  path: string;
}

/** Outcome of a three-way merge done by git without a worktree. */
export interface MergeOutcome {
  clean: boolean;
  /** The merged tree (with diff3 conflict markers when not clean). */
  tree: string;
  /** Conflicted paths, as the repository names them. */
  conflicts: string[];
  /** The index stages of the conflicted paths (what `git ls-files -u` would show). */
  stages: StageEntry[];
  /** git's CONFLICT lines, for people. */
  messages: string[];
}

/** Names printed after the conflict markers instead of object ids. */
export interface MarkerLabels {
  session: string;
  base: string;
  target: string;
}

// The unnamed commits a merge runs on are written with a fixed identity and time, so the
// same trees and base always make the same commits, hence the same merge, byte for byte.
const SYNTHETIC: Ident = { name: 'git-session', email: 'merge@git-session.invalid', timestamp: 0, timezoneOffset: 0 };

/**
 * Applies the session's changes (`base` → `sessionTree`) onto `targetTree`, cherry-pick
 * style, with git's own merge (`git merge-tree --write-tree`, diff3 markers): renames,
 * file/directory clashes and overlapping lines are git's answers. git 2.39's merge-tree
 * picks the merge base itself (`--merge-base` came in 2.40), so each side is first made
 * an unreferenced commit whose single parent is `base`: their merge base is then exactly
 * `base`, whatever the real history of the trees. Only loose objects are written; no
 * ref, index or worktree is touched. The session is the first side (stage 2, "ours").
 */
export async function mergeOnto(objects: ObjectStore, cwd: string, base: string, sessionTree: string, targetTree: string, labels?: MarkerLabels): Promise<MergeOutcome> {
  const [s, t] = await Promise.all(
    [sessionTree, targetTree].map((tree, i) => objects.writeCommit({ tree, parent: [base], message: i ? 'target\n' : 'session\n', author: SYNTHETIC })),
  );
  const r = await runGit(['-c', 'merge.conflictStyle=diff3', 'merge-tree', '--write-tree', '-z', s, t], { cwd, allowFail: true, env: { LC_ALL: 'C' } });
  if (r.code !== 0 && r.code !== 1) {
    throw new GsError('git-failed', `git merge-tree failed: ${r.stderr.trim().split('\n').pop()}`);
  }
  const out = parseMergeTree(r.stdout, [s, t]);
  if (r.code === 0) return { ...out, clean: true, conflicts: [], stages: [] };
  if (labels) out.tree = await relabel(objects, cwd, out.tree, out.conflicts, { ours: s, base, theirs: t }, { ours: labels.session, base: labels.base, theirs: labels.target });
  return { ...out, clean: false };
}

/** Parses `merge-tree --write-tree -z`: the tree, the conflicted-file info, the messages. */
function parseMergeTree(stdout: string, sides: string[]): Omit<MergeOutcome, 'clean'> {
  const tok = stdout.split('\0');
  const tree = tok[0].trim();
  const stages: StageEntry[] = [];
  let i = 1;
  for (; i < tok.length; i++) {
    const m = /^(\d{6}) ([0-9a-f]{40,64}) ([123])\t(.*)$/s.exec(tok[i]);
    if (!m) break;
    stages.push({ mode: m[1], oid: m[2], stage: Number(m[3]) as 1 | 2 | 3, path: m[4] });
  }
  // Messages: <count> NUL <path>... NUL <type> NUL <text> NUL, repeated.
  const messages: string[] = [];
  if (tok[i] === '') i++;
  while (i < tok.length && /^\d+$/.test(tok[i])) {
    const n = Number(tok[i]);
    const text = tok[i + n + 2] ?? '';
    if (text.startsWith('CONFLICT')) messages.push(text.trim());
    i += n + 3;
  }
  // A file/directory clash renames one side to `path~<side>`: report the real path.
  const strip = new RegExp(`~(${sides.join('|')})$`);
  const conflicts = [...new Set(stages.map((e) => e.path.replace(strip, '')))];
  return { tree, conflicts, stages, messages };
}

/** The merged tree with the marker labels of the conflicted text files renamed (see relabelMarkers). */
async function relabel(objects: ObjectStore, cwd: string, tree: string, paths: string[], from: { ours: string; base: string; theirs: string }, to: { ours: string; base: string; theirs: string }): Promise<string> {
  if (!paths.length) return tree;
  const dir = join(objects.gitdir, 'session');
  await mkdir(dir, { recursive: true });
  const index = join(dir, `merge-index-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const env = { GIT_INDEX_FILE: index, GIT_LITERAL_PATHSPECS: '1' };
  try {
    await runGit(['read-tree', tree], { cwd, env });
    const listed = (await runGit(['ls-files', '-s', '-z', '--', ...paths], { cwd, env })).stdout.split('\0').filter(Boolean);
    const lines: string[] = [];
    for (const entry of listed) {
      const m = /^(\d{6}) ([0-9a-f]+) 0\t(.*)$/s.exec(entry);
      if (!m || m[1] === '160000') continue;
      const text = await objects.readText(m[2]);
      if (text.includes('\ufffd') || !hasMarkers(text)) continue;
      const next = relabelMarkers(text, from, to);
      if (next !== text) lines.push(`${m[1]} ${await objects.writeText(next)} 0\t${m[3]}`);
    }
    if (!lines.length) return tree;
    await runGit(['update-index', '-z', '--index-info'], { cwd, env, input: lines.join('\0') + '\0' });
    return await gitOut(['write-tree'], { cwd, env });
  } finally {
    await rm(index, { force: true });
  }
}

/**
 * The tree git's merge of two commits gives (`git merge-tree --write-tree`, merge base as
 * git finds it: what a forge computes when it merges a branch), or undefined when they
 * conflict.
 */
export async function mergedTree(cwd: string, ours: string, theirs: string): Promise<string | undefined> {
  const r = await runGit(['merge-tree', '--write-tree', '--no-messages', ours, theirs], { cwd, allowFail: true, env: { LC_ALL: 'C' } });
  if (r.code !== 0) return undefined;
  return r.stdout.split('\n')[0].trim() || undefined;
}
