import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shortId } from '../core/ids.js';
import type { SessionSummary } from '../core/types.js';
import { headOf, indexTree, stagedOnly } from '../git/checkout.js';
import { discoverRepo } from '../git/discover.js';
import { runGit } from '../git/exec.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { listWorktrees, moveWorktree } from '../git/worktrees.js';
import type { Repo } from './repo.js';
import { moveCheckout } from './settle.js';
import { branchRef } from './target.js';
import { type Checkout, checkoutOf } from './view.js';

/** What happened to one worktree after a landing. */
export interface WorktreeUpdate {
  path: string;
  updated: boolean;
  reason: string;
  /** Files or HEAD were changed by this run (false when it was already right). */
  moved?: boolean;
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
  return s?.state === 'open' || s?.state === 'conflicted' ? cur : undefined;
}

/**
 * Brings the checkout a landed session's files were in to the new tip, clean: to the
 * target's tip when it has the target checked out, to the landed commit when its HEAD is
 * detached (a `start --worktree` checkout). It moves only when its files are exactly
 * the landed work and its index holds nothing that is not on disk, in the work or at the
 * old tip (add-only, delete-only, renames, mode changes, a file replaced by a directory:
 * all of them). A checkout on another branch is never moved.
 */
export async function bringSessionCheckout(repo: Repo, s: SessionSummary, c: Checkout, oldTip: string, landed: string, target = s.target): Promise<WorktreeUpdate> {
  const targetRef = branchRef(target);
  const head = await headOf(c.gitDir, repo.paths.commonDir);
  if (head.branch && head.branch !== targetRef) {
    return { path: c.top, updated: false, reason: `is on ${head.branch.replace(/^refs\/heads\//, '')}, not ${target}: left as it is (the landed change is on ${target})` };
  }
  const goal = head.branch ? head.commit! : landed;
  const [goalTree, workTree, oldTree, baseTree, disk, ix] = await Promise.all([
    treeOf(c.top, goal),
    repo.store.workTip(s.id).then((w) => (w ? treeOf(c.top, w) : undefined)),
    treeOf(c.top, oldTip),
    treeOf(c.top, s.base),
    worktreeTree(c.top, c.gitDir),
    indexTree(c.top),
  ]);
  const checkout = { ...c, head };
  if (disk === goalTree && ix === goalTree) {
    const moved = !head.branch && head.commit !== landed;
    if (moved) await moveCheckout(repo, checkout, { from: goalTree, to: goalTree, indexAt: goalTree, head: landed });
    return { path: c.top, updated: true, moved, reason: 'is clean at the new tip' };
  }
  const lost = await stagedOnly(c.top, disk, [oldTree, baseTree, goalTree, ...(workTree ? [workTree] : [])]);
  if (disk === workTree && lost && !lost.length) {
    const ok = await moveCheckout(repo, checkout, { from: disk, to: goalTree, indexAt: goalTree, head: landed });
    return { path: c.top, updated: ok, moved: ok, reason: ok ? "held this session's changes: now clean at the new tip" : 'git refused to update it' };
  }
  return { path: c.top, updated: false, reason: 'has changes that are not in the landed work: left alone (git status there shows the landed change as uncommitted)' };
}

/**
 * Moves every worktree (but `skip`) that has `targetRef` checked out and was clean at
 * `from` to `to` (after a landing, or an undo of one); a worktree that is another open
 * session's working copy, or has changes, is left alone with a reason.
 */
export async function moveTargetCheckouts(repo: Repo, id: string, targetRef: string, from: string, to: string, skip?: string): Promise<WorktreeUpdate[]> {
  const out: WorktreeUpdate[] = [];
  for (const w of await listWorktrees(repo.cwd)) {
    if (w.bare || w.branch !== targetRef || w.path === skip) continue;
    const other = await otherSessionIn(repo, w.path, id);
    if (other) {
      out.push({ path: w.path, updated: false, reason: `is the working copy of open session ${shortId(other)}: left alone (git session sync there moves it)` });
      continue;
    }
    if (await cleanAt(w.path, from)) {
      const [fromTree, toTree] = await Promise.all([treeOf(w.path, from), treeOf(w.path, to)]);
      const ok = await moveWorktree(w.path, fromTree, toTree);
      out.push({ path: w.path, updated: ok, moved: ok, reason: ok ? 'was clean: moved with the branch' : 'git refused to update it (an untracked file is in the way?)' });
      continue;
    }
    out.push({ path: w.path, updated: false, reason: 'has other changes: left alone (git status there shows the change as reverted until you update it)' });
  }
  return out;
}

/**
 * After session `s` landed on `target` (moved from `oldTip` to `landed`), brings its own
 * checkout forward (bringSessionCheckout), and fast-forwards every other worktree that
 * has the target checked out and was clean.
 */
export async function bringWorktreesForward(repo: Repo, s: SessionSummary, oldTip: string, landed: string, target = s.target): Promise<WorktreeUpdate[]> {
  const targetRef = branchRef(target);
  const mine = await checkoutOf(repo, s.id);
  const own = mine ? [await bringSessionCheckout(repo, s, mine, oldTip, landed, target)] : [];
  const tip = (await repo.store.objects.resolve(targetRef)) ?? landed;
  return [...own, ...(await moveTargetCheckouts(repo, s.id, targetRef, oldTip, tip, mine?.top))];
}
