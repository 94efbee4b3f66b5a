// `undo`, `sync --abort` and `op log`: a session's operations, and reverting the last
// one (or, for an abort, the conflicted sync and everything since) by appending an
// `undo` event and moving the refs back in one transaction. What the refs move away
// from stays reachable (the undo's meta commit keeps it as extra parents).
import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { workRef } from '../core/layout.js';
import { lastUndoable, type Op, opLog, restoredBy, sinceConflict } from '../core/oplog.js';
import { shortOid } from '../core/text.js';
import type { Restored, StoredEvent } from '../core/types.js';
import { indexTree } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import { listRefs, type RefUpdate, ZERO } from '../git/refs.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import type { Repo } from './repo.js';
import { TRACKING_PREFIX } from './remotes.js';
import { forgetPendingConflicts, moveCheckout } from './settle.js';
import { branchRef } from './target.js';
import { type Checkout, checkoutOf } from './view.js';
import { moveTargetCheckouts, type WorktreeUpdate } from './worktree-sync.js';
import { snapshot } from './work.js';

/** Ids of the events the session's summary flagged as not obeyed (a pull's verdict): no operation. */
async function notObeyed(repo: Repo, id: string): Promise<Set<string>> {
  return new Set(((await repo.store.readSummary(id)).flagged ?? []).map((f) => f.id));
}

/** `op log`: a session's operations, oldest first. */
export async function sessionOps(repo: Repo, id: string): Promise<Op[]> {
  return opLog(id, await repo.store.readEvents(id), await notObeyed(repo, id));
}

/** What `undo` (or `sync --abort`) did. */
export interface UndoResult {
  session: string;
  /** The operations reverted (the first is the one the `undo` event names). */
  undone: { id: string; kind: string; ts: string }[];
  restored: Restored;
  target?: { ref: string; from: string; to: string };
  /** The checkout whose files went back, when one did. */
  worktree?: { path: string; updated: boolean; reason: string };
  /** Other worktrees with the target checked out, after an undone landing. */
  others?: WorktreeUpdate[];
}

/** Refuses to revert what a remote already has: the next pull would bring it back. */
async function refusePushed(repo: Repo, id: string, ops: Op[], events: StoredEvent[]): Promise<void> {
  const ids = new Set(ops.flatMap((o) => o.events));
  for (const [ref, oid] of listRefs(repo.paths.commonDir, TRACKING_PREFIX)) {
    if (!ref.endsWith(`/${id}/meta`)) continue;
    const theirs = await repo.store.readEvents(id, oid).catch(() => []);
    if (theirs.some((e) => ids.has(e.id))) throw new GsError('policy', `the ${ops[0].kind} to undo was pushed (${ref.slice(TRACKING_PREFIX.length).split('/')[0]} has it): undoing it here would come back with the next pull`);
  }
  const land = events.find((e) => e.id === ops[0].id);
  if (land?.kind === 'land') {
    const r = await runGit(['for-each-ref', '--contains', land.commit, '--format=%(refname)', 'refs/remotes/'], { cwd: repo.cwd, allowFail: true });
    const on = r.stdout.split('\n').filter(Boolean);
    if (on.length) throw new GsError('policy', `the landed commit ${shortOid(land.commit)} is on ${on[0].replace(/^refs\/remotes\//, '')}: it was pushed, so the landing can't be undone (git revert it instead)`);
  }
}

/**
 * Trees of every work commit the session ever recorded (what an undo moves away from
 * stays reachable): checkout files equal to one of these lose nothing when moved.
 */
async function recordedTrees(repo: Repo, events: StoredEvent[], current?: string): Promise<Set<string>> {
  const commits = events.flatMap((e) => (e.kind === 'snapshot' ? [e.commit] : (e.kind === 'sync' || e.kind === 'conflict') && e.work ? [e.work] : e.kind === 'land' ? [e.commit] : []));
  if (current) commits.push(current);
  const out = new Set<string>();
  for (let i = 0; i < commits.length; i += 500) {
    const r = await runGit(['log', '--no-walk=unsorted', '--format=%T', ...commits.slice(i, i + 500), '--'], { cwd: repo.cwd, allowFail: true });
    for (const t of r.stdout.split('\n')) if (t) out.add(t);
  }
  return out;
}

/** The checkout an undo of a landing puts the session's files back in: its own, or this one when it has the target checked out. */
async function landingCheckout(repo: Repo, id: string, target: string): Promise<Checkout | undefined> {
  const own = await checkoutOf(repo, id);
  if (own) return own;
  const here = repo.paths.top ? await checkoutOf(repo, id, true) : undefined;
  return here?.head.branch === branchRef(target) ? here : undefined;
}

/**
 * Reverts `ops` (the last live operation, or for an abort the conflicted sync and all
 * since): one transaction appends the `undo` event, moves the work ref back (and, for a
 * landing, the target back by compare-and-swap from the landed commit), and keeps what
 * they move away from reachable. Then the checkout's files go back when the reverted
 * operation had moved them (sync, landing) and they hold nothing unrecorded.
 */
