import { copyFile, mkdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileChange } from '../core/types.js';
import { gitOut, runGit } from './exec.js';

/**
 * The tree of a worktree as it is on disk (tracked and untracked-not-ignored files),
 * built in a throw-away index so the user's index and branch are never touched. The
 * user's index is copied first so git's stat cache spares rehashing unchanged files.
 */
export async function worktreeTree(top: string, gitDir: string): Promise<string> {
  const dir = join(gitDir, 'session');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `snapshot-index-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    // Keep the index's mtime on the copy: git's racy-entry check compares file mtimes to
    // the index's own, and a fresh mtime would hide same-second edits of same-size files.
    const st = await stat(join(gitDir, 'index')).catch(() => undefined);
    if (st) {
      await copyFile(join(gitDir, 'index'), tmp);
      await utimes(tmp, st.atime, st.mtime);
    }
    const env = { GIT_INDEX_FILE: tmp };
    await runGit(['add', '-A', '--', '.'], { cwd: top, env });
    return await gitOut(['write-tree'], { cwd: top, env });
  } finally {
    await rm(tmp, { force: true });
  }
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
