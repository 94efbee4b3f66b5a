// What a checkout (a worktree) reflects and holds: its HEAD, whether its index followed
// HEAD, what its index holds that nothing else does, and the conflict stages and rerere
// of a merge written into it. Plumbing only; nothing here moves a ref but HEAD.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runGit } from './exec.js';
import { resolveRefFile } from './loose.js';
import type { StageEntry } from './merge.js';
import { ZERO } from './refs.js';

/** A worktree's HEAD: the branch it points at (full ref name) and the commit. */
export interface Head {
  branch?: string;
  commit?: string;
}

/** Reads a worktree's HEAD in-process (no spawn: snapshots ask on every run). */
export async function headOf(gitDir: string, commonDir: string): Promise<Head> {
  const v = (await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f]{40}$/.test(v)) return { commit: v };
  if (!v.startsWith('ref: ')) return {};
  const branch = v.slice(5).trim();
  return { branch, commit: await resolveRefFile(commonDir, branch) };
}

async function names(top: string, args: string[]): Promise<string[]> {
  const r = await runGit(args, { cwd: top, allowFail: true });
  if (r.code !== 0) return [];
  return r.stdout.split('\0').filter(Boolean);
}

/**
 * True when the worktree's index holds commit `k`'s version of every path that differs
 * between `base` and `k`: the checkout itself moved to `k` (a commit, merge, pull or
 * checkout made there), rather than its branch being moved under it by someone else.
 */
export async function indexReflects(top: string, base: string, k: string): Promise<boolean> {
  const [changed, differs] = await Promise.all([
    names(top, ['diff-tree', '-r', '--no-renames', '--name-only', '-z', base, k]),
    names(top, ['diff-index', '--cached', '--no-renames', '--name-only', '-z', k, '--']),
  ]);
  const d = new Set(differs);
  return !changed.some((p) => d.has(p));
}

/** The tree the worktree's index holds, or undefined while it has conflict stages. */
export async function indexTree(top: string): Promise<string | undefined> {
  const r = await runGit(['write-tree'], { cwd: top, allowFail: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Paths whose staged content is neither on disk (`diskTree`) nor in any of `trees`:
 * what rewriting the index would lose. Undefined when the index has conflict stages.
 */
export async function stagedOnly(top: string, diskTree: string, trees: string[]): Promise<string[] | undefined> {
  const ix = await indexTree(top);
  if (!ix) return undefined;
  if (ix === diskTree || trees.includes(ix)) return [];
  let left = await names(top, ['diff-tree', '-r', '--no-renames', '--name-only', '-z', ix, diskTree]);
  for (const t of trees) {
    if (!left.length) break;
    const d = new Set(await names(top, ['diff-tree', '-r', '--no-renames', '--name-only', '-z', ix, t]));
    left = left.filter((p) => d.has(p));
  }
  return left;
}

/** Replaces the index entries of the conflicted paths by their merge stages (as `git merge` leaves them). */
export async function writeStages(top: string, stages: StageEntry[]): Promise<void> {
  if (!stages.length) return;
  const paths = [...new Set(stages.map((s) => s.path))];
  const lines = [...paths.map((p) => `0 ${ZERO}\t${p}`), ...stages.map((s) => `${s.mode} ${s.oid} ${s.stage}\t${s.path}`)];
  await runGit(['update-index', '-z', '--index-info'], { cwd: top, input: lines.join('\0') + '\0' });
}

/** Sets the index entries of `paths` to their version in `tree` (removing those it lacks): a resolved path leaves its stages. */
export async function resetPaths(top: string, tree: string, paths: string[]): Promise<void> {
  if (!paths.length) return;
  const listed = (await runGit(['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths], { cwd: top, env: { GIT_LITERAL_PATHSPECS: '1' } })).stdout.split('\0').filter(Boolean);
  const lines = paths.map((p) => `0 ${ZERO}\t${p}`);
  for (const e of listed) {
    const m = /^(\d{6}) blob ([0-9a-f]+)\t(.*)$/s.exec(e);
    if (m) lines.push(`${m[1]} ${m[2]} 0\t${m[3]}`);
  }
  await runGit(['update-index', '-z', '--index-info'], { cwd: top, input: lines.join('\0') + '\0' });
}

/** The file under <common-dir>/session/ saying git-session's rerere created rr-cache (eject removes it). */
export const RERERE_CREATED = 'rr-cache-created';

/**
 * git's rerere in a worktree holding conflict stages: records the preimage of each new
 * conflict, applies a resolution recorded for the same conflict before (returns those
 * paths), and records the resolution of each conflict whose file has no markers left.
 */
export async function rerere(top: string): Promise<string[]> {
  // Plain git runs rerere wherever rr-cache exists: when ours creates it, that is remembered for eject.
  const where = (await runGit(['rev-parse', '--git-path', 'rr-cache', '--git-common-dir'], { cwd: top, allowFail: true })).stdout.split('\n');
  const cache = where[0] ? resolve(top, where[0]) : undefined;
  const had = cache === undefined || existsSync(cache);
  const r = await runGit(['-c', 'rerere.enabled=true', 'rerere'], { cwd: top, allowFail: true, env: { LC_ALL: 'C' } });
  if (!had && existsSync(cache) && where[1]) {
    const dir = join(resolve(top, where[1]), 'session');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, RERERE_CREATED), '');
  }
  return [...r.stderr.matchAll(/^Resolved '(.*)' using previous resolution\.$/gm)].map((m) => m[1]);
}

/** The blob (or gitlink) ids of `paths` in tree-ish `tree`; a path it lacks is absent from the map. */
export async function blobsAt(cwd: string, tree: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!paths.length) return out;
  const r = await runGit(['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths], { cwd, env: { GIT_LITERAL_PATHSPECS: '1' } });
  for (const e of r.stdout.split('\0')) {
    const m = /^\d{6} (?:blob|commit) ([0-9a-f]+)\t(.*)$/s.exec(e);
    if (m) out.set(m[2], m[1]);
  }
  return out;
}

/** Points a detached HEAD at `commit` (a HEAD on a branch is left to its branch). */
export async function moveDetachedHead(top: string, gitDir: string, commonDir: string, commit: string): Promise<void> {
  const h = await headOf(gitDir, commonDir);
  if (!h.branch && h.commit !== commit) await runGit(['update-ref', '--no-deref', 'HEAD', commit], { cwd: top });
}