async function revert(repo: Repo, id: string, events: StoredEvent[], ops: Op[]): Promise<UndoResult> {
  const op = ops[0];
  const s = await repo.store.readSummary(id);
  const first = events.find((e) => e.id === op.id)!;
  if (first.kind === 'land' && first.via) {
    // Reconcile found the work on the target in a commit land did not make: only taking that commit off the target un-lands it.
    throw new GsError('policy', `the session landed as ${shortOid(first.commit)} on ${first.target}, a commit land did not make (found by ${first.via}): it stays landed while that commit is there (git revert it instead)`);
  }
  await refusePushed(repo, id, ops, events);
  const restored = restoredBy(op);
  const moves = ops.some((o) => o.kind === 'sync' || o.kind === 'conflict' || o.kind === 'land');
  const c = moves ? (first.kind === 'land' ? await landingCheckout(repo, id, first.target) : await checkoutOf(repo, id)) : undefined;
  let disk: string | undefined;
  if (c) {
    disk = await worktreeTree(c.top, c.gitDir);
    const ok = await recordedTrees(repo, events, s.work);
    if (!ok.has(disk)) throw new GsError('policy', `worktree ${c.top} has changes the session has not recorded: snapshot them (git session snapshot) or discard them first (nothing undone)`);
  }
  const work = await repo.store.workTip(id);
  let target: UndoResult['target'];
  const updates: RefUpdate[] = [];
  if ((work ?? null) !== restored.work) updates.push({ ref: workRef(id), new: restored.work ?? ZERO, old: work ?? ZERO });
  const keep = work && work !== restored.work ? [work] : [];
  if (first.kind === 'land' && first.commit !== first.previousTip) {
    const ref = branchRef(first.target);
    const tip = await repo.store.objects.resolve(ref);
    if (tip !== first.commit) throw new GsError('policy', `${first.target} moved on since the landing (${shortOid(tip ?? ZERO)}, not ${shortOid(first.commit)}): the landing can't be taken off; git revert ${shortOid(first.commit)} instead`);
    target = { ref, from: first.commit, to: first.previousTip };
    updates.push({ ref, new: first.previousTip, old: first.commit });
    keep.push(first.commit);
  }
  await repo.store.append(id, await repo.ident(), (cur) => {
    if (cur.events !== s.events) throw new GsError('contention', `session ${shortId(id)} changed while undoing: run it again`);
    return { events: [repo.event({ kind: 'undo', of: op.id, op: op.kind, restore: restored, ...(target ? { target } : {}) })], updates, keep };
  });
  const res: UndoResult = { session: id, undone: ops.map((o) => ({ id: o.id, kind: o.kind, ts: o.ts })), restored, ...(target ? { target } : {}) };
  if (c && disk) {
    const [to, base] = await Promise.all([treeOf(repo.cwd, restored.work ?? restored.base), treeOf(repo.cwd, restored.base)]);
    const conflicted = (await indexTree(c.top)) === undefined;
    const updated = await moveCheckout(repo, c, { from: disk, to, indexAt: base, head: restored.base });
    if (updated && conflicted) await forgetPendingConflicts(c);
    if (updated && first.kind === 'land' && !(await repo.current())) await repo.setCurrent(id, c.gitDir);
    res.worktree = { path: c.top, updated, reason: updated ? 'files back as they were before' : 'git refused to update it' };
  }
  if (target) res.others = await moveTargetCheckouts(repo, id, target.ref, target.from, target.to, c?.top);
  return res;
}

/** `undo`: reverts the session's last operation not yet undone (exit 1 when there is none). */
export async function undoSession(repo: Repo, id: string): Promise<UndoResult> {
  const events = await repo.store.readEvents(id);
  const op = lastUndoable(opLog(id, events, await notObeyed(repo, id)));
  if (!op) throw new GsError('policy', `session ${shortId(id)} has no operation left to undo`);
  return revert(repo, id, events, [op]);
}

/**
 * `sync --abort`: takes a conflicted session back to exactly its pre-sync work (edits
 * made since are snapshotted first, so they stay reachable), reverting the sync and
 * every operation after it.
 */
export async function abortSync(repo: Repo, id: string): Promise<UndoResult> {
  const s = await repo.store.readSummary(id);
  if (s.state !== 'conflicted') throw new GsError('policy', `session ${shortId(id)} is ${s.state}, not conflicted: no sync to abort`);
  await snapshot(repo, id);
  const events = await repo.store.readEvents(id);
  const ops = sinceConflict(opLog(id, events, await notObeyed(repo, id)));
  if (!ops) throw new GsError('damaged', `session ${shortId(id)} is conflicted but no sync made it so`);
  return revert(repo, id, events, ops);
}
