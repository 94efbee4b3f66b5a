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
 * with the refs and re-reads only what moved. Rows are stored as `<meta oid><json>`
 * strings and read in one batch: at 10,000 rows, per-entry decoding through the
 * level stack measured several times the cost of one JSON.parse each.
 */
export class Catalog {
  private readonly sub;
  constructor(db: IndexDb) {
    this.sub = db.sublevel<string, string>('catalog', { valueEncoding: 'utf8' });
  }

  /** All cached rows, by session id. */
  async all(): Promise<Map<string, CatalogRow>> {
    const out = new Map<string, CatalogRow>();
    for (const v of await this.sub.values().all()) {
      // A row this version can't read (older layout) is re-read from git and overwritten.
      if (!/^[0-9a-f]{40}\{/.test(v.slice(0, 41))) continue;
      try {
        const summary = JSON.parse(v.slice(40)) as SessionSummary;
        out.set(summary.id, { meta: v.slice(0, 40), summary });
      } catch {
        /* unreadable row: dropped below, re-read */
      }
    }
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
    const ops: ({ type: 'put'; key: string; value: string } | { type: 'del'; key: string })[] = [];
    if (stale.length) {
      const loaded = await load(stale);
      loaded.forEach((s, i) => {
        if (!s) return;
        out.push(s);
        ops.push({ type: 'put', key: stale[i][0], value: stale[i][1] + JSON.stringify(s) });
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
