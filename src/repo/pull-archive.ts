// `pull` of a remote's archive shards: each shard that moved is compared with ours bucket
// by bucket (only buckets whose blob differs are read), every entry that changed becomes
// an incoming copy planned like any session (pull.ts, pull-plan.ts), and the shard is
// merged as a union: nothing this clone archived is dropped, an entry is taken only as
// planned, and every commit an entry names stays reachable from our shard.
import { type ArchiveEntry, bucketLines, parseBucket } from '../core/archive.js';
import { archiveRef, bucketPath, metaRef, workRef } from '../core/layout.js';
import type { SessionSummary } from '../core/types.js';
import { areAncestors } from '../git/ancestry.js';
import { type ShardPut, writeShard } from '../git/archive.js';
import { withCatFile } from '../git/catfile.js';
import { runGit } from '../git/exec.js';
import { decodeCommit } from '../git/loose.js';
import type { Ident } from '../git/objects.js';
import { type RefUpdate, ZERO } from '../git/refs.js';
import type { Skipped } from './remotes.js';
import type { Repo } from './repo.js';

/** An archived copy a remote's shard brings. */
export interface ShardCopy {
  id: string;
  meta: string;
  work?: string;
  shard: string;
}

/** A shard to merge: the remote's tip, ours, and whether ours holds entries theirs lacks. */
export interface ShardMerge {
  shard: string;
  theirs: string;
  ours?: string;
  /** Ours is their ancestor and nothing of ours is missing from theirs: taking theirs as it is may do. */
  canTakeTheirs: boolean;
}

/**
 * The entries of the remote's shards that differ from ours (a remote's shard that is ours
 * or behind ours brings nothing), each as an incoming copy; the shards to merge; damaged
 * lines named in `skipped`. Ids in `refsCopies` (the remote still has their refs, which
 * shadow its archived copy) are left to the refs.
 */
export async function readShardCopies(repo: Repo, theirShards: Map<string, string>, refsCopies: Set<string>, skipped: Skipped[]): Promise<{ copies: ShardCopy[]; merges: ShardMerge[] }> {
  const ourShards = repo.store.archive.shards();
  const todo = [...theirShards].map(([shard, theirs]) => ({ shard, theirs, ours: ourShards.get(shard) })).filter((t) => t.theirs !== t.ours);
  if (!todo.length) return { copies: [], merges: [] };
  const behind = await areAncestors(repo.cwd, todo.filter((t) => t.ours).map((t) => [t.theirs, t.ours!]));
  const ahead = await areAncestors(repo.cwd, todo.filter((t) => t.ours).map((t) => [t.ours!, t.theirs]));
  let k = 0;
  const moved = todo.flatMap((t) => (t.ours ? (behind[k++] ? [] : [{ ...t, ff: ahead[k - 1] }]) : [{ ...t, ff: true }]));
  const copies: ShardCopy[] = [];
  const merges: ShardMerge[] = [];
  if (!moved.length) return { copies, merges };
  await withCatFile(repo.cwd, async (cf) => {
    for (const t of moved) {
      const theirB = await repo.store.archive.bucketOids(cf, t.theirs);
      const ourB = t.ours ? await repo.store.archive.bucketOids(cf, t.ours) : new Map<string, string>();
      const buckets = [...new Set([...theirB.keys(), ...ourB.keys()])].filter((b) => theirB.get(b) !== ourB.get(b));
      let lost = false;
      for (const b of buckets) {
        const [tt, ot] = await Promise.all([cf.text(`${t.theirs}:${bucketPath(b)}`), t.ours ? cf.text(`${t.ours}:${bucketPath(b)}`) : undefined]);
        // Lines equal to ours need no reading: only the sessions that changed are parsed.
        const ourLines = bucketLines(ot ?? '');
        const same = new Set([...bucketLines(tt ?? '')].filter(([id, line]) => ourLines.get(id) === line).map(([id]) => id));
        const changed = new Set([...bucketLines(tt ?? '').keys()].filter((id) => !same.has(id)));
        const mine = new Map(ot ? parseBucket(ot, t.shard, b, changed).entries.map((e) => [e.id, e]) : []);
        const theirs = parseBucket(tt ?? '', t.shard, b, changed);
        for (const id of ourLines.keys()) if (!same.has(id) && !changed.has(id)) lost = true;
        for (const d of theirs.damaged) skipped.push({ id: d.id, reason: `damaged: ${d.reason}` });
        for (const e of theirs.entries) {
          const m = mine.get(e.id);
          if (refsCopies.has(e.id) || (m && m.meta === e.meta && m.work === e.work)) continue;
          copies.push({ id: e.id, meta: e.meta, ...(e.work ? { work: e.work } : {}), shard: t.shard });
        }
        if (theirs.damaged.length || theirs.ignored) lost = true;
      }
      merges.push({ shard: t.shard, theirs: t.theirs, ours: t.ours, canTakeTheirs: t.ff && !lost });
    }
  });
  return { copies, merges };
}

