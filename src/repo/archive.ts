// `gc`: closed sessions quiet for `session.archiveAfter` are folded into their month's
// archive shard (README "Storage layout"), so the number of refs follows the open
// sessions. Each batch is one ref transaction that moves the shard(s) and deletes the
// sessions' own refs, compare-and-swap on all of them: a kill -9 at any point leaves each
// session readable from its refs or from its shard (never neither), and the archive
// commits keep every archived meta and work tip reachable (`git gc --prune=now` loses
// nothing). `pull` and `land` run it on their own when many sessions have refs (autoGc).
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArchiveEntry, DEFAULT_ARCHIVE_AFTER, keepReason, parseDuration } from '../core/archive.js';
import { GsError } from '../core/errors.js';
import { dropped, unionEvents } from '../core/fold.js';
import { archiveRef, metaRef, shardOf, workRef } from '../core/layout.js';
import type { OnProgress } from '../core/progress.js';
import type { SessionState, SessionSummary } from '../core/types.js';
import { areAncestors } from '../git/ancestry.js';
import { type ShardChange, type ShardPut, writeShard } from '../git/archive.js';
import { withCatFile } from '../git/catfile.js';
import { runGit } from '../git/exec.js';
import { decodeCommit } from '../git/loose.js';
import type { Ident } from '../git/objects.js';
import { type RefUpdate, transact, withRetry, ZERO } from '../git/refs.js';
import type { Repo } from './repo.js';
import { listAll } from './sessions.js';

/** One session `gc` archived (or, with --dry-run, would archive). */
export interface GcItem {
  id: string;
  shard: string;
  state: SessionState;
  goal: string;
}

/** What `gc` did. */
export interface GcResult {
  dryRun: boolean;
  /** The `session.archiveAfter` in force. */
  after: string;
  archived: GcItem[];
  /** Sessions left with their refs, by reason: open, private, recent, damaged. */
  kept: Record<string, number>;
  /** Sessions that changed while gc ran: left for the next one. */
  moved: string[];
}

// Sessions per ref transaction (and per archive step): bounded work and lock files per step.
const BATCH = 2000;

/** `session.archiveAfter` (a duration; `0` archives at once), or the default. */
export async function archiveAfter(repo: Repo): Promise<{ ms: number; text: string }> {
  const r = await runGit(['config', '--get', 'session.archiveAfter'], { cwd: repo.cwd, allowFail: true });
  const text = r.stdout.trim() || DEFAULT_ARCHIVE_AFTER;
  const ms = parseDuration(text);
  if (ms === undefined) throw new GsError('bad-input', `session.archiveAfter is '${text}': give a duration such as 0, 12h, 1d or 2w`);
  return { ms, text };
}

/** A session `gc` is about to archive: its summary and the ref values it was read at. */
interface Candidate {
  summary: SessionSummary;
  meta: string;
  work?: string;
}

/**
 * Archives every closed session (landed or abandoned, not private) whose last event is
 * older than `session.archiveAfter`; `dryRun` only says which. Batches of BATCH sessions,
 * each one transaction; a session that moved meanwhile is left for the next run.
 */
export async function gcSessions(repo: Repo, o: { dryRun?: boolean; onProgress?: OnProgress } = {}): Promise<GcResult> {
  const after = await archiveAfter(repo);
  const now = repo.clock();
  const list = await listAll(repo, undefined, { refsOnly: true });
  const kept: Record<string, number> = {};
  const chosen: SessionSummary[] = [];
  for (const s of list.sessions) {
    const why = keepReason(s, now, after.ms);
    if (why) kept[why] = (kept[why] ?? 0) + 1;
    else chosen.push(s);
  }
  if (list.damaged.length) kept.damaged = list.damaged.length;
  chosen.sort((a, b) => (a.id < b.id ? -1 : 1));
  const item = (s: SessionSummary): GcItem => ({ id: s.id, shard: shardOf(s.id), state: s.state, goal: s.goal });
  const res: GcResult = { dryRun: Boolean(o.dryRun), after: after.text, archived: [], kept, moved: [] };
  if (o.dryRun) return { ...res, archived: chosen.map(item) };
  const ident = await repo.ident();
  for (let i = 0; i < chosen.length; i += BATCH) {
    o.onProgress?.({ stage: 'archiving sessions', done: i, total: chosen.length });
    const done = await archiveBatch(repo, chosen.slice(i, i + BATCH), ident, (x) => !keepReason(x, now, after.ms));
    for (const s of chosen.slice(i, i + BATCH)) {
      if (done.has(s.id)) res.archived.push(item(s));
      else res.moved.push(s.id);
    }
  }
  o.onProgress?.({ stage: 'archiving sessions', done: chosen.length, total: chosen.length });
  repo.store.archive.forget();
  return res;
}

