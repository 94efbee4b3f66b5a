import type { SummaryCheck } from '../core/schema.js';
import type { SessionSummary } from '../core/types.js';
import type { IndexDb } from './db.js';

/** One cached row: the summary (or why the session is damaged) as of the meta commit it was read from. */
export interface CatalogRow {
  meta: string;
  summary?: SessionSummary;
  damaged?: string;
}

/** A session the catalog could not read, with the reason (listed as damaged). */
export interface DamagedRow {
  id: string;
  meta: string;
  reason: string;
}

/** What the catalog holds for the refs it was reconciled with. */
export interface CatalogView {
  sessions: SessionSummary[];
  damaged: DamagedRow[];
}

/**
 * A cache of session summaries keyed by id (LevelDB sublevel `catalog`), so `list` does
 * not read every session's objects. Never the source of truth: `reconcile` compares it
 * with the refs and re-reads only what moved. Rows are stored as `<meta oid><json>`
 * strings and read in one batch: at 10,000 rows, per-entry decoding through the
 * level stack measured several times the cost of one JSON.parse each. A damaged
 * session is cached too (`{"id","damaged"}`), so it is not re-read until its ref moves.
 * Rows hold only what the summary schema (core/schema.ts) accepted when they were written,
 * and carry the schema's tag (ROW_TAG): a row without it (an older version wrote it, or it
 * is corrupt) is dropped and re-read from git through the schema. Checking 10,000 rows
 * again on every `list` measured 30–90 ms cold (bench/schema.ts), a third of the budget.
 */
// Bump with any change to what the summary schema accepts: every cached row is then re-read.
const ROW_TAG = 's2';
const ROW = new RegExp(`^[0-9a-f]{40}${ROW_TAG}\\{`);
const BODY = 40 + ROW_TAG.length;

/** A stored row: `<meta oid><tag><json>` (the summary, or `{"id","damaged"}`). */
export function encodeRow(meta: string, summary: SessionSummary | undefined, damaged?: string): string {
  return meta + ROW_TAG + JSON.stringify(summary ?? { id: '', damaged: damaged ?? 'unreadable' });
}

/** A stored row of session `id` read back, or undefined when this schema did not write it for that id (then it is re-read from git). */
export function decodeRow(id: string, v: string): CatalogRow | undefined {
  if (!ROW.test(v.slice(0, BODY + 1))) return undefined;
  try {
    const o = JSON.parse(v.slice(BODY)) as SessionSummary & { damaged?: unknown };
    if (typeof o.id !== 'string') return undefined;
    if (typeof o.damaged === 'string') return { meta: v.slice(0, 40), damaged: o.damaged };
    return o.id === id ? { meta: v.slice(0, 40), summary: o } : undefined;
  } catch {
    return undefined;
  }
}

/** The readable rows of a sublevel's entries, by session id (rows this version cannot read left out). */
export function decodeAll(entries: [string, string][]): Map<string, CatalogRow> {
  const out = new Map<string, CatalogRow>();
  for (const [k, v] of entries) {
    const r = decodeRow(k, v);
    if (r) out.set(k, r);
  }
  return out;
}

export class Catalog {
  private readonly sub;
  constructor(db: IndexDb) {
    this.sub = db.sublevel<string, string>('catalog', { valueEncoding: 'utf8' });
  }

  /** All cached rows this schema wrote, by session id. */
  async all(): Promise<Map<string, CatalogRow>> {
    // A row this version can't read (older layout, older schema) is re-read from git and overwritten.
    return decodeAll(await this.sub.iterator().all());
  }

  /**
   * Brings the cache in line with `tips` (id → meta commit): rows whose commit moved are
   * re-read through `load` (batched by the caller), vanished ids are dropped.
   */
  async reconcile(tips: Map<string, string>, load: (stale: [string, string][]) => Promise<SummaryCheck[]>): Promise<CatalogView> {
    const cached = await this.all();
    const stale: [string, string][] = [];
    const view: CatalogView = { sessions: [], damaged: [] };
    for (const [id, meta] of tips) {
      const row = cached.get(id);
      if (row && row.meta === meta) {
        if (row.summary) view.sessions.push(row.summary);
        else view.damaged.push({ id, meta, reason: row.damaged ?? 'unreadable' });
      } else stale.push([id, meta]);
    }
    const ops: ({ type: 'put'; key: string; value: string } | { type: 'del'; key: string })[] = [];
    if (stale.length) {
      const loaded = await load(stale);
      loaded.forEach((r, i) => {
        const [id, meta] = stale[i];
        if (r.ok) view.sessions.push(r.summary);
        else view.damaged.push({ id, meta, reason: r.reason });
        ops.push({ type: 'put', key: id, value: r.ok ? encodeRow(meta, r.summary) : encodeRow(meta, undefined, r.reason) });
      });
    }
    for (const id of cached.keys()) if (!tips.has(id)) ops.push({ type: 'del', key: id });
    if (ops.length) await this.sub.batch(ops);
    return view;
  }

  /** Drops every row (rebuilt on next use). */
  async clear(): Promise<void> {
    await this.sub.clear();
  }
}
