// `pull`: a remote's sessions come in as data, never as authority. Each session is
// planned on its own (a bad one is skipped and named, every other one moves), every
// incoming copy is read through the schema, and the append-only rule holds: an incoming
// tip is taken only when it keeps every event the local copy has and its first event is
// still the session's own start; otherwise both copies merge as a union (nothing dropped),
// and the remote is reported as refused for that session when its copy dropped events its
// own history held (a plain divergence, two clones recording at once, is just merged).
// What is stored locally is always folded here from the validated events, with the
// session's own start and only the `land` events whose commit is on the target; events
// kept as data and not obeyed are reported (README, "Trust model").
import { GsError } from '../core/errors.js';
import { dropped, foldEvents, sameSummary, unionEvents, type Authority } from '../core/fold.js';
import { shortId } from '../core/ids.js';
import { isSessionRef, metaRef, parseSessionRef, SESSIONS_PREFIX, workRef } from '../core/layout.js';
import { plural, shortOid } from '../core/text.js';
import type { EventOf, FlaggedEvent, SessionSummary, StoredEvent } from '../core/types.js';
import { runGit } from '../git/exec.js';
import type { Ident } from '../git/objects.js';
import { listRefs, type RefUpdate, transact, ZERO } from '../git/refs.js';
import { checkRemote, isAncestor, type Skipped, trackingPrefix } from './remotes.js';
import type { Repo } from './repo.js';
import { type ExchangeOptions, simpleGitTransport } from './transport.js';
import { branchRef } from './target.js';

/** What a pull did. */
export interface PullResult {
  remote: string;
  created: string[];
  fastForwarded: string[];
  merged: string[];
  unchanged: number;
  /** Sessions whose incoming copy broke the append-only rule: merged as a union instead, nothing lost. */
  refused: Skipped[];
  /** Events that came in and are kept as data but not obeyed (a second start, a land not on the target, an invalid event). */
  flagged: (FlaggedEvent & { session: string })[];
  /** Sessions left as they were: a damaged incoming copy, a ref name clash, a lost compare-and-swap. */
  skipped: Skipped[];
  /** Sessions whose incoming `session.json` did not match its own events: stored with the summary folded here. */
  corrected: string[];
  /** Refs under the remote's refs/sessions/ that are not sessions' (`<ULID>/meta|work`): ignored. */
  ignored: string[];
}

interface Plan {
  id: string;
  updates: RefUpdate[];
  outcome: 'created' | 'fastForwarded' | 'merged' | 'unchanged';
  refused?: string;
  corrected?: boolean;
  /** Events this pull newly keeps as data without obeying them. */
  flagged?: FlaggedEvent[];
}

interface Ctx {
  repo: Repo;
  remote: string;
  ident: Ident;
  /** Target branches already fetched from the remote to verify a `land`. */
  fetched: Set<string>;
}

/** Why an error stops one session: its own reason for damaged data, else the message. */
function why(e: unknown): string {
  const d = (e as GsError).details as { reason?: string } | undefined;
  return e instanceof GsError && e.code === 'damaged' && d?.reason ? `damaged: ${d.reason}` : (e as Error).message;
}

/**
 * Fetches the remote's session refs into its tracking namespace, then brings each session
 * into `refs/sessions/` on its own terms (see the file header): created, fast-forwarded,
 * merged as a union, or skipped with the reason. All moves go in one transaction when
 * they can; when that fails, one per session, so one clash moves nothing but itself.
 */
export async function pullSessions(repo: Repo, remote: string, opts: ExchangeOptions = {}): Promise<PullResult> {
  checkRemote(remote);
  const res: PullResult = { remote, created: [], fastForwarded: [], merged: [], unchanged: 0, refused: [], flagged: [], skipped: [], corrected: [], ignored: [] };
  const prefix = trackingPrefix(remote);
  const transport = opts.transport ?? simpleGitTransport(opts.onProgress);
  await transport.fetch(repo, remote, ['--prune', '--no-write-fetch-head'], [`+refs/sessions/*:${prefix}*`]);
  const incoming = new Map<string, { meta?: string; work?: string }>();
  for (const [tref, oid] of listRefs(repo.paths.commonDir, prefix)) {
    const local = SESSIONS_PREFIX + tref.slice(prefix.length);
    if (!isSessionRef(local)) {
      if (!local.startsWith(`${SESSIONS_PREFIX}archive/`)) res.ignored.push(local);
      continue;
    }
    const { id, leaf } = parseSessionRef(local)!;
    incoming.set(id, { ...incoming.get(id), [leaf]: oid });
  }
  const ours = await repo.store.refs();
  const ctx: Ctx = { repo, remote, ident: await repo.ident(), fetched: new Set() };
  const plans: Plan[] = [];
  let done = 0;
  for (const [id, inc] of incoming) {
    opts.onProgress?.({ stage: 'checking sessions', done: done++, total: incoming.size });
    try {
      const plan = await planSession(ctx, id, inc, ours.get(metaRef(id)), ours.get(workRef(id)));
      if (plan.updates.length) plans.push(plan);
      else res.unchanged++;
    } catch (e) {
      res.skipped.push({ id, reason: why(e) });
    }
  }
  await applyPlans(repo, plans, res);
  return res;
}

