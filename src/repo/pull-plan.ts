// Planning one incoming copy of a session (pull.ts fetches, pull-archive.ts walks the
// shards): read in batches, then each copy on its own under the append-only rule and the
// authority rules (see pull.ts's header and the README's "Trust model").
import { GsError } from '../core/errors.js';
import { dropped, foldEvents, sameSummary, unionEvents, type Authority } from '../core/fold.js';
import { metaRef, workRef } from '../core/layout.js';
import { plural, shortOid } from '../core/text.js';
import type { SummaryCheck } from '../core/schema.js';
import type { EventOf, FlaggedEvent, SessionSummary, StoredEvent } from '../core/types.js';
import { runGit } from '../git/exec.js';
import type { Ident } from '../git/objects.js';
import { type RefUpdate, ZERO } from '../git/refs.js';
import { areAncestors } from '../git/ancestry.js';
import { isAncestor, type Skipped } from './remotes.js';
import type { Repo } from './repo.js';
import { branchRef } from './target.js';

/** What planning decided for one session: the ref updates and what to report. */
export interface Plan {
  id: string;
  updates: RefUpdate[];
  outcome: 'created' | 'fastForwarded' | 'merged' | 'unchanged';
  refused?: string;
  corrected?: boolean;
  /** Events this pull newly keeps as data without obeying them. */
  flagged?: FlaggedEvent[];
  /** The summary the new meta commit holds (for an archive entry), when it moves. */
  summary?: SessionSummary;
  /** The session leaves our refs for our archive (the remote archived it with every event). */
  archived?: boolean;
}

/** What every plan of one pull shares. */
export interface Ctx {
  repo: Repo;
  remote: string;
  ident: Ident;
  /** Target branches already fetched from the remote to verify a `land`. */
  fetched: Set<string>;
}

/** Why an error stops one session: its own reason for damaged data, else the message. */
export function why(e: unknown): string {
  const d = (e as GsError).details as { reason?: string } | undefined;
  return e instanceof GsError && e.code === 'damaged' && d?.reason ? `damaged: ${d.reason}` : (e as Error).message;
}

/** What the read phase gathered for one session whose meta ref moved on the remote. */
export interface Incoming {
  id: string;
  theirMeta: string;
  myMeta?: string;
  theirs?: StoredEvent[];
  mine?: StoredEvent[];
  theirSummary?: SummaryCheck;
  mySummary?: SummaryCheck;
  /** For a new session: the first event of its creating chain's root commit. */
  rootStart?: string;
  /** Why a copy could not be read (then the session is skipped). */
  problem?: string;
  /** The remote's copy descends from ours (our tip is one of its ancestors). */
  descends?: boolean;
}


/** Reads, in a handful of batches, what planning the moved sessions needs (see Incoming). */
export async function readMoved(repo: Repo, moved: Incoming[]): Promise<void> {
  const { store } = repo;
  const existing = moved.filter((m) => m.myMeta);
  const fresh = moved.filter((m) => !m.myMeta);
  const bad = new Map<string, string>();
  const badMine = new Map<string, string>();
  const [theirs, mine, theirSums, mySums, roots] = await Promise.all([
    store.readEventsMany(moved.map((m) => ({ id: m.id, meta: m.theirMeta })), bad),
    store.readEventsMany(existing.map((m) => ({ id: m.id, meta: m.myMeta! })), badMine),
    store.readSummaries(moved.map((m) => ({ id: m.id, meta: m.theirMeta }))),
    store.readSummaries(existing.map((m) => ({ id: m.id, meta: m.myMeta! }))),
    store.creatingStarts(fresh.map((m) => m.theirMeta)),
  ]);
  moved.forEach((m, i) => {
    m.theirs = theirs.get(m.id);
    m.theirSummary = theirSums[i];
  });
  existing.forEach((m, i) => {
    m.mine = mine.get(m.id);
    m.mySummary = mySums[i];
  });
  for (const m of fresh) m.rootStart = roots.get(m.theirMeta);
  for (const m of moved) {
    const mineBad = badMine.get(m.id);
    if (mineBad) m.problem = `the local copy is damaged (${mineBad})`;
    else if (bad.has(m.id)) m.problem = `damaged: ${bad.get(m.id)}`;
  }
}


/**
 * A session this repository does not have: its own root commit's first event is its
 * start. A copy that puts another event first is reordered (that start first) in a commit
 * on top of it, and refused.
 */