/**
 * Archives one batch in one transaction (retried when a shard moved under it): each
 * session whose refs still hold what the listing read is put in its shard and its refs
 * deleted, compare-and-swap on every ref. Returns the ids archived.
 */
async function archiveBatch(repo: Repo, batch: SessionSummary[], ident: Ident, ok: (s: SessionSummary) => boolean): Promise<Set<string>> {
  return withRetry(async () => {
    const refs = await repo.store.refs(batch.map((s) => s.id));
    const present = batch.filter((s) => refs.has(metaRef(s.id)));
    // The summaries at the refs' values now (the compare-and-swap holds them to these): a
    // session that moved since it was listed is judged again, and left when not quiet.
    const sums = await repo.store.readSummaries(present.map((s) => ({ id: s.id, meta: refs.get(metaRef(s.id))! })));
    const cands: Candidate[] = [];
    present.forEach((s, i) => {
      const r = sums[i];
      if (r.ok && ok(r.summary)) cands.push({ summary: r.summary, meta: refs.get(metaRef(s.id))!, work: refs.get(workRef(s.id)) });
    });
    if (!cands.length) return new Set<string>();
    repo.store.archive.forget();
    const tips = repo.store.archive.shards();
    const existing = await repo.store.archive.lookup(cands.map((c) => c.summary.id), tips);
    const byShard = new Map<string, ShardPut[]>();
    const keep = new Map<string, string[]>();
    const updates: RefUpdate[] = [];
    await withCatFile(repo.cwd, async (cf) => {
      const puts = await Promise.all(cands.map((c) => settleWithArchive(repo, c, existing.get(c.summary.id), ident)));
      const commits = await Promise.all(puts.map((p) => cf.read(p.entry.meta)));
      cands.forEach((c, i) => {
        const id = c.summary.id;
        const put = puts[i];
        const obj = commits[i];
        if (obj?.type !== 'commit') throw new GsError('damaged', `session ${id}: its meta commit ${put.entry.meta} is missing`);
        const shard = shardOf(id);
        if (!byShard.has(shard)) {
          byShard.set(shard, []);
          keep.set(shard, []);
        }
        byShard.get(shard)!.push({ entry: put.entry, tree: decodeCommit(obj.body).tree });
        keep.get(shard)!.push(...put.keep);
        updates.push({ ref: metaRef(id), new: ZERO, old: c.meta });
        if (c.work) updates.push({ ref: workRef(id), new: ZERO, old: c.work });
      });
      for (const [shard, put] of byShard) {
        const old = tips.get(shard);
        const change: ShardChange = { shard, old, put, keep: keep.get(shard)!, message: `archive ${put.length} session${put.length === 1 ? '' : 's'} into ${shard}` };
        const tip = await writeShard(repo.store.objects, cf, change, ident);
        // Shards first: git's transaction moves updates before it deletes.
        updates.unshift({ ref: archiveRef(shard), new: tip, old: old ?? ZERO });
      }
    });
    return (await transact(repo.cwd, updates)) ? new Set(cands.map((c) => c.summary.id)) : undefined;
  }, 'archiving sessions');
}