/** Moves every planned ref: one transaction, else one per session (naming those that fail). */
async function applyPlans(repo: Repo, plans: Plan[], res: PullResult): Promise<void> {
  let done: Plan[] = [];
  try {
    if (plans.length && (await transact(repo.cwd, plans.flatMap((p) => p.updates)))) done = plans;
  } catch {
    /* a clash somewhere: find it below, session by session */
  }
  if (done !== plans) {
    for (const p of plans) {
      try {
        if (await transact(repo.cwd, p.updates)) done.push(p);
        else res.skipped.push({ id: p.id, reason: 'it changed here while pulling; pull again' });
      } catch (e) {
        res.skipped.push({ id: p.id, reason: (e as Error).message.replace(/^git update-ref failed: (fatal: )?/, '') });
      }
    }
  }
  for (const p of done) {
    if (p.outcome !== 'unchanged') res[p.outcome].push(p.id);
    else res.unchanged++;
    if (p.refused) res.refused.push({ id: p.id, reason: p.refused });
    if (p.corrected) res.corrected.push(p.id);
    for (const f of p.flagged ?? []) res.flagged.push({ session: p.id, ...f });
  }
}

/** The ref moves one session needs (none when the local copy already has everything). */
async function planSession(ctx: Ctx, id: string, inc: { meta?: string; work?: string }, myMeta?: string, myWork?: string): Promise<Plan> {
  const plan: Plan = { id, updates: [], outcome: 'unchanged' };
  if (!inc.meta) throw new GsError('damaged', 'the remote has its work ref but no meta ref');
  if (inc.meta !== myMeta && !(myMeta && (await isAncestor(ctx.repo, inc.meta, myMeta)))) {
    const m = await (myMeta ? planExisting(ctx, id, inc.meta, myMeta) : planNew(ctx, id, inc.meta));
    Object.assign(plan, m);
  }
  if (inc.work && inc.work !== myWork) {
    const w = await planWork(ctx, id, inc.work, myWork);
    if (w) plan.updates.push(w);
  }
  return plan;
}

/** A session this repository does not have: its own root commit's first event is its start. */
async function planNew(ctx: Ctx, id: string, theirMeta: string): Promise<Omit<Plan, 'id'>> {
  const { store } = ctx.repo;
  const events = await store.readEvents(id, theirMeta);
  const start = await store.creatingStart(theirMeta);
  if (!start || start !== events[0].id) {
    throw new GsError('damaged', `session ${id} is damaged: its first event is not the start its first commit holds`, { id, reason: 'its first event is not the start its first commit holds' });
  }
  const summary = foldEvents(id, events, await authority(ctx, events, start, new Set()));
  const { tip, corrected } = await settle(ctx, id, theirMeta, summary);
  return { updates: [{ ref: metaRef(id), new: tip, old: ZERO }], outcome: 'created', corrected, flagged: summary.flagged };
}

/**
 * A session both sides have, the remote's copy not behind ours: taken as it is when it
 * keeps every event we have, still starts with our start and descends from our tip;
 * otherwise merged as the union of both (our start first), both histories as parents,
 * and refused when it dropped events or put another event first.
 */
