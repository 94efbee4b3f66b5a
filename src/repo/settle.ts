// Moving a session's checkout after its refs moved (sync, undo), and finishing that move
// when a run was killed between the ref transaction and the files: the refs always move
// first (one atomic transaction), so a checkout is only ever *behind*, never ahead, and
// the next command that touches it brings it forward before it reads anything.
import { shortId } from '../core/ids.js';
import { shortOid } from '../core/text.js';
import type { SessionSummary } from '../core/types.js';
import { indexTree, moveDetachedHead, rerere, writeStages } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import { type MergeOutcome, mergeOnto, type StageEntry } from '../git/merge.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { moveWorktree } from '../git/worktrees.js';
import type { Repo } from './repo.js';
import type { Checkout } from './view.js';

/** Where a checkout goes: files from tree `from` (on disk now) to tree `to`, index at `indexAt` plus `stages`, a detached HEAD to `head`. */
export interface CheckoutMove {
  from: string;
  to: string;
  indexAt: string;
  head: string;
  stages?: StageEntry[];
}

/**
 * Moves a checkout (git's two-way `read-tree -m -u`, which refuses to overwrite anything
 * that differs from `from`); false when git refused and nothing was changed.
 */
export async function moveCheckout(repo: Repo, c: Checkout, m: CheckoutMove): Promise<boolean> {
  if (!(await moveWorktree(c.top, m.from, m.to, m.indexAt))) return false;
  if (m.stages?.length) await writeStages(c.top, m.stages);
  await moveDetachedHead(c.top, c.gitDir, repo.paths.commonDir, m.head);
  return true;
}

/**
 * The merge a sync makes: the session's work (`base` → `work`) applied onto `tip`, with
 * diff3 markers labelled "session <id>", "base <oid>" and "<target> <oid>". The same
 * inputs always give the same tree and stages, so an interrupted sync can be finished.
 */
export function syncMerge(repo: Repo, s: SessionSummary, base: string, work: string, tip: string): Promise<MergeOutcome> {
  return (async () => {
    const [workTree, tipTree] = await Promise.all([treeOf(repo.cwd, work), treeOf(repo.cwd, tip)]);
    return mergeOnto(repo.store.objects, repo.cwd, base, workTree, tipTree, {
      session: `session ${shortId(s.id)}`,
      base: `base ${shortOid(base)}`,
      target: `${s.target} ${shortOid(tip)}`,
    });
  })();
}

/** What settling a checkout did. */
export interface Settled {
  moved: boolean;
  /** Paths git rerere resolved with a resolution recorded earlier. */
  reused: string[];
}

/**
 * Finishes the last worktree move of session `s` (its `worktreeMove`) in checkout `c`
 * when a run was killed after the ref transaction: the files are still exactly the
 * pre-move work (and the index not yet the new base), or the files moved but the index
 * and HEAD did not. Anything else is the user's and is left alone. `disk`: the checkout's
 * tree when the caller has it.
 */
export async function settle(repo: Repo, s: SessionSummary, c: Checkout | undefined, disk?: string): Promise<Settled> {
  const none = { moved: false, reused: [] };
  const m = s.worktreeMove;
  if (!m || !c || s.state === 'landed' || s.state === 'abandoned') return none;
  if (((await repo.store.workTip(s.id)) ?? null) !== (s.work ?? null)) return none;
  const [fromTree, toTree, baseTree] = await Promise.all([m.from ?? m.fromBase, s.work ?? s.base, s.base].map((r) => treeOf(repo.cwd, r)));
  const onDisk = disk ?? (await worktreeTree(c.top, c.gitDir));
  const ix = await indexTree(c.top);
  const filesBehind = onDisk === fromTree && ix !== undefined && ix !== baseTree;
  const indexBehind = onDisk === toTree && (ix === toTree || (ix === baseTree && !c.head.branch && c.head.commit === m.fromBase));
  if (!filesBehind && !indexBehind) {
    // Only the detached HEAD was left at the old base (killed just before moving it).
    if (!c.head.branch && c.head.commit === m.fromBase && m.fromBase !== s.base) await moveDetachedHead(c.top, c.gitDir, repo.paths.commonDir, s.base);
    return none;
  }
  let stages: StageEntry[] = [];
  if (s.state === 'conflicted' && m.from) stages = (await syncMerge(repo, s, m.fromBase, m.from, s.base)).stages;
  const moved = await moveCheckout(repo, c, { from: filesBehind ? fromTree : toTree, to: toTree, indexAt: baseTree, head: s.base, stages });
  const reused = moved && stages.length ? await rerere(c.top) : [];
  return { moved, reused };
}

/** Clears rerere's pending record of a worktree (after an abort or undo of a conflicted sync). */
export async function forgetPendingConflicts(c: Checkout): Promise<void> {
  await runGit(['-c', 'rerere.enabled=true', 'rerere', 'clear'], { cwd: c.top, allowFail: true });
}
