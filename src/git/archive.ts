// Archive shards in git (layout: core/layout.ts; rules: core/archive.ts): reading a
// session's entry, the ids a prefix names, a shard's buckets; and writing a shard's next
// commit. Reads go through one `git cat-file --batch` per call (a shard is usually packed,
// and git reads packs faster than loading isomorphic-git would); writes are loose objects.
import { type ArchiveEntry, bucketLines, bucketText, chainGroups, type DamagedEntry, entryLine, parseBucket } from '../core/archive.js';
import { GsError } from '../core/errors.js';
import { idTime } from '../core/ids.js';
import { ARCHIVE_PREFIX, bucketOf, bucketOfFile, bucketPath, CATALOG_DIR, fanOf, shardOf, shardOfRef } from '../core/layout.js';
import { catBatch } from './batch.js';
import { CatFile, withCatFile } from './catfile.js';
import { decodeCommit, decodeTree, type Ident } from './loose.js';
import type { ObjectStore } from './objects.js';
import { listRefs } from './refs.js';

/** A session found in the archive: its entry, or why its entry cannot be used. */
export type Archived = (ArchiveEntry & { shard: string; damaged?: undefined }) | (DamagedEntry & { shard: string; damaged: string });

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The first and last millisecond an id starting with `prefix` can encode. */
function timeRange(prefix: string): [number, number] {
  const t = prefix.slice(0, 10);
  return [idTime(t.padEnd(10, '0')), idTime(t.padEnd(10, 'z'))];
}

/** Months (`YYYY-MM`) from the one holding `lo` to the one holding `hi`, capped. */
function monthsBetween(lo: number, hi: number, shards: Iterable<string>): string[] {
  const a = new Date(lo).toISOString().slice(0, 7);
  const b = new Date(Math.min(hi, 8.64e15)).toISOString().slice(0, 7);
  return [...shards].filter((s) => s >= a && s <= b);
}

/** Reads the archive shards of one repository. */
export class ArchiveStore {
  private cache = new Map<string, Archived | null>();
  constructor(
    readonly commonDir: string,
    readonly cwd: string,
  ) {}

