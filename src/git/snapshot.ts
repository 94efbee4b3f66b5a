import { copyFile, mkdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { GsError } from '../core/errors.js';
import { compileExclude, CONFIG_CREDENTIAL, CONTENT_CHECKED, DEFAULT_SNAPSHOT_EXCLUDE, isExcluded } from '../core/secretfiles.js';
import { join } from 'node:path';
import type { FileChange } from '../core/types.js';
import { gitOut, runGit } from './exec.js';
import { decodeCommit, readLoose } from './loose.js';

/** A snapshot's tree, and the untracked files left out of it as likely secrets. */
export interface WorktreeSnapshot {
  tree: string;
  skipped: string[];
}

/** The tree of a worktree as it is on disk (see worktreeSnapshot). */
export async function worktreeTree(top: string, gitDir: string): Promise<string> {
  return (await worktreeSnapshot(top, gitDir)).tree;
}

/**
 * The tree of a worktree as it is on disk (tracked and untracked-not-ignored files),
 * built in a throw-away index so the user's index and branch are never touched. The
 * user's index is copied first so git's stat cache spares rehashing unchanged files.
 * Untracked files that look like secrets (core/secretfiles.ts, plus the repository's
 * `session.snapshotExclude`) are left out and named in `skipped`; tracked ones stay.
 */
export async function worktreeSnapshot(top: string, gitDir: string, o: { scratchOver?: string } = {}): Promise<WorktreeSnapshot> {
  const dir = join(gitDir, 'session');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `snapshot-index-${process.pid}-${Math.random().toString(36).slice(2)}`);
  // `scratchOver` (an objects dir): new objects go to a throw-away dir that reads through to it, so nothing is written.
  const scratch = o.scratchOver ? `${tmp}.objects` : undefined;
  const objEnv: Record<string, string> = scratch ? { GIT_OBJECT_DIRECTORY: scratch, GIT_ALTERNATE_OBJECT_DIRECTORIES: o.scratchOver! } : {};
  try {
    if (scratch) await mkdir(scratch);
    // Keep the index's mtime on the copy: git's racy-entry check compares file mtimes to
    // the index's own, and a fresh mtime would hide same-second edits of same-size files.
    const st = await stat(join(gitDir, 'index')).catch(() => undefined);
    if (st) {
      await copyFile(join(gitDir, 'index'), tmp);
      await utimes(tmp, st.atime, st.mtime);
    }
    const env = { GIT_INDEX_FILE: tmp, ...objEnv };
    const skipped = await addAll(top, env);
    return { tree: await gitOut(['write-tree'], { cwd: top, env }), skipped };
  } finally {
    await rm(tmp, { force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * `git add -A` into the throw-away index, except untracked files that look like secrets:
 * those are never hashed, so no blob of theirs reaches the object store (an unreachable
 * loose object is still readable). One walk of the worktree (`ls-files -o`), as `add -A`
 * does; tracked files (`add -u`) are code and always taken. Returns what was left out.
 */
async function addAll(top: string, env: Record<string, string>): Promise<string[]> {
  // Read beside the first listing (the rules are needed only once it is in).
  const conf = runGit(['config', '--get-all', 'session.snapshotExclude'], { cwd: top, allowFail: true });
  let rules: ReturnType<typeof compileExclude> | undefined;
  for (let attempt = 0; ; attempt++) {
    // Independent (the listing reads the index, `add -u` replaces it atomically with the same
    // tracked set), so they run side by side: the walk and the stat pass overlap.
    const [listed] = await Promise.all([
      runGit(['ls-files', '-o', '--exclude-standard', '-z'], { cwd: top, env }),
      runGit(['add', '-u', '--', '.'], { cwd: top, env }),
      conf,
    ]);
    rules ??= compileExclude([...DEFAULT_SNAPSHOT_EXCLUDE, ...(await conf).stdout.split('\n').filter(Boolean)]);
    const skipped: string[] = [];
    const take: string[] = [];
    for (const p of listed.stdout.split('\0')) if (p) ((await isSecretFile(top, p, rules)) ? skipped : take).push(p);
    if (!take.length) return skipped;
    const r = await runGit(['add', '--pathspec-from-file=-', '--pathspec-file-nul'], { cwd: top, env: { ...env, GIT_LITERAL_PATHSPECS: '1' }, input: take.join('\0'), allowFail: true });
    if (r.code === 0) return skipped;
    // A file vanished between the listing and the add: list again (bounded).
    if (attempt >= 3) throw new GsError('git-failed', `git add failed: ${r.stderr.trim().split('\n').pop()}`);
  }
}

async function isSecretFile(top: string, path: string, rules: ReturnType<typeof compileExclude>): Promise<boolean> {
  if (!isExcluded(path.replace(/\/$/, ''), rules)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!CONTENT_CHECKED.has(name)) return true;
  const text = await readFile(join(top, path), 'utf8').catch(() => '');
  return CONFIG_CREDENTIAL.test(text);
}

/** Files that differ between two tree-ishes, renames split into delete + add (both sides count). */
export async function diffPaths(cwd: string, from: string, to: string): Promise<FileChange[]> {
  const out = await runGit(['diff-tree', '-r', '--no-renames', '--name-status', '-z', from, to], { cwd });
  const parts = out.stdout.split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (!parts[i]) break;
    files.push({ status: parts[i], path: parts[i + 1] });
  }
  return files;
}

/** The tree id of a commit (or tree-ish). */
export function treeOf(cwd: string, rev: string): Promise<string> {
  return gitOut(['rev-parse', `${rev}^{tree}`], { cwd });
}

/**
 * The tree id of commit `oid`: read in-process when the commit is a loose object (work
 * commits are: this process writes them), else through git (a spawn costs more than
 * the rest of a `conflicts` query).
 */
export async function treeOfCommit(cwd: string, commonDir: string, oid: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(oid)) {
    const o = await readLoose(commonDir, oid).catch(() => undefined);
    if (o?.type === 'commit') return decodeCommit(o.body).tree;
  }
  return treeOf(cwd, oid);
}
