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
import { shortId } from '../core/ids.js';
import { isSessionRef, metaRef, parseSessionRef, SESSIONS_PREFIX, shardOfRef, workRef } from '../core/layout.js';
import type { FlaggedEvent } from '../core/types.js';
import { listRefs, type RefUpdate, transact, ZERO } from '../git/refs.js';
import { areAncestors } from '../git/ancestry.js';
import { acceptArchived, mergeShards, type PlannedEntry, readShardCopies, type ShardMerge } from './pull-archive.js';
import { type Ctx, type Incoming, type Plan, planExisting, planNew, planWorks, readMoved, why } from './pull-plan.js';
import { checkRemote, type Skipped, trackingPrefix } from './remotes.js';
import type { Repo } from './repo.js';
import { type ExchangeOptions, simpleGitTransport } from './transport.js';

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
  /** Refs under the remote's refs/sessions/ that are not sessions' (`<ULID>/meta|work`, or an archive shard): ignored. */
  ignored: string[];
  /** Sessions the remote archived with every event of ours: archived here too (their refs deleted). */
  archived: string[];
}

/** Where an incoming copy came from, and where our copy of that session lives. */
interface Source {
  /** The remote's shard holding the copy (absent: the remote's refs). */
  shard?: string;
  theirMeta: string;
  theirWork?: string;
  /** Our copy: in our refs, in our archive, or none. */
  mine?: { meta: string; work?: string; where: 'refs' | 'archive' };
}

/**
 * Fetches the remote's session refs (open sessions and archive shards) into its tracking
 * namespace, then brings each session into `refs/sessions/` on its own terms (see the
 * file header): created, fast-forwarded, merged as a union, or skipped with the reason.
 * A copy from the remote's archive is planned the same way and lands in our shard of it
 * (pull-archive.ts); a session whose refs the remote replaced by an archived copy holding
 * every event of ours leaves our refs for our archive too (`archived`), never otherwise.
 * A session we archived that the remote's refs move again comes back to our refs. Every
 * copy that moved is read in a few batches, then planned on its own. All moves go in one
 * transaction when they can; when that fails, one per session (or shard).
 */