  /** Every shard and its tip, read in-process from the ref store. */
  shards(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [ref, oid] of listRefs(this.commonDir, ARCHIVE_PREFIX)) {
      const s = shardOfRef(ref);
      if (s) out.set(s, oid);
    }
    return out;
  }

  /** Forgets what lookups learnt (after this process moved a shard). */
  forget(): void {
    this.cache.clear();
  }

  /** The archive's entry for each of `ids` that has one (one cat-file for any number). */
  async lookup(ids: Iterable<string>, tips = this.shards()): Promise<Map<string, Archived>> {
    const out = new Map<string, Archived>();
    const wanted = new Map<string, string[]>();
    for (const id of new Set(ids)) {
      const shard = shardOf(id);
      const tip = tips.get(shard);
      if (!tip) continue;
      const key = `${tip}:${id}`;
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        if (hit) out.set(id, hit);
        continue;
      }
      const spec = `${tip}:${bucketPath(bucketOf(id))}`;
      wanted.set(spec, [...(wanted.get(spec) ?? []), id]);
    }
    if (!wanted.size) return out;
    await withCatFile(this.cwd, async (cf) => {
      const specs = [...wanted.keys()];
      const texts = await Promise.all(specs.map((s) => cf.text(s)));
      specs.forEach((spec, i) => {
        const tip = spec.slice(0, spec.indexOf(':'));
        const first = wanted.get(spec)![0];
        const b = parseBucket(texts[i] ?? '', shardOf(first), bucketOf(first), new Set(wanted.get(spec)));
        for (const id of wanted.get(spec)!) {
          const e = b.entries.find((x) => x.id === id);
          const d = e ? undefined : b.damaged.find((x) => x.id === id);
          const found: Archived | null = e ? { ...e, shard: shardOf(id) } : d ? { ...d, shard: shardOf(id), damaged: d.reason } : null;
          this.cache.set(`${tip}:${id}`, found);
          if (found) out.set(id, found);
        }
      });
    });
    return out;
  }

  /** Ids of archived sessions starting with `prefix` (lower case): only the shards and fans it can name are read. */
  async idsWithPrefix(prefix: string): Promise<string[]> {
    const tips = this.shards();
    if (!tips.size || !/^[0-9a-z]*$/.test(prefix)) return [];
    const [lo, hi] = timeRange(prefix);
    const shards = monthsBetween(lo, hi, tips.keys());
    if (!shards.length) return [];
    const rest = prefix.slice(10);
    const out: string[] = [];
    await withCatFile(this.cwd, async (cf) => {
      for (const shard of shards) {
        const tip = tips.get(shard)!;
        const fans = rest.length >= 2 ? [rest.slice(0, 2)] : (await rootFans(cf, tip)).filter((f) => f.startsWith(rest));
        const trees = await Promise.all(fans.map((f) => cf.read(`${tip}:${f}`)));
        for (const t of trees) {
          if (t?.type !== 'tree') continue;
          for (const e of decodeTree(t.body)) if (e.type === 'tree' && e.path.startsWith(prefix)) out.push(e.path);
        }
      }
    });
    return out;
  }

  /** Every usable entry of a shard commit (all its buckets read). */
  async entries(tip: string): Promise<ArchiveEntry[]> {
    const shard = [...this.shards()].find(([, t]) => t === tip)?.[0];
    return withCatFile(this.cwd, async (cf) => {
      const buckets = [...(await this.bucketOids(cf, tip))];
      const texts = await Promise.all(buckets.map(([, oid]) => cf.text(oid)));
      return buckets.flatMap(([b], i) => (shard ? parseBucket(texts[i] ?? '', shard, b).entries : []));
    });
  }

  /** The catalog buckets of each shard commit: fan → blob id (one cat-file for all). */
  shardBuckets(tips: string[]): Promise<Map<string, string>[]> {
    if (!tips.length) return Promise.resolve([]);
    return withCatFile(this.cwd, (cf) => Promise.all(tips.map((t) => this.bucketOids(cf, t))));
  }

  /** Texts of blobs (catalog buckets) in order, one batch. */
  blobs(oids: string[]): Promise<(string | undefined)[]> {
    return catBatch(this.cwd, oids);
  }

  /** The catalog buckets of a shard commit: bucket → blob id. */
  async bucketOids(cf: CatFile, tip: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const t = await cf.read(`${tip}:${CATALOG_DIR}`);
    if (t?.type !== 'tree') return out;
    for (const e of decodeTree(t.body)) {
      const b = bucketOfFile(e.path);
      if (b && e.type === 'blob') out.set(b, e.oid);
    }
    return out;
  }
}

async function rootFans(cf: CatFile, tip: string): Promise<string[]> {
  const t = await cf.read(`${tip}^{tree}`);
  if (t?.type !== 'tree') return [];
  return decodeTree(t.body)
    .filter((e) => e.type === 'tree' && e.path.length === 2 && [...e.path].every((c) => ALPHABET.includes(c)))
    .map((e) => e.path);
}

/** One session to put in a shard: its entry and its meta tree (what `<fan>/<id>` holds). */
export interface ShardPut {
  entry: ArchiveEntry;
  tree: string;
}

/** What one step changes in a shard. */
export interface ShardChange {
  shard: string;
  /** The shard's tip before (undefined: a new shard): the first parent. */
  old?: string;
  /** The commit whose tree the change applies to, when not `old` (a shard rebuilt on other parents). */
  base?: string;
  put: ShardPut[];
  remove?: string[];
  /** Commits the shard must keep reachable (archived meta and work tips, merged commits). */
  keep: string[];
  /** Parents besides the old tip (a remote's shard being merged). */
  merge?: string[];
  message: string;
}

/**
 * Writes the commit(s) taking a shard from `old` to its next state: the new tree (only
 * the fans and buckets touched are rewritten), then a chain of commits, each with the
 * previous one and at most TIPS_PER_COMMIT kept tips as parents, all on the new tree.
 * Returns the new tip (the caller moves the ref, compare-and-swap).
 */
