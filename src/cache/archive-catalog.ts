import { parseBucket } from '../core/archive.js';
import type { SessionState } from '../core/types.js';
import { type CatalogRow, decodeRow, encodeRow } from './catalog.js';
import type { IndexDb } from './db.js';

/** How the archive catalog reads shards (implemented over git by the caller). */
export interface ShardSource {
  /** The catalog buckets of a shard commit: fan → blob id. */
  bucketOids(tip: string): Promise<Map<string, string>>;
  /** Blob texts in order (undefined when missing). */
  blobs(oids: string[]): Promise<(string | undefined)[]>;
}

/** An archived row as listed: its id and row. */
export interface ArchivedRow extends CatalogRow {
  id: string;
}

type Op = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/**
 * The local catalog of archived sessions (LevelDB sublevels `archived`: id → row, and
 * `archive-state`: what each shard and bucket was read from), so `list` after a fresh
 * clone reads each shard's catalog buckets once (one blob per fan, never one per
 * session), and afterwards only the buckets whose blob changed. Never the source of
 * truth: rebuilt from the shards whenever it is missing or behind.
 */
export class ArchiveCatalog {
  private readonly rows;
  private readonly state;
  constructor(db: IndexDb) {
    this.rows = db.sublevel<string, string>('archived', { valueEncoding: 'utf8' });
    this.state = db.sublevel<string, string>('archive-state', { valueEncoding: 'utf8' });
  }

  /**
   * Brings the rows in line with `tips` (shard → tip): a shard whose tip moved has its
   * changed buckets re-read through `src` and their rows replaced; a shard that is gone
   * has its rows dropped. Returns whether anything changed.
   */
  async sync(tips: Map<string, string>, src: ShardSource): Promise<boolean> {
    const known = new Map<string, string>();
    for await (const [k, v] of this.state.iterator({ gte: 's:', lt: 's;' })) known.set(k.slice(2), v);
    const ops: Op[] = [];
    for (const [shard, tip] of tips) {
      if (known.get(shard) === tip) continue;
      ops.push(...(await this.readShard(shard, await src.bucketOids(tip), src)));
      ops.push({ type: 'put', key: `s:${shard}`, value: tip });
    }
    for (const shard of known.keys()) {
      if (tips.has(shard)) continue;
      ops.push(...(await this.readShard(shard, new Map(), src)));
      ops.push({ type: 'del', key: `s:${shard}` });
    }
    if (!ops.length) return false;
    const rowOps = ops.filter((o) => o.key.startsWith('r:')).map((o) => ({ ...o, key: o.key.slice(2) }) as Op);
    const counts = await this.counts();
    // Each touched id: take its old row out of the counts, put its new one in.
    const touched = [...new Set(rowOps.map((o) => o.key))];
    const old = await this.rows.getMany(touched);
    old.forEach((v, i) => v !== undefined && bump(counts, touched[i], v, -1));
    const last = new Map(rowOps.map((o) => [o.key, o]));
    for (const o of last.values()) if (o.type === 'put') bump(counts, o.key, o.value, 1);
    const stateOps = ops.filter((o) => !o.key.startsWith('r:'));
    stateOps.push({ type: 'put', key: 'counts', value: JSON.stringify(counts) });
    await this.rows.batch([...last.values()]);
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

  /** The row ops taking shard `shard` from what was read before to `now` (fan → bucket blob). */
  private async readShard(shard: string, now: Map<string, string>, src: ShardSource): Promise<Op[]> {
    const before = new Map<string, { oid: string; ids: string[] }>();
    for await (const [k, v] of this.state.iterator({ gte: `b:${shard}/`, lt: `b:${shard}0` })) {
      const [oid, ids = ''] = v.split(' ');
      before.set(k.slice(`b:${shard}/`.length), { oid, ids: ids ? ids.split(',') : [] });
    }
    const changed = [...now].filter(([fan, oid]) => before.get(fan)?.oid !== oid);
    const texts = await src.blobs(changed.map(([, oid]) => oid));
    const ops: Op[] = [];
    changed.forEach(([fan, oid], i) => {
      const b = parseBucket(texts[i] ?? '', shard, fan);
      const ids = new Set<string>();
      for (const e of b.entries) {
        ids.add(e.id);
        ops.push({ type: 'put', key: `r:${e.id}`, value: encodeRow(e.meta, e.summary) });
      }
      for (const d of b.damaged) {
        ids.add(d.id);
        ops.push({ type: 'put', key: `r:${d.id}`, value: encodeRow(d.meta, undefined, d.reason) });
      }
      for (const id of before.get(fan)?.ids ?? []) if (!ids.has(id)) ops.push({ type: 'del', key: `r:${id}` });
      ops.push({ type: 'put', key: `b:${shard}/${fan}`, value: `${oid} ${[...ids].join(',')}` });
    });
    for (const [fan, b] of before) {
      if (now.has(fan)) continue;
      for (const id of b.ids) ops.push({ type: 'del', key: `r:${id}` });
      ops.push({ type: 'del', key: `b:${shard}/${fan}` });
    }
    return ops;
  }

  /** Every archived row (damaged ones too), by id. */
  async all(): Promise<Map<string, CatalogRow>> {
    const out = new Map<string, CatalogRow>();
    for (const [k, v] of await this.rows.iterator().all()) {
      const r = decodeRow(k, v);
      if (r) out.set(k, r);
    }
    return out;
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

/** Adds `by` to the count of the state a stored row holds (or `damaged`). */
function bump(counts: Record<string, number>, id: string, value: string, by: number): void {
  const r = decodeRow(id, value);
  const key = !r ? undefined : r.damaged !== undefined ? 'damaged' : r.summary?.state;
  if (key) counts[key] = (counts[key] ?? 0) + by;
}