export async function pullSessions(repo: Repo, remote: string, opts: ExchangeOptions = {}): Promise<PullResult> {
  checkRemote(remote);
  const res: PullResult = { remote, created: [], fastForwarded: [], merged: [], unchanged: 0, refused: [], flagged: [], skipped: [], corrected: [], ignored: [], archived: [] };
  const prefix = trackingPrefix(remote);
  const transport = opts.transport ?? simpleGitTransport(opts.onProgress);
  await transport.fetch(repo, remote, ['--prune', '--no-write-fetch-head'], [`+refs/sessions/*:${prefix}*`]);
  const incoming = new Map<string, { meta?: string; work?: string }>();
  const theirShards = new Map<string, string>();
  for (const [tref, oid] of listRefs(repo.paths.commonDir, prefix)) {
    const local = SESSIONS_PREFIX + tref.slice(prefix.length);
    const shard = shardOfRef(local);
    if (shard) theirShards.set(shard, oid);
    else if (!isSessionRef(local)) res.ignored.push(local);
    else {
      const { id, leaf } = parseSessionRef(local)!;
      incoming.set(id, { ...incoming.get(id), [leaf]: oid });
    }
  }
  const shardIn = await readShardCopies(repo, theirShards, new Set(incoming.keys()), res.skipped);
  const ours = await repo.store.refs();
  const archivedHere = await repo.store.archive.lookup([...incoming.keys(), ...shardIn.copies.map((c) => c.id)].filter((id) => !ours.has(metaRef(id))));
  const mineOf = (id: string): Source['mine'] => {
    const meta = ours.get(metaRef(id));
    if (meta) return { meta, work: ours.get(workRef(id)), where: 'refs' };
    const a = archivedHere.get(id);
    return a && !a.damaged ? { meta: a.meta, work: a.work, where: 'archive' } : undefined;
  };
  const sources = new Map<string, Source>();
  const copies: { id: string; meta: string }[] = [];
  for (const [id, inc] of incoming) {
    if (!inc.meta) res.skipped.push({ id, reason: 'damaged: the remote has its work ref but no meta ref' });
    else {
      copies.push({ id, meta: inc.meta });
      sources.set(id, { theirMeta: inc.meta, theirWork: inc.work, mine: mineOf(id) });
    }
  }
  for (const c of shardIn.copies) {
    copies.push({ id: c.id, meta: c.meta });
    sources.set(c.id, { shard: c.shard, theirMeta: c.meta, theirWork: c.work, mine: mineOf(c.id) });
  }
  const ctx: Ctx = { repo, remote, ident: await repo.ident(), fetched: new Set() };
  // Which copies moved: new sessions, and those whose copy is not behind ours.
  const plans = new Map<string, Plan>();
  const both: Incoming[] = [];
  const moved: Incoming[] = [];
  for (const { id, meta } of copies) {
    const myMeta = sources.get(id)!.mine?.meta;
    if (meta === myMeta) plans.set(id, { id, updates: [], outcome: 'unchanged' });
    else if (myMeta) both.push({ id, theirMeta: meta, myMeta });
    else moved.push({ id, theirMeta: meta });
  }
  const grown = await areAncestors(repo.cwd, both.map((m) => [m.myMeta!, m.theirMeta]));
  const notGrown = both.filter((_, i) => !grown[i]);
  const behind = await areAncestors(repo.cwd, notGrown.map((m) => [m.theirMeta, m.myMeta!]));
  both.forEach((m, i) => (m.descends = grown[i]));
  notGrown.forEach((m, i) => {
    if (behind[i]) plans.set(m.id, { id: m.id, updates: [], outcome: 'unchanged' });
  });
  moved.push(...both.filter((m) => !plans.has(m.id)));
  await readMoved(repo, moved);
  let done = 0;
  for (const m of moved) {
    opts.onProgress?.({ stage: 'checking sessions', done: done++, total: moved.length });
    try {
      plans.set(m.id, { id: m.id, ...(await (m.myMeta ? planExisting(ctx, m) : planNew(ctx, m))) });
    } catch (e) {
      res.skipped.push({ id: m.id, reason: why(e) });
    }
  }
  const theirWorks = new Map([...sources].map(([id, src]) => [id, { work: src.theirWork }]));
  const myWorks = new Map([...sources].flatMap(([id, src]) => (src.mine?.work ? [[workRef(id), src.mine.work] as [string, string]] : [])));
  await planWorks(ctx, plans, theirWorks, myWorks, res);
  await settleDestinations(repo, ctx, plans, sources, shardIn.merges, res);
  return res;
}

/**
 * Turns each plan into moves by where the copy came from and where ours lives: the refs
 * (re-created when ours was archived), our shard (a copy from the remote's archive that we
 * do not have in refs), or our archive instead of our refs (acceptArchived); then merges
 * the shards and applies everything.
 */
