import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shortId } from '../core/ids.js';
import { discoverRepo } from '../git/discover.js';
import { runGit } from '../git/exec.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { listWorktrees, moveWorktree } from '../git/worktrees.js';
import type { Repo } from './repo.js';
import { sessionWorktree } from './sessions.js';

/** What happened to one worktree that had the target branch checked out. */
export interface WorktreeUpdate {
  path: string;
  updated: boolean;
  reason: string;
}

/** True when `top`'s index and tracked files equal commit `rev` exactly. */
async function cleanAt(top: string, rev: string): Promise<boolean> {
  await runGit(['update-index', '-q', '--refresh'], { cwd: top, allowFail: true });
  const wt = await runGit(['diff-index', '--quiet', rev, '--'], { cwd: top, allowFail: true });
  const ix = await runGit(['diff-index', '--cached', '--quiet', rev, '--'], { cwd: top, allowFail: true });
  return wt.code === 0 && ix.code === 0;
}

/** The open session (other than `id`) whose working copy worktree `top` is, if any. */
async function otherSessionIn(repo: Repo, top: string, id: string): Promise<string | undefined> {
  const cur = (await readFile(join(discoverRepo(top, {}).gitDir, 'session', 'current'), 'utf8').catch(() => '')).trim();
  if (!cur || cur === id) return undefined;
  const s = await repo.store.readSummary(cur).catch(() => undefined);
  return s?.state === 'open' ? cur : undefined;
}

/**
 * After the target moved from `oldTip` to `newTip`, brings every worktree that has it
 * checked out to the new tip when that is safe: a clean worktree fast-forwards; the
 * worktree the session was made in, holding exactly the session's snapshot and nothing
 * staged, becomes clean at the new tip. Anything else is left alone with a reason.
 */
export async function bringWorktreesForward(repo: Repo, id: string, targetRef: string, oldTip: string, newTip: string): Promise<WorktreeUpdate[]> {
  const out: WorktreeUpdate[] = [];
  const mine = await sessionWorktree(repo, id);
  const work = await repo.store.workTip(id);
  for (const w of await listWorktrees(repo.cwd)) {
    if (w.bare || w.branch !== targetRef) continue;
    const [oldTree, newTree] = await Promise.all([treeOf(w.path, oldTip), treeOf(w.path, newTip)]);
    const other = await otherSessionIn(repo, w.path, id);
    if (other) {
      out.push({ path: w.path, updated: false, reason: `is the working copy of open session ${shortId(other)}: left alone (git session sync there moves it)` });
      continue;
    }
    if (await cleanAt(w.path, oldTip)) {
      const ok = await moveWorktree(w.path, oldTree, newTree);
      out.push({ path: w.path, updated: ok, reason: ok ? 'was clean: fast-forwarded' : 'git refused to update it' });
      continue;
    }
    if (mine && work && mine.top === w.path) {
      // Nothing staged by the user: the index still equals a commit the user had (the old
      // tip, or the session's base when an earlier landing left this worktree behind).
      const { base } = await repo.store.readSummary(id);
      const indexTree = (await runGit(['write-tree'], { cwd: w.path, allowFail: true })).stdout.trim();
      const [onDisk, workTree, baseTree] = await Promise.all([worktreeTree(w.path, mine.gitDir), treeOf(w.path, work), treeOf(w.path, base)]);
      if ((indexTree === oldTree || indexTree === baseTree) && onDisk === workTree) {
        const ok = await moveWorktree(w.path, workTree, newTree);
        out.push({ path: w.path, updated: ok, reason: ok ? "held this session's changes: now clean at the new tip" : 'git refused to update it' });
        continue;
      }
    }
    out.push({ path: w.path, updated: false, reason: 'has other changes: left alone (git status there shows the landed change as reverted until you update it)' });
  }
  return out;
}
