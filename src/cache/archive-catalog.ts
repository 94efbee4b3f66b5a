import { parseBucket } from '../core/archive.js';
import type { SessionState } from '../core/types.js';
import { type CatalogRow, decodeAll, decodeRow, encodeRow, ROW_TAG } from './catalog.js';
import type { IndexDb } from './db.js';

/** How the archive catalog reads shards (implemented over git by the caller, a couple of spawns for any number). */
export interface ShardSource {
  /** The catalog buckets of each shard commit: fan → blob id. */
  buckets(tips: string[]): Promise<Map<string, string>[]>;
  /** Blob texts in order (undefined when missing). */
  blobs(oids: string[]): Promise<(string | undefined)[]>;
}

/** An archived row as listed: its id and row. */
export interface ArchivedRow extends CatalogRow {
  id: string;
}

type Op = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** A bucket as last read: its blob, and the ids it listed. */
interface Seen {
  oid: string;
  ids: string[];
}

/**
 * The local catalog of archived sessions (LevelDB sublevels `archived`: id → row, and
 * `archive-state`: what each shard and bucket was read from, and the rows per state), so
 * `list` after a fresh clone reads each shard's catalog buckets once (one blob per fan,
 * never one per session), and afterwards only the buckets whose blob changed. Never the
 * source of truth: rebuilt from the shards whenever it is missing or behind.
 */
export class ArchiveCatalog {
  private readonly rows;
  private readonly state;
  constructor(db: IndexDb) {
    this.rows = db.sublevel<string, string>('archived', { valueEncoding: 'utf8' });
    this.state = db.sublevel<string, string>('archive-state', { valueEncoding: 'utf8' });
  }

  /**
   * Brings the rows in line with `tips` (shard → tip): for each shard whose tip moved,
   * the buckets whose blob changed are read (all of them in one batch) and their rows
   * replaced; a shard that is gone has its rows dropped. Returns whether anything changed.
   */
  async sync(tips: Map<string, string>, src: ShardSource): Promise<boolean> {
    // Rows written under another summary schema can't be read back: read every shard again.
    if ((await this.state.get('tag')) !== ROW_TAG) {
      await this.clear();
      await this.state.put('tag', ROW_TAG);
    }
    const known = new Map<string, string>();
    for await (const [k, v] of this.state.iterator({ gte: 's:', lt: 's;' })) known.set(k.slice(2), v);
    const moved = [...tips].filter(([shard, tip]) => known.get(shard) !== tip);
    const gone = [...known.keys()].filter((shard) => !tips.has(shard));
    if (!moved.length && !gone.length) return false;
    const now = await src.buckets(moved.map(([, tip]) => tip));
    const work: { shard: string; fan: string; oid?: string; before?: Seen }[] = [];
    const stateOps: Op[] = [];
    for (const [i, shard] of [...moved.map(([s]) => s), ...gone].entries()) {
      const before = new Map<string, Seen>();
      for await (const [k, v] of this.state.iterator({ gte: `b:${shard}/`, lt: `b:${shard}0` })) {
        const [oid, ids = ''] = v.split(' ');
        before.set(k.slice(`b:${shard}/`.length), { oid, ids: ids ? ids.split(',') : [] });
      }
      const fans = i < moved.length ? now[i] : new Map<string, string>();
      for (const [fan, oid] of fans) if (before.get(fan)?.oid !== oid) work.push({ shard, fan, oid, before: before.get(fan) });
      for (const [fan, seen] of before) if (!fans.has(fan)) work.push({ shard, fan, before: seen });
      stateOps.push(i < moved.length ? { type: 'put', key: `s:${shard}`, value: moved[i][1] } : { type: 'del', key: `s:${shard}` });
    }
    const reading = work.filter((w) => w.oid);
    const texts = await src.blobs(reading.map((w) => w.oid!));
    const text = new Map(reading.map((w, i) => [`${w.shard}/${w.fan}`, texts[i] ?? '']));
    const counts = await this.counts();
    // Rows leaving: every id the changed buckets listed before (their old state leaves the counts).
    const leaving = work.flatMap((w) => w.before?.ids ?? []);
    (await this.rows.getMany(leaving)).forEach((v, i) => v !== undefined && bump(counts, stateOf(leaving[i], v), -1));
    const puts = new Map<string, Op>();
    for (const id of leaving) puts.set(id, { type: 'del', key: id });
    for (const w of work) {
      const key = `${w.shard}/${w.fan}`;
      if (!w.oid) {
        stateOps.push({ type: 'del', key: `b:${key}` });
        continue;
      }
      const b = parseBucket(text.get(key)!, w.shard, w.fan);
      const ids: string[] = [];
      for (const e of b.entries) {
        ids.push(e.id);
        puts.set(e.id, { type: 'put', key: e.id, value: encodeRow(e.meta, e.summary) });
        bump(counts, e.summary.state, 1);
      }
      for (const d of b.damaged) {
        ids.push(d.id);
        puts.set(d.id, { type: 'put', key: d.id, value: encodeRow(d.meta, undefined, d.reason) });
        bump(counts, 'damaged', 1);
      }
      stateOps.push({ type: 'put', key: `b:${key}`, value: `${w.oid} ${ids.join(',')}` });
    }
    stateOps.push({ type: 'put', key: 'counts', value: JSON.stringify(counts) });
    await this.rows.batch([...puts.values()]);
    await this.state.batch(stateOps);
    return true;
  }