async function settleDestinations(repo: Repo, ctx: Ctx, plans: Map<string, Plan>, sources: Map<string, Source>, merges: ShardMerge[], res: PullResult): Promise<void> {
  const entries = new Map<string, PlannedEntry[]>();
  const notTaken = new Set<string>();
  const byShard = new Map<string, Plan[]>();
  const refPlans: Plan[] = [];
  const toShard = (shard: string, p: Plan, entry: PlannedEntry) => {
    entries.set(shard, [...(entries.get(shard) ?? []), entry]);
    byShard.set(shard, [...(byShard.get(shard) ?? []), p]);
  };
  for (const [id, p] of plans) {
    const src = sources.get(id)!;
    const mine = src.mine;
    const newMeta = p.updates.find((u) => u.ref === metaRef(id))?.new;
    const newWork = p.updates.find((u) => u.ref === workRef(id))?.new ?? mine?.work;
    if (!src.shard) {
      if (mine?.where === 'archive' && p.updates.length) {
        // An archived session the remote's refs moved on: back to our refs, with its work.
        p.updates = [{ ref: metaRef(id), new: newMeta ?? mine.meta, old: ZERO }, ...(newWork ? [{ ref: workRef(id), new: newWork, old: ZERO }] : [])];
      }
      refPlans.push(p);
      continue;
    }
    const meta = newMeta ?? mine?.meta;
    const asTheirs = meta === src.theirMeta && newWork === src.theirWork && !p.corrected;
    if (mine?.where === 'refs') {
      const accepted = acceptArchived(id, mine, { meta: src.theirMeta, work: src.theirWork }, p);
      const summary = accepted ? (p.summary ?? (await repo.store.readSummary(id, meta).catch(() => undefined))) : undefined;
      if (!accepted || !summary || !meta) {
        notTaken.add(src.shard);
        refPlans.push(p);
        continue;
      }
      p.updates = accepted;
      p.archived = true;
      toShard(src.shard, p, { entry: { id, meta, ...(newWork ? { work: newWork } : {}), summary }, asTheirs });
      continue;
    }
    if (!newMeta || !p.summary) {
      notTaken.add(src.shard);
      res.unchanged++;
      continue;
    }
    p.updates = [];
    toShard(src.shard, p, { entry: { id, meta: newMeta, ...(newWork ? { work: newWork } : {}), summary: p.summary }, asTheirs });
  }
  for (const s of res.skipped) {
    const shard = sources.get(s.id)?.shard;
    if (shard) notTaken.add(shard);
  }
  const shardUpdates = await mergeShards(repo, merges, entries, notTaken, ctx.ident);
  res.unchanged += refPlans.filter((p) => !p.updates.length).length;
  await applyPlans(repo, refPlans.filter((p) => p.updates.length), shardUpdates, byShard, res);
}

/**
 * Moves every planned ref and shard: one transaction; when that fails, one per session
 * with refs only and one per shard (with the sessions it takes from our refs), naming
 * what fails.
 */
async function applyPlans(repo: Repo, plans: Plan[], shards: Map<string, RefUpdate>, byShard: Map<string, Plan[]>, res: PullResult): Promise<void> {
  const units: { plans: Plan[]; updates: RefUpdate[]; shard?: string }[] = [
    ...plans.map((p) => ({ plans: [p], updates: p.updates })),
    ...[...shards].map(([shard, u]) => {
      const ps = byShard.get(shard) ?? [];
      return { plans: ps, updates: [u, ...ps.flatMap((p) => p.updates)], shard };
    }),
  ];
  let done: typeof units = [];
  try {
    if (units.length && (await transact(repo.cwd, units.flatMap((u) => u.updates)))) done = units;
  } catch {
    /* a clash somewhere: find it below, unit by unit */
  }
  if (done !== units) {
    for (const u of units) {
      const name = u.shard ? `the archive ${u.shard}` : '';
      try {
        if (await transact(repo.cwd, u.updates)) done.push(u);
        else for (const p of u.plans.length ? u.plans : [{ id: '' } as Plan]) res.skipped.push({ id: p.id, reason: `${name || 'it'} changed here while pulling; pull again` });
      } catch (e) {
        const why = (e as Error).message.replace(/^git update-ref failed: (fatal: )?/, '');
        for (const p of u.plans.length ? u.plans : [{ id: '' } as Plan]) res.skipped.push({ id: p.id, reason: name ? `${name}: ${why}` : why });
      }
    }
  }
  for (const u of done) {
    for (const p of u.plans) {
      if (p.archived) res.archived.push(p.id);
      else if (p.outcome !== 'unchanged') res[p.outcome].push(p.id);
      else res.unchanged++;
      if (p.refused) res.refused.push({ id: p.id, reason: p.refused });
      if (p.corrected) res.corrected.push(p.id);
      for (const f of p.flagged ?? []) res.flagged.push({ session: p.id, ...f });
    }
  }
  repo.store.archive.forget();
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