export async function planNew(ctx: Ctx, m: Incoming): Promise<Omit<Plan, 'id'>> {
  const { id, theirMeta } = m;
  const events = readable(m, m.theirs);
  const start = m.rootStart;
  if (!start || !events.some((e) => e.kind === 'start' && e.id === start)) {
    throw new GsError('damaged', `session ${id} is damaged: it lacks the start its first commit holds`, { id, reason: 'it lacks the start its first commit holds' });
  }
  const auth = await authority(ctx, events, start, new Set());
  if (events[0].id !== start) {
    const { commit, summary } = await ctx.repo.store.writeMerged(id, unionEvents(events, [], start), [theirMeta], ctx.ident, auth);
    return { updates: [{ ref: metaRef(id), new: commit, old: ZERO }], outcome: 'created', refused: 'its copy puts another event before the session’s own start (reordered)', flagged: summary.flagged, summary };
  }
  const summary = foldEvents(id, events, auth);
  const { tip, corrected } = await settle(ctx, id, theirMeta, summary, m.theirSummary);
  return { updates: [{ ref: metaRef(id), new: tip, old: ZERO }], outcome: 'created', corrected, flagged: summary.flagged, summary };
}

/** The events the read phase found for a copy, or the reason it could not read them. */
function readable(m: Incoming, events: StoredEvent[] | undefined): StoredEvent[] {
  if (m.problem || !events) throw new GsError('damaged', m.problem ?? 'unreadable', { id: m.id, reason: (m.problem ?? 'unreadable').replace(/^damaged: /, '') });
  return events;
}

/**
 * A session both sides have, the remote's copy not behind ours: taken as it is when it
 * keeps every event we have, still starts with our start and descends from our tip;
 * otherwise merged as the union of both (our start first), both histories as parents,
 * and refused when it dropped events or put another event first.
 */
export async function planExisting(ctx: Ctx, m: Incoming): Promise<Omit<Plan, 'id'>> {
  const { id, theirMeta } = m;
  const myMeta = m.myMeta!;
  const mine = readable(m, m.mine);
  const theirs = readable(m, m.theirs);
  const start = mine[0].id;
  const mySummary = m.mySummary?.ok ? m.mySummary.summary : undefined;
  // What the local copy already obeyed stays obeyed; the rest is checked against the target.
  const notObeyed = new Set((mySummary?.flagged ?? []).map((f) => f.id));
  const trusted = new Set(mine.filter((e) => !notObeyed.has(e.id)).map((e) => e.id));
  const lost = dropped(mine, theirs);
  const sameStart = theirs[0].id === start;
  const newFlags = (s: SessionSummary) => (s.flagged ?? []).filter((f) => !notObeyed.has(f.id));
  if (!lost.length && sameStart && m.descends) {
    const summary = foldEvents(id, theirs, await authority(ctx, theirs, start, trusted));
    const { tip, corrected } = await settle(ctx, id, theirMeta, summary, m.theirSummary);
    return { updates: [{ ref: metaRef(id), new: tip, old: myMeta }], outcome: 'fastForwarded', corrected, flagged: newFlags(summary), summary };
  }
  const union = unionEvents(mine, theirs, start);
  const { commit, summary } = await ctx.repo.store.writeMerged(id, union, [myMeta, theirMeta], ctx.ident, await authority(ctx, union, start, trusted));
  const erased = lost.length ? await droppedFromOwnHistory(ctx, id, myMeta, theirMeta, lost) : 0;
  const refused = erased
    ? `its copy drops ${plural(erased, 'event')} its own history held (kept here: merged as a union)`
    : !sameStart
      ? 'its copy puts another event before the session’s own start (merged as a union)'
      : undefined;
  return { updates: [{ ref: metaRef(id), new: commit, old: myMeta }], outcome: 'merged', refused, flagged: newFlags(summary), summary };
}

/**
 * How many of the events the remote's copy lacks its own history held: those in the
 * common ancestor of both copies (all of them when there is none: the history was
 * replaced). Events recorded here since the copies diverged are not the remote's to keep.
 */
async function droppedFromOwnHistory(ctx: Ctx, id: string, myMeta: string, theirMeta: string, lost: StoredEvent[]): Promise<number> {
  const mb = await runGit(['merge-base', myMeta, theirMeta], { cwd: ctx.repo.cwd, allowFail: true });
  const base = mb.stdout.trim();
  if (mb.code !== 0 || !base) return lost.length;
  const had = await ctx.repo.store.readEvents(id, base).catch(() => [] as StoredEvent[]);
  // dropped(lost, had): the lost events the base did not hold (recorded here since).
  return lost.length - dropped(lost, had).length;
}

/**
 * The remote's tip when its `session.json` (as read) says what its events fold to; else a
 * commit on top of it (the remote's tip as parent) holding the summary folded here.
 */
async function settle(ctx: Ctx, id: string, theirMeta: string, summary: SessionSummary, stored?: SummaryCheck): Promise<{ tip: string; corrected: boolean }> {
  if (stored?.ok && sameSummary(stored.summary, summary)) return { tip: theirMeta, corrected: false };
  return { tip: await ctx.repo.store.writeSummary(id, theirMeta, summary, ctx.ident), corrected: true };
}

/**
 * Who the fold obeys: the session's own start; each `land` only when its commit is on
 * the target (the local branch, or the remote's tracking branch, fetched once when the
 * commit is not found there yet) — or on the local branch it names (`land --onto`); a
 * `landing` that names the target, the same way; and an `undo` of a land only when the
 * landed commit is no longer on the target (a session stays landed while its commit is
 * there). Events the local copy already obeyed (`trusted`) stay obeyed.
 */
