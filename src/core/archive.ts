// The archive's pure rules (layout in core/layout.ts, README "Storage layout"): catalog
// bucket lines, when a session may be archived, and how archive commits keep what they
// fold reachable. Bucket lines come from anyone who can push to a remote, so they are
// checked here like any stored document.
import { isId } from './ids.js';
import { bucketOf, shardOf } from './layout.js';
import { checkSummary } from './schema.js';
import type { SessionSummary } from './types.js';

/** One archived session as its shard's catalog lists it. */
export interface ArchiveEntry {
  id: string;
  /** The session's meta commit as archived (its tree is `<fan>/<id>` in the shard). */
  meta: string;
  /** The session's work tip as archived, when it had one. */
  work?: string;
  summary: SessionSummary;
}

/** A bucket line naming a session whose summary cannot be used: listed as damaged. */
export interface DamagedEntry {
  id: string;
  meta: string;
  work?: string;
  reason: string;
}

/** What one catalog bucket holds, as read: usable entries, damaged ones, and how many lines were not entries at all. */
export interface Bucket {
  entries: ArchiveEntry[];
  damaged: DamagedEntry[];
  ignored: number;
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The line a bucket stores for one archived session. */
export function entryLine(e: { id: string; meta: string; work?: string; summary: SessionSummary }): string {
  return JSON.stringify({ id: e.id, meta: e.meta, ...(e.work ? { work: e.work } : {}), summary: e.summary });
}

/**
 * Reads a bucket's text (`catalog/<b>.jsonl` of shard `shard`): a line that is not a
 * JSON object with a session id of this shard and bucket and a meta commit id is ignored
 * (counted); a line whose summary fails the schema is a damaged entry. With `only`, just
 * the lines of those ids are read (a lookup parses one line of thousands).
 */
export function parseBucket(text: string, shard: string, bucket: string, only?: Set<string>): Bucket {
  const out: Bucket = { entries: [], damaged: [], ignored: 0 };
  for (const line of text.split('\n')) {
    if (!line) continue;
    const lead = only && /^\{"id":"([0-9a-z]{26})"/.exec(line);
    if (lead && !only.has(lead[1])) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      out.ignored++;
      continue;
    }
    const id = o?.id;
    const meta = o?.meta;
    const work = o?.work;
    if (typeof id !== 'string' || !isId(id) || shardOf(id) !== shard || bucketOf(id) !== bucket || (only && !only.has(id)) || typeof meta !== 'string' || !OID.test(meta)) {
      out.ignored++;
      continue;
    }
    const w = typeof work === 'string' && OID.test(work) ? work : undefined;
    if (work !== undefined && !w) {
      out.damaged.push({ id, meta, reason: 'archive: its work is not a commit id' });
      continue;
    }
    const s = checkSummary(o.summary, id);
    if (s.ok) out.entries.push({ id, meta, ...(w ? { work: w } : {}), summary: s.summary });
    else out.damaged.push({ id, meta, ...(w ? { work: w } : {}), reason: `archive: ${s.reason}` });
  }
  return out;
}

/** Just the session ids and lines of a bucket (no schema: for rewriting it), by id. */
export function bucketLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\{"id":"([0-9a-z]{26})"/.exec(line);
    if (m) out.set(m[1], line);
    else if (line) {
      try {
        const id = (JSON.parse(line) as { id?: unknown }).id;
        if (typeof id === 'string' && isId(id)) out.set(id, line);
      } catch {
        /* not an entry: dropped when the bucket is rewritten */
      }
    }
  }
  return out;
}

/** A bucket's text from its lines (sorted by id, so equal contents make equal blobs). */
export function bucketText(lines: Map<string, string>): string {
  const ids = [...lines.keys()].sort();
  return ids.length ? ids.map((id) => lines.get(id)).join('\n') + '\n' : '';
}

/** Tips an archive commit takes as parents besides the previous archive commit. */
export const TIPS_PER_COMMIT = 16;

/** Splits the tips an archive step must keep reachable into the parent lists of a chain of commits. */
export function chainGroups(tips: string[], per = TIPS_PER_COMMIT): string[][] {
  const uniq = [...new Set(tips)];
  const out: string[][] = [];
  for (let i = 0; i < uniq.length; i += per) out.push(uniq.slice(i, i + per));
  return out.length ? out : [[]];
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The default of `session.archiveAfter`: closed sessions quiet for a day are archived. */
export const DEFAULT_ARCHIVE_AFTER = '1d';

/**
 * A duration such as `0`, `90s`, `30m`, `12h`, `1d`, `2w` (also `1.5d`) in milliseconds;
 * undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(text.toLowerCase());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!m[2]) return n === 0 ? 0 : undefined;
  return Math.round(n * UNITS[m[2]]);
}

/**
 * Why a session stays where it is, or undefined when `gc` may archive it: it must be
 * closed (landed or abandoned), not private (an archive shard is shared whole, a private
 * session never is), and quiet (no event) for `afterMs` before `now`.
 */
export function keepReason(s: SessionSummary, now: number, afterMs: number): string | undefined {
  if (s.state !== 'landed' && s.state !== 'abandoned') return s.state;
  if (s.private) return 'private';
  const last = Date.parse(s.updatedAt);
  if (Number.isFinite(last) && now - last < afterMs) return 'recent';
  return undefined;
}