/** One entry a pull puts in our shard: planned from the remote's copy (and ours, if any). */
export interface PlannedEntry {
  entry: ArchiveEntry;
  /** Taken exactly as the remote's shard lists it. */
  asTheirs: boolean;
}

/**
 * The ref updates that merge each shard: theirs as it is when that loses nothing and every
 * entry was taken as theirs; else a commit on ours (or on theirs' tree-less start) holding
 * the planned entries, with theirs as a parent and every commit an entry names that
 * neither tip reaches kept as a parent too.
 */
export async function mergeShards(repo: Repo, merges: ShardMerge[], planned: Map<string, PlannedEntry[]>, notTaken: Set<string>, ident: Ident): Promise<Map<string, RefUpdate>> {
  const out = new Map<string, RefUpdate>();
  if (!merges.length) return out;
  await withCatFile(repo.cwd, async (cf) => {
    for (const m of merges) {
      const entries = planned.get(m.shard) ?? [];
      const old = m.ours ?? ZERO;
      if (m.canTakeTheirs && !notTaken.has(m.shard) && entries.every((e) => e.asTheirs)) {
        out.set(m.shard, { ref: archiveRef(m.shard), new: m.theirs, old });
        continue;
      }
      const reach = await reachable(repo, m.theirs, m.ours);
      const keep = entries.flatMap((e) => [e.entry.meta, ...(e.entry.work ? [e.entry.work] : [])]).filter((c) => !reach.has(c));
      const put: ShardPut[] = [];
      for (const e of entries) {
        const c = await cf.read(e.entry.meta);
        if (c?.type === 'commit') put.push({ entry: e.entry, tree: decodeCommit(c.body).tree });
      }
      const tip = await writeShard(repo.store.objects, cf, { shard: m.shard, old: m.ours, put, keep, merge: [m.theirs], message: `merge ${m.shard} from a remote (${entries.length} session${entries.length === 1 ? '' : 's'})` }, ident);
      out.set(m.shard, { ref: archiveRef(m.shard), new: tip, old });
    }
  });
  return out;
}

/** Commits reachable from `tip` and not from `base` (what a shard's new history holds). */
async function reachable(repo: Repo, tip: string, base?: string): Promise<Set<string>> {
  const r = await runGit(['rev-list', tip, ...(base ? ['--not', base] : [])], { cwd: repo.cwd, allowFail: true });
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/**
 * Whether a session whose live copy is in our refs may leave them for the archive the
 * remote brought (the remote deleted its refs and archived it): only when the archived
 * copy holds every event of ours (it is our tip, or a fast-forward of it) and our work
 * (the same, or a fast-forward), and ours is not private. Returns the deletes of our
 * refs, or undefined to keep them.
 */
export function acceptArchived(id: string, mine: { meta: string; work?: string }, theirs: { meta: string; work?: string }, plan: { outcome: string; updates: RefUpdate[]; summary?: SessionSummary }): RefUpdate[] | undefined {
  if (plan.summary?.private) return undefined;
  const metaOk = theirs.meta === mine.meta || plan.outcome === 'fastForwarded';
  const workUpdate = plan.updates.find((u) => u.ref === workRef(id));
  const workOk = !mine.work || theirs.work === mine.work || (workUpdate !== undefined && workUpdate.new === theirs.work);
  if (!metaOk || !workOk) return undefined;
  return [{ ref: metaRef(id), new: ZERO, old: mine.meta }, ...(mine.work ? [{ ref: workRef(id), new: ZERO, old: mine.work }] : [])];
}