export async function writeShard(objects: ObjectStore, cf: CatFile, c: ShardChange, ident: Ident): Promise<string> {
  const from = c.base ?? c.old;
  const rootTree = from ? decodeCommit((await mustRead(cf, from, 'commit')).body).tree : undefined;
  const root = new Map((rootTree ? decodeTree((await mustRead(cf, rootTree, 'tree')).body) : []).map((e) => [e.path, e]));
  const catEntry = root.get(CATALOG_DIR);
  const catalog = new Map((catEntry?.type === 'tree' ? decodeTree((await mustRead(cf, catEntry.oid, 'tree')).body) : []).map((e) => [e.path, e]));
  const byFan = new Map<string, { put: ShardPut[]; remove: string[] }>();
  const byBucket = new Map<string, { put: ShardPut[]; remove: string[] }>();
  const slot = (m: typeof byFan, k: string) => m.get(k) ?? m.set(k, { put: [], remove: [] }).get(k)!;
  for (const p of c.put) {
    slot(byFan, fanOf(p.entry.id)).put.push(p);
    slot(byBucket, bucketOf(p.entry.id)).put.push(p);
  }
  for (const id of c.remove ?? []) {
    slot(byFan, fanOf(id)).remove.push(id);
    slot(byBucket, bucketOf(id)).remove.push(id);
  }
  // Every tree and bucket this step rewrites is asked for at once (one pipelined batch).
  const fanTrees = new Map(await Promise.all([...byFan.keys()].map(async (fan) => {
    const e = root.get(fan);
    return [fan, e?.type === 'tree' ? decodeTree((await mustRead(cf, e.oid, 'tree')).body) : []] as const;
  })));
  const bucketTexts = new Map(await Promise.all([...byBucket.keys()].map(async (b) => {
    const e = catalog.get(`${b}.jsonl`);
    return [b, e?.type === 'blob' ? (await mustRead(cf, e.oid, 'blob')).body.toString('utf8') : ''] as const;
  })));
  for (const [fan, ch] of byFan) {
    const dir = new Map(fanTrees.get(fan)!.map((e) => [e.path, e]));
    for (const id of ch.remove) dir.delete(id);
    for (const p of ch.put) dir.set(p.entry.id, { mode: '040000', path: p.entry.id, oid: p.tree, type: 'tree' });
    if (dir.size) root.set(fan, { mode: '040000', path: fan, oid: await objects.writeTree([...dir.values()]), type: 'tree' });
    else root.delete(fan);
  }
  for (const [bucket, ch] of byBucket) {
    const name = `${bucket}.jsonl`;
    const lines = bucketLines(bucketTexts.get(bucket)!);
    for (const id of ch.remove) lines.delete(id);
    for (const p of ch.put) lines.set(p.entry.id, entryLine(p.entry));
    const text = bucketText(lines);
    if (text) catalog.set(name, { mode: '100644', path: name, oid: await objects.writeText(text), type: 'blob' });
    else catalog.delete(name);
  }
  if (catalog.size) root.set(CATALOG_DIR, { mode: '040000', path: CATALOG_DIR, oid: await objects.writeTree([...catalog.values()]), type: 'tree' });
  else root.delete(CATALOG_DIR);
  const tree = await objects.writeTree([...root.values()]);
  let tip = c.old;
  const groups = chainGroups(c.keep);
  for (let i = 0; i < groups.length; i++) {
    const parents = [...(tip ? [tip] : []), ...(i === 0 ? (c.merge ?? []) : []), ...groups[i]];
    const part = groups.length > 1 ? ` (${i + 1}/${groups.length})` : '';
    tip = await objects.writeCommit({ tree, parent: [...new Set(parents)], message: `${c.message}${part}\n`, author: ident });
  }
  return tip!;
}

async function mustRead(cf: CatFile, oid: string, type: string): Promise<{ body: Buffer }> {
  const o = await cf.read(oid);
  if (!o || o.type !== type) throw new GsError('damaged', `archive object ${oid} is missing or not a ${type}`);
  return o;
}
