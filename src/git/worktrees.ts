import { runGit } from './exec.js';

/** One worktree as `git worktree list --porcelain` reports it. */
export interface WorktreeInfo {
  path: string;
  head?: string;
  /** Full ref name of the checked-out branch, when not detached. */
  branch?: string;
  bare: boolean;
}

/** All worktrees of the repository. */
export async function listWorktrees(cwd: string): Promise<WorktreeInfo[]> {
  const r = await runGit(['worktree', 'list', '--porcelain'], { cwd });
  const out: WorktreeInfo[] = [];
  for (const block of r.stdout.split('\n\n')) {
    const w: WorktreeInfo = { path: '', bare: false };
    for (const line of block.split('\n')) {
      if (line.startsWith('worktree ')) w.path = line.slice(9);
      else if (line.startsWith('HEAD ')) w.head = line.slice(5);
      else if (line.startsWith('branch ')) w.branch = line.slice(7);
      else if (line === 'bare') w.bare = true;
    }
    if (w.path) out.push(w);
  }
  return out;
}

/** True when tracked files and the index match HEAD (untracked files don't count). */
export async function isClean(top: string): Promise<boolean> {
  const r = await runGit(['status', '--porcelain', '--untracked-files=no'], { cwd: top, allowFail: true });
  return r.code === 0 && r.stdout.trim() === '';
}

/**
 * Moves a worktree's files from tree `from` (what they are now) to tree `to`, leaving
 * the index at `indexAt` (defaults to `to`). git's two-way `read-tree -m -u` refuses to
 * overwrite anything that differs from `from`, so no edit is ever lost.
 */
export async function moveWorktree(top: string, from: string, to: string, indexAt?: string): Promise<boolean> {
  const saved = (await runGit(['write-tree'], { cwd: top, allowFail: true })).stdout.trim();
  const steps: string[][] = [
    ['read-tree', from],
    ['update-index', '-q', '--refresh'],
    ['read-tree', '-m', '-u', from, to],
  ];
  for (const args of steps) {
    const r = await runGit(args, { cwd: top, allowFail: true });
    if (r.code !== 0 && args[0] !== 'update-index') {
      if (saved) await runGit(['read-tree', saved], { cwd: top, allowFail: true });
      return false;
    }
  }
  if (indexAt && indexAt !== to) await runGit(['read-tree', indexAt], { cwd: top });
  return true;
}
