import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { workRef } from '../core/layout.js';
import { shortOid } from '../core/text.js';
import type { SessionSummary } from '../core/types.js';
import { rerere, stagedOnly } from '../git/checkout.js';
import type { StageEntry } from '../git/merge.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { conflictSummary, landedHits } from './landed.js';
import type { Repo } from './repo.js';
import { requireOpen } from './sessions.js';
import { moveCheckout, settle, syncMerge } from './settle.js';
import { branchRef } from './target.js';
import { type Checkout, checkoutOf } from './view.js';
import { snapshot } from './work.js';

/** What `sync` did. */
export interface SyncResult {
  session: string;
  from: string;
  to: string;
  work: string | null;
  changed: boolean;
  /** Paths git could not merge: the session is now conflicted (or, with no checkout, nothing moved). */
  conflicts: string[];
  /** The conflicted state was recorded and the markers written into the checkout. */
  conflicted: boolean;
  /** Paths git rerere resolved again with a resolution recorded earlier. */
  reused: string[];
  worktreeUpdated: boolean;
  messages: string[];
}

/** Refuses a sync that would rewrite files under another branch, or lose what only the index holds. */
async function checkCheckout(s: SessionSummary, c: Checkout, cwd: string): Promise<void> {
  if (c.head.branch && c.head.branch !== branchRef(s.target)) {
    throw new GsError('policy', `worktree ${c.top} is on ${c.head.branch.replace(/^refs\/heads\//, '')}, not ${s.target}: a sync would rewrite its files under another branch; land from there, or start the session with --worktree (nothing moved)`);
  }
  const disk = await worktreeTree(c.top, c.gitDir);
  const trees = await Promise.all([s.base, ...(c.head.commit ? [c.head.commit] : [])].map((r) => treeOf(cwd, r)));
  const lost = await stagedOnly(c.top, disk, trees);
  if (lost === undefined) throw new GsError('policy', `worktree ${c.top} has unmerged paths in its index: finish that merge first (nothing moved)`);
  if (lost.length) {
    throw new GsError('policy', `worktree ${c.top} has staged changes of its own in ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''}: unstage them (git restore --staged) or commit them first (nothing moved)`);
  }
}

/**
 * Moves the session's base to the target's tip, rebasing its work with git's three-way
 * merge (merge base = the session's base): the new work commit has the tip as first
 * parent (the new base) and the old work as second, so no earlier work commit becomes
 * unreachable. Overlapping changes do not stop it: the merge with diff3 markers becomes
 * the work, the session becomes `conflicted` (a bounded `conflict` event names the paths
 * and the landed commits and sessions on the other side), the files with markers are
 * written into its checkout with the index holding git's stages, and git rerere reuses
 * any resolution recorded for the same conflict. The refs move first, in one
 * transaction; the checkout follows (an interrupted run is finished by the next one).
 */
export async function syncSession(repo: Repo, id: string): Promise<SyncResult> {
  let s = await repo.store.readSummary(id);
  const c = await checkoutOf(repo, id);
  if ((await settle(repo, s, c)).moved) s = await repo.store.readSummary(id);
  if (s.state === 'conflicted') {
    throw new GsError('conflict', `session ${shortId(id)} is already conflicted in ${(s.conflicted ?? []).join(', ')}: resolve them (edit, then git session resolve) or git session sync --abort`, { session: id, state: s.state, conflicted: s.conflicted ?? [] });
  }
  requireOpen(s);
  if (c) await checkCheckout(s, c, repo.cwd);
  await snapshot(repo, id);
  const ident = await repo.ident();
  let r: SyncResult | undefined;
  let stages: StageEntry[] = [];
  let prevWork: string | undefined;
  await repo.store.append(id, ident, async (cur) => {
    requireOpen(cur);
    const tip = await repo.store.objects.resolve(branchRef(cur.target));
    if (!tip) throw new GsError('unknown-ref', `no branch '${cur.target}'`);
    const oldWork = await repo.store.workTip(id);
    prevWork = oldWork;
    r = { session: id, from: cur.base, to: tip, work: oldWork ?? null, changed: false, conflicts: [], conflicted: false, reused: [], worktreeUpdated: false, messages: [] };
    if (tip === cur.base) return { events: [] };
    if (!oldWork) {
      r.changed = true;
      return { events: [repo.event({ kind: 'sync', from: cur.base, to: tip, prevWork: null })] };
    }
    const merge = await syncMerge(repo, cur, cur.base, oldWork, tip);
    r.messages = merge.messages;
    const parent = [tip, oldWork];
    if (merge.clean) {
      const work = await repo.store.objects.writeCommit({ tree: merge.tree, parent, message: `sync: rebase onto ${shortOid(tip)}\n\nSession-Id: ${id}\n`, author: ident });
      r.work = work;
      r.changed = true;
      return { events: [repo.event({ kind: 'sync', from: cur.base, to: tip, work, prevWork: oldWork })], updates: [{ ref: workRef(id), new: work, old: oldWork }] };
    }
    r.conflicts = merge.conflicts;
    const { hits } = await landedHits(repo, branchRef(cur.target), cur.base, tip, merge.conflicts);
    const summary = conflictSummary(hits, merge.conflicts, { from: cur.base, to: tip }, merge.messages);
    // Without a checkout there is nowhere to resolve: record the conflict, move nothing.
    if (!c) return { events: [repo.event({ kind: 'conflict', during: 'sync', ...summary })] };
    const work = await repo.store.objects.writeCommit({
      tree: merge.tree,
      parent,
      message: `sync: rebase onto ${shortOid(tip)}, conflicted in ${merge.conflicts.length} path(s)\n\nSession-Id: ${id}\n`,
      author: ident,
    });
    stages = merge.stages;
    r.work = work;
    r.changed = true;
    r.conflicted = true;
    return { events: [repo.event({ kind: 'conflict', during: 'sync', ...summary, work, prevWork: oldWork })], updates: [{ ref: workRef(id), new: work, old: oldWork }] };
  });
  const res = r!;
  if (res.conflicts.length && !res.conflicted) {
    throw new GsError('conflict', `cannot sync ${shortId(id)} onto ${shortOid(res.to)}: conflict in ${res.conflicts.join(', ')}, and no worktree holds the session to resolve it in (nothing moved)`, res);
  }
  if (res.changed && c) {
    const [from, to, base] = await Promise.all([prevWork ?? res.from, res.work ?? res.to, res.to].map((rev) => treeOf(repo.cwd, rev)));
    res.worktreeUpdated = await moveCheckout(repo, c, { from, to, indexAt: base, head: res.to, stages });
    if (res.worktreeUpdated && stages.length) {
      res.reused = await rerere(c.top);
      // A resolution git rerere applied is recorded at once, as the user's earlier one.
      if (res.reused.length) await snapshot(repo, id, undefined, false, { reused: res.reused });
    }
  }
  return res;
}