  /** Archived rows per state (and `damaged`), kept up to date by `sync`. */
  async counts(): Promise<Record<string, number>> {
    const v = await this.state.get('counts');
    try {
      return v ? (JSON.parse(v) as Record<string, number>) : {};
    } catch {
      return {};
    }
  }

  /** Every archived row (damaged ones too), by id. */
  async all(): Promise<Map<string, CatalogRow>> {
    return decodeAll(await this.rows.iterator().all());
  }

  /** The rows of `ids` that are archived (to find sessions whose refs shadow their archived copy). */
  async some(ids: string[]): Promise<Map<string, CatalogRow>> {
    const out = new Map<string, CatalogRow>();
    if (!ids.length) return out;
    const vals = await this.rows.getMany(ids);
    vals.forEach((v, i) => {
      const r = v === undefined ? undefined : decodeRow(ids[i], v);
      if (r) out.set(ids[i], r);
    });
    return out;
  }

  /**
   * The newest archived rows (descending id) of `state` (any when undefined; damaged rows
   * only then), skipping `skip` ids (sessions whose refs shadow them), at most `limit`.
   */
  async newest(limit: number, skip: Set<string>, state?: SessionState): Promise<ArchivedRow[]> {
    const rows: ArchivedRow[] = [];
    const want = state ? `"state":"${state}"` : undefined;
    const it = this.rows.iterator({ reverse: true });
    try {
      while (rows.length < limit) {
        const part = await it.nextv(Math.max(64, limit - rows.length));
        if (!part.length) break;
        for (const [k, v] of part) {
          if (rows.length >= limit || skip.has(k) || (want && !v.includes(want))) continue;
          const r = decodeRow(k, v);
          if (!r || (state && r.summary?.state !== state)) continue;
          rows.push({ id: k, ...r });
        }
      }
    } finally {
      await it.close();
    }
    return rows;
  }

  /** Drops every row and what they were read from (rebuilt on next use). */
  async clear(): Promise<void> {
    await this.rows.clear();
    await this.state.clear();
  }
}

/** Adds `by` to a state's count (`damaged` too). */
function bump(counts: Record<string, number>, key: string | undefined, by: number): void {
  if (key) counts[key] = (counts[key] ?? 0) + by;
}

/** The state a stored row holds (`damaged` for a damaged one). */
function stateOf(id: string, value: string): string | undefined {
  const r = decodeRow(id, value);
  return !r ? undefined : r.damaged !== undefined ? 'damaged' : r.summary?.state;
}