async function planExisting(ctx: Ctx, id: string, theirMeta: string, myMeta: string): Promise<Omit<Plan, 'id'>> {
  const { store } = ctx.repo;
  const mine = await store.readEvents(id, myMeta).catch((e) => {
    throw new GsError('damaged', `the local copy is damaged (${why(e)})`);
  });
  const theirs = await store.readEvents(id, theirMeta);
  const start = mine[0].id;
  const mySummary = await store.readSummary(id, myMeta).catch(() => undefined);
  // Lands the local copy already obeyed stay obeyed; the rest are checked against the target.
  const notObeyed = new Set((mySummary?.flagged ?? []).map((f) => f.id));
  const trusted = new Set(mine.filter((e) => e.kind === 'land' && !notObeyed.has(e.id)).map((e) => e.id));
  const lost = dropped(mine, theirs);
  const sameStart = theirs[0].id === start;
  const newFlags = (s: SessionSummary) => (s.flagged ?? []).filter((f) => !notObeyed.has(f.id));
  if (!lost.length && sameStart && (await isAncestor(ctx.repo, myMeta, theirMeta))) {
    const summary = foldEvents(id, theirs, await authority(ctx, theirs, start, trusted));
    const { tip, corrected } = await settle(ctx, id, theirMeta, summary);
    return { updates: [{ ref: metaRef(id), new: tip, old: myMeta }], outcome: 'fastForwarded', corrected, flagged: newFlags(summary) };
  }
  const union = unionEvents(mine, theirs, start);
  const { commit, summary } = await store.writeMerged(id, union, [myMeta, theirMeta], ctx.ident, await authority(ctx, union, start, trusted));
  const erased = lost.length ? await droppedFromOwnHistory(ctx, id, myMeta, theirMeta, lost) : 0;
  const refused = erased
    ? `its copy drops ${plural(erased, 'event')} its own history held (kept here: merged as a union)`
    : !sameStart
      ? 'its copy puts another event before the session’s own start (merged as a union)'
      : undefined;
  return { updates: [{ ref: metaRef(id), new: commit, old: myMeta }], outcome: 'merged', refused, flagged: newFlags(summary) };
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
 * The remote's tip when its `session.json` says what its events fold to; else a commit on
 * top of it (the remote's tip as parent) holding the summary folded here.
 */
async function settle(ctx: Ctx, id: string, theirMeta: string, summary: SessionSummary): Promise<{ tip: string; corrected: boolean }> {
  const stored = await ctx.repo.store.readSummary(id, theirMeta).catch(() => undefined);
  if (stored && sameSummary(stored, summary)) return { tip: theirMeta, corrected: false };
  return { tip: await ctx.repo.store.writeSummary(id, theirMeta, summary, ctx.ident), corrected: true };
}

/**
 * Who the fold obeys: the session's own start, and each `land` only when its commit is on
 * the target (the local branch, or the remote's tracking branch, fetched once when the
 * commit is not found there yet) — or on the local branch it names (`land --onto`).
 */
async function authority(ctx: Ctx, events: StoredEvent[], start: string, trusted: Set<string>): Promise<Authority> {
  const first = events.find((e) => e.kind === 'start' && e.id === start);
  const target = first?.kind === 'start' ? first.target : '';
  const faults = new Map<string, string>();
  for (const e of events) {
    if (e.kind !== 'land' || trusted.has(e.id)) continue;
    if (!(await onTarget(ctx, e, target))) faults.set(e.id, `its commit ${shortOid(e.commit)} is not on ${target} (here or on ${ctx.remote})`);
  }
  return { start, landFault: (ev: EventOf<'land'>) => faults.get(ev.id) };
}

async function onTarget(ctx: Ctx, ev: EventOf<'land'>, target: string): Promise<boolean> {
  const tracking = `refs/remotes/${ctx.remote}/${target}`;
  const refs = [branchRef(target), tracking, ...(ev.target !== target ? [branchRef(ev.target)] : [])];
  const on = async (ref: string) => (await ctx.repo.store.objects.resolve(ref)) !== undefined && isAncestor(ctx.repo, ev.commit, ref);
  for (const ref of refs) if (await on(ref)) return true;
  if (ctx.fetched.has(target)) return false;
  ctx.fetched.add(target);
  // Opportunistic fetch: git updates the remote's tracking branch by its configured refspec.
  await runGit(['fetch', '--quiet', '--no-write-fetch-head', ctx.remote, branchRef(target)], { cwd: ctx.repo.cwd, allowFail: true });
  return on(tracking);
}

/** The work ref: fast-forward, keep ours when theirs is behind, else a merge keeping our tree. */
async function planWork(ctx: Ctx, id: string, theirWork: string, myWork?: string): Promise<RefUpdate | undefined> {
  const { objects } = ctx.repo.store;
  await objects.readCommit(theirWork); // a work ref must name a commit
  if (!myWork) return { ref: workRef(id), new: theirWork, old: ZERO };
  if (await isAncestor(ctx.repo, myWork, theirWork)) return { ref: workRef(id), new: theirWork, old: myWork };
  if (await isAncestor(ctx.repo, theirWork, myWork)) return undefined;
  const tree = (await objects.readCommit(myWork)).tree;
  const merged = await objects.writeCommit({ tree, parent: [myWork, theirWork], message: `merge diverged work of session ${id}\n\nSession-Id: ${id}\n`, author: ctx.ident });
  return { ref: workRef(id), new: merged, old: myWork };
}

/** One line per session a pull refused or skipped (and the count of ignored refs), for text output. */
export function pullProblems(r: PullResult): string[] {
  const out: string[] = [];
  for (const s of r.refused) out.push(`refused ${r.remote}'s copy of ${shortId(s.id)}: ${s.reason}`);
  for (const s of r.skipped) out.push(`skipped ${s.id ? shortId(s.id) : 'a ref'}: ${s.reason}`);
  for (const f of r.flagged) out.push(`kept as data, not obeyed: ${f.kind || 'event'} ${shortId(f.id)} in ${shortId(f.session)}: ${f.reason}`);
  for (const id of r.corrected) out.push(`corrected ${shortId(id)}: its session.json did not match its events`);
  return out;
}