/**
 * The entry to archive for a session whose refs are about to go, given what the shard
 * already holds for it (an earlier archived copy: the session was un-archived since, or a
 * clone's archive was pulled): the ref's copy when it descends from the archived one,
 * else the union of both copies' events (nothing dropped), both kept as parents. Returns
 * the entry and the commits the shard must keep reachable.
 */
async function settleWithArchive(repo: Repo, c: Candidate, prior: { meta: string; work?: string; damaged?: string } | undefined, ident: Ident): Promise<{ entry: ArchiveEntry; keep: string[] }> {
  const id = c.summary.id;
  const mine: ArchiveEntry = { id, meta: c.meta, ...(c.work ? { work: c.work } : {}), summary: c.summary };
  const keep = [c.meta, ...(c.work ? [c.work] : [])];
  if (!prior || prior.damaged || (prior.meta === c.meta && prior.work === c.work)) return { entry: mine, keep };
  const [metaGrown, workGrown] = await areAncestors(repo.cwd, [
    [prior.meta, c.meta],
    [prior.work ?? c.work ?? c.meta, c.work ?? prior.work ?? c.meta],
  ]);
  let entry = mine;
  if (!metaGrown) {
    // Only when the archived copy holds events the refs' copy lacks is a merge needed.
    const [ours, theirs] = await Promise.all([repo.store.readEvents(id, c.meta), repo.store.readEvents(id, prior.meta).catch(() => undefined)]);
    if (theirs && dropped(theirs, ours).length) {
      const union = unionEvents(ours, theirs, ours[0].id);
      const flaggedLands = new Map([...(c.summary.flagged ?? [])].map((f) => [f.id, f.reason]));
      const merged = await repo.store.writeMerged(id, union, [c.meta, prior.meta], ident, { start: ours[0].id, landFault: (ev) => flaggedLands.get(ev.id) });
      entry = { ...entry, meta: merged.commit, summary: merged.summary };
      keep.push(merged.commit);
    }
  }
  if (!workGrown && prior.work && c.work && prior.work !== c.work) {
    const tree = (await repo.store.objects.readCommit(c.work)).tree;
    const work = await repo.store.objects.writeCommit({ tree, parent: [c.work, prior.work], message: `merge diverged work of session ${id}\n\nSession-Id: ${id}\n`, author: ident });
    entry = { ...entry, work };
    keep.push(work);
  } else if (!c.work && prior.work) entry = { ...entry, work: prior.work };
  return { entry, keep };
}

/** Stamp of the last automatic gc (local, never shared). */
function stampFile(repo: Repo): string {
  return join(repo.localDir, 'gc-auto');
}

/** `session.autoGc`: how many sessions may have refs before pull and land archive on their own (0: never). */
async function autoThreshold(repo: Repo): Promise<number> {
  const r = await runGit(['config', '--get', 'session.autoGc'], { cwd: repo.cwd, allowFail: true });
  const n = parseInt(r.stdout.trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : AUTO_GC;
}

/** Default of `session.autoGc`. */
export const AUTO_GC = 200;
// At most one automatic gc an hour: when many sessions stay open, it would find nothing.
const AUTO_EVERY_MS = 3_600_000;

/**
 * What `pull` and `land` run after their own work, as `git gc --auto` does: nothing unless
 * more than `session.autoGc` sessions have refs and the last automatic run is an hour
 * old; then `gcSessions`. Never fails the command that called it.
 */
export async function autoGc(repo: Repo): Promise<GcResult | undefined> {
  try {
    const limit = await autoThreshold(repo);
    if (!limit || repo.store.listIds().size <= limit) return undefined;
    const f = stampFile(repo);
    if (existsSync(f) && repo.clock() - statSync(f).mtimeMs < AUTO_EVERY_MS) return undefined;
    await mkdir(repo.localDir, { recursive: true });
    await writeFile(f, `${new Date(repo.clock()).toISOString()}\n`);
    return await gcSessions(repo);
  } catch {
    return undefined;
  }
}
