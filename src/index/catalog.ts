import type { SessionSummary } from '../core/types.js';
import type { IndexDb } from './db.js';

/** One cached row: the summary as of the meta commit it was read from. */
export interface CatalogRow {
  meta: string;
  summary: SessionSummary;
}

/**
 * A cache of session summaries keyed by id (LevelDB sublevel `catalog`), so `list` does
 * not read every session's objects. Never the source of truth: `reconcile` compares it
 * with the refs and re-reads only what moved.
 */
export class Catalog {
  private readonly sub;
  constructor(db: IndexDb) {
    this.sub = db.sublevel<string, CatalogRow>('catalog', { valueEncoding: 'json' });
  }

  /** All cached rows. */
  async all(): Promise<Map<string, CatalogRow>> {
    const out = new Map<string, CatalogRow>();
    for await (const [k, v] of this.sub.iterator()) out.set(k, v);
    return out;
  }

  /**
   * Brings the cache in line with `tips` (id → meta commit): rows whose commit moved are
   * re-read through `load` (batched by the caller), vanished ids are dropped.
   */
  async reconcile(
    tips: Map<string, string>,
    load: (stale: [string, string][]) => Promise<(SessionSummary | undefined)[]>,
  ): Promise<SessionSummary[]> {
    const cached = await this.all();
    const stale: [string, string][] = [];
    const out: SessionSummary[] = [];
    for (const [id, meta] of tips) {
      const row = cached.get(id);
      if (row && row.meta === meta) out.push(row.summary);
      else stale.push([id, meta]);
    }
    const ops: ({ type: 'put'; key: string; value: CatalogRow } | { type: 'del'; key: string })[] = [];
    if (stale.length) {
      const loaded = await load(stale);
      loaded.forEach((s, i) => {
        if (!s) return;
        out.push(s);
        ops.push({ type: 'put', key: stale[i][0], value: { meta: stale[i][1], summary: s } });
      });
    }
    for (const id of cached.keys()) if (!tips.has(id)) ops.push({ type: 'del', key: id });
    if (ops.length) await this.sub.batch(ops);
    return out;
  }

  /** Drops every row (rebuilt on next use). */
  async clear(): Promise<void> {
    await this.sub.clear();
  }
}