async function authority(ctx: Ctx, events: StoredEvent[], start: string, trusted: Set<string>): Promise<Authority> {
  const first = events.find((e) => e.kind === 'start' && e.id === start);
  const target = first?.kind === 'start' ? first.target : '';
  const faults = new Map<string, string>();
  const lands = new Map(events.filter((e) => e.kind === 'land').map((e) => [e.id, e as EventOf<'land'>]));
  for (const e of events) {
    if (trusted.has(e.id)) continue;
    if (e.kind === 'land' || (e.kind === 'landing' && e.branch === target)) {
      if (!(await onTarget(ctx, e.commit, target, e.kind === 'land' ? e.target : target))) faults.set(e.id, `its commit ${shortOid(e.commit)} is not on ${target} (here or on ${ctx.remote})`);
    } else if (e.kind === 'undo' && e.op === 'land') {
      const land = lands.get(e.of);
      if (land && (await stillOnTarget(ctx, land.commit, target, land.target))) faults.set(e.id, `the landed commit ${shortOid(land.commit)} it takes back is still on ${target}`);
    }
  }
  return { start, landFault: (ev) => faults.get(ev.id), undoFault: (ev) => faults.get(ev.id) };
}

/** The branches a commit counts as landed on: the target, the remote's copy of it, and the branch a `land --onto` named. */
function targetRefs(ctx: Ctx, target: string, named: string): string[] {
  return [branchRef(target), `refs/remotes/${ctx.remote}/${target}`, ...(named !== target ? [branchRef(named)] : [])];
}

async function isOn(ctx: Ctx, commit: string, ref: string): Promise<boolean> {
  return (await ctx.repo.store.objects.resolve(ref)) !== undefined && isAncestor(ctx.repo, commit, ref);
}

/** Whether `commit` is on the target as this repository sees it now (no fetch). */
async function stillOnTarget(ctx: Ctx, commit: string, target: string, named: string): Promise<boolean> {
  for (const ref of targetRefs(ctx, target, named)) if (await isOn(ctx, commit, ref)) return true;
  return false;
}

async function onTarget(ctx: Ctx, commit: string, target: string, named: string): Promise<boolean> {
  if (await stillOnTarget(ctx, commit, target, named)) return true;
  if (ctx.fetched.has(target)) return false;
  ctx.fetched.add(target);
  // Opportunistic fetch: git updates the remote's tracking branch by its configured refspec.
  await runGit(['fetch', '--quiet', '--no-write-fetch-head', ctx.remote, branchRef(target)], { cwd: ctx.repo.cwd, allowFail: true });
  return isOn(ctx, commit, `refs/remotes/${ctx.remote}/${target}`);
}

/**
 * The work refs of the planned sessions: a new one taken (it must name a commit),
 * fast-forwarded, kept when theirs is behind, else a merge keeping our tree with theirs
 * reachable as a parent. Ancestry is asked for all of them at once.
 */
export async function planWorks(ctx: Ctx, plans: Map<string, Plan>, incoming: Map<string, { work?: string }>, ours: Map<string, string>, res: { skipped: Skipped[] }): Promise<void> {
  const { objects } = ctx.repo.store;
  const todo = [...plans.keys()]
    .map((id) => ({ id, theirs: incoming.get(id)?.work, mine: ours.get(workRef(id)) }))
    .filter((w): w is { id: string; theirs: string; mine: string | undefined } => !!w.theirs && w.theirs !== w.mine);
  const pairs = todo.filter((w) => w.mine);
  const grown = await areAncestors(ctx.repo.cwd, pairs.map((w) => [w.mine!, w.theirs]));
  const rest = pairs.filter((_, i) => !grown[i]);
  const behindFlags = await areAncestors(ctx.repo.cwd, rest.map((w) => [w.theirs, w.mine!]));
  const ff = new Set(pairs.filter((_, i) => grown[i]).map((w) => w.id));
  const behind = new Set(rest.filter((_, i) => behindFlags[i]).map((w) => w.id));
  for (const w of todo) {
    try {
      const ref = workRef(w.id);
      let update: RefUpdate | undefined;
      if (!w.mine) {
        await objects.readCommit(w.theirs); // a work ref must name a commit
        update = { ref, new: w.theirs, old: ZERO };
      } else if (ff.has(w.id)) update = { ref, new: w.theirs, old: w.mine };
      else if (!behind.has(w.id)) {
        const tree = (await objects.readCommit(w.mine)).tree;
        const merged = await objects.writeCommit({ tree, parent: [w.mine, w.theirs], message: `merge diverged work of session ${w.id}\n\nSession-Id: ${w.id}\n`, author: ctx.ident });
        update = { ref, new: merged, old: w.mine };
      }
      if (update) plans.get(w.id)!.updates.push(update);
    } catch (e) {
      plans.delete(w.id);
      res.skipped.push({ id: w.id, reason: why(e) });
    }
  }
}

