// The landed-change index held entirely in memory: the Bloom-filter tree plus interned
// path lists for exact confirmation. LandedIndex (LevelDB) keeps only recent changes in
// memory and confirms from stored records; this one is what benchmarks and property
// tests drive at 100k–1M changes, and the reference the persistent index must agree with.
import { initHash, probeOf, testProbe, type KeyHash } from '../../src/cache/bloom.js';
import { BloomTree, DEFAULT_TREE, PAGE, type TreeOptions } from '../../src/cache/bloomtree.js';
import { CandidateStream, mergeSorted } from '../../src/cache/candidates.js';
import { normalizeQueryPath, PathDict } from '../../src/cache/paths.js';

/** One confirmed overlap: the change's seq and its paths that clash with the query. */
export interface MemHit {
  seq: number;
  overlapping: string[];
}

class IntList {
  data = new Int32Array(1024);
  len = 0;
  push(v: number): void {
    if (this.len === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.len++] = v;
  }
}

/** A compressed-row list of integer lists, one per position. */
class Rows {
  private vals = new IntList();
  private offs = new IntList();
  constructor() {
    this.offs.push(0);
  }
  get length(): number {
    return this.offs.len - 1;
  }
  add(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) this.vals.push(xs[i]);
    this.offs.push(this.vals.len);
  }
  row(i: number): Int32Array {
    return this.vals.data.subarray(this.offs.data[i], this.offs.data[i + 1]);
  }
  /** The backing values; row i is [start(i), start(i + 1)). */
  get data(): Int32Array {
    return this.vals.data;
  }
  start(i: number): number {
    return this.offs.data[i];
  }
  truncate(n: number): void {
    this.offs.len = n + 1;
    this.vals.len = this.offs.data[n];
  }
}

/** In-memory landed index over seqs 1..size. */
export class MemIndex {
  readonly dict = new PathDict();
  readonly tree: BloomTree;
  private touched = new Rows();
  private keys = new Rows();
  /** Paths some change touched as such (not merely as a parent directory). */
  private touchedExactly = new Uint8Array(1024);
  private markQ = new Uint32Array(0);
  private markA = new Uint32Array(0);
  private gen = 0;

  private constructor(opts: TreeOptions) {
    this.tree = new BloomTree(opts);
  }

  /** An empty index (loads the hash module first). */
  static async create(opts: Partial<TreeOptions> = {}): Promise<MemIndex> {
    await initHash();
    return new MemIndex({ ...DEFAULT_TREE, ...opts });
  }

  /** Number of changes. */
  get size(): number {
    return this.tree.size;
  }

  /** Appends a change touching `paths`; returns its seq. */
  append(paths: readonly string[]): number {
    const ids = [...new Set(paths.map((p) => this.dict.intern(p)))];
    if (this.touchedExactly.length < this.dict.size) {
      const t = new Uint8Array(Math.max(this.dict.size, this.touchedExactly.length * 2));
      t.set(this.touchedExactly);
      this.touchedExactly = t;
    }
    for (const id of ids) this.touchedExactly[id] = 1;
    const keyIds: number[] = [];
    this.dict.changeKeyIds(ids, keyIds);
    this.touched.add(ids);
    this.keys.add(keyIds);
    this.tree.push(keyIds, this.dict, (p) => this.keys.row(p));
    return this.tree.size;
  }

  /** Keeps seqs 1..size only. */
  truncate(size: number): void {
    if (size >= this.size) return;
    this.tree.truncate(size);
    this.touched.truncate(size);
    this.keys.truncate(size);
  }

  /** The paths change `seq` touched. */
  pathsAt(seq: number): string[] {
    return [...this.touched.row(seq - 1)].map((id) => this.dict.name(id));
  }

  /**
   * Changes with seq in (base, tip] that touched any of `paths` (or a parent or child of
   * one), in seq order. With a `limit`, stops after that many confirmed hits: the
   * earliest ones when `ordered`, else whichever the search confirms first (cheaper:
   * one key at a time, no merging — enough to answer "is there a conflict?").
   */
  query(base: number, tip: number, paths: readonly string[], limit = Infinity, ordered = true): MemHit[] {
    const lo = Math.max(0, base);
    const hi = Math.min(tip, this.size);
    if (lo >= hi || limit <= 0) return [];
    const q = [...new Set(paths.map(normalizeQueryPath))];
    const probes = this.prepare(q);
    const hits: MemHit[] = [];
    if (limit === Infinity) {
      const lists = probes.map((h) => {
        const out: number[] = [];
        this.tree.search(h.h1, h.h2, lo, hi, out);
        return out;
      });
      for (const p of mergeSorted(lists)) this.confirmInto(p, hits);
      return hits;
    }
    if (!ordered) {
      const seen = new Set<number>();
      for (const h of probes) {
        for (let from = lo; ; ) {
          const out: number[] = [];
          const more = this.tree.search(h.h1, h.h2, from, hi, out, 2);
          for (const p of out) {
            if (seen.has(p)) continue;
            seen.add(p);
            if (this.confirmInto(p, hits) && hits.length >= limit) return hits.sort((a, b) => a.seq - b.seq);
          }
          if (!more) break;
          from = out[out.length - 1] + 1;
        }
      }
      return hits.sort((a, b) => a.seq - b.seq);
    }
    const s = new CandidateStream(this.tree, probes, lo, hi, Math.max(2, limit));
    for (let p = s.take(); p >= 0; p = s.take()) {
      if (this.confirmInto(p, hits) && hits.length >= limit) break;
    }
    return hits;
  }

  private leafScan?: LeafScan;

  /** The per-change filters as a flat array, rebuilt when the index changed size. */
  private leaves(): LeafScan {
    if (this.leafScan?.size !== this.size) this.leafScan = new LeafScan(this.tree);
    return this.leafScan;
  }

  /** Same answer as `query`, by scanning every per-change filter instead of the tree (a baseline). */
  scanQuery(base: number, tip: number, paths: readonly string[], limit = Infinity): MemHit[] {
    const lo = Math.max(0, base);
    const hi = Math.min(tip, this.size);
    if (lo >= hi || limit <= 0) return [];
    const probes = this.prepare([...new Set(paths.map(normalizeQueryPath))]);
    const hits: MemHit[] = [];
    this.leaves().scan(probes, lo, hi, (p) => this.confirmInto(p, hits) && hits.length >= limit);
    return hits;
  }

  /**
   * Marks the query's paths and their parents for `confirmInto`, and returns the probe
   * hashes, `u:` keys first (the likelier hits). A path never interned has no change at
   * or under it, so its `u:` key is not probed; an `e:` key only for a directory some
   * change touched as a path of its own (a file there, once).
   */
  private prepare(q: string[]): KeyHash[] {
    if (this.markQ.length < this.dict.size) {
      this.markQ = new Uint32Array(Math.max(this.dict.size, this.markQ.length * 2));
      this.markA = new Uint32Array(this.markQ.length);
      this.gen = 0;
    }
    const g = ++this.gen;
    const under = new Map<number, KeyHash>();
    const exact = new Map<number, KeyHash>();
    const { h1, h2 } = this.dict;
    for (const path of q) {
      const id = this.dict.lookup(path);
      if (id !== undefined) {
        this.markQ[id] = g;
        under.set(2 * id, { h1: h1[2 * id], h2: h2[2 * id] });
      }
      for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
        const a = this.dict.lookup(path.slice(0, i));
        if (a === undefined || !this.touchedExactly[a]) continue;
        this.markA[a] = g;
        exact.set(2 * a + 1, { h1: h1[2 * a + 1], h2: h2[2 * a + 1] });
      }
    }
    return [...under.values(), ...exact.values()];
  }

  /** Confirms position `p` against the marked query; on a clash appends the hit and returns true. */
  private confirmInto(p: number, hits: MemHit[]): boolean {
    const g = this.gen;
    const { markQ, markA } = this;
    const parents = this.dict.parents;
    const data = this.touched.data;
    const end = this.touched.start(p + 1);
    let out: string[] | undefined;
    for (let i = this.touched.start(p); i < end; i++) {
      const t = data[i];
      let hit = markQ[t] === g || markA[t] === g;
      for (let a = parents[t]; !hit && a >= 0; a = parents[a]) hit = markQ[a] === g;
      if (hit) (out ??= []).push(this.dict.paths[t]);
    }
    if (!out) return false;
    if (out.length > 1) out.sort();
    hits.push({ seq: p + 1, overlapping: out });
    return true;
  }
}

/**
 * The flat alternative to the tree's search: every leaf (per-change) filter copied out of
 * the tree's level-0 pages, tested one by one against all probes. The benchmark's "array
 * of per-change filters" baseline, and a cross-check for tests.
 */
class LeafScan {
  readonly size: number;
  private readonly k: number;
  private readonly words: Uint32Array[] = [];

  constructor(tree: BloomTree) {
    this.size = tree.size;
    this.k = tree.k;
    for (let page = 0; page * PAGE < tree.size; page++) {
      const u = new Uint32Array(tree.pageBytes(0, page).slice().buffer);
      for (let i = 0, o = 1; i < (u[0] ?? 0); i++) {
        const w = u[o] >>> 5;
        this.words.push(u.subarray(o + 2, o + 2 + w));
        o += 2 + w;
      }
    }
  }

  /** Calls `visit` for each leaf in [lo, hi) that may hold one of `keys` (stop by returning true). */
  scan(keys: KeyHash[], lo: number, hi: number, visit: (pos: number) => boolean | void): void {
    const probes = keys.map((h) => probeOf(h.h1, h.h2, this.k));
    const end = Math.min(hi, this.words.length);
    for (let p = Math.max(0, lo); p < end; p++) {
      const w = this.words[p];
      for (const pr of probes) {
        if (testProbe(w, 0, w.length, pr.frac, pr.mask)) {
          if (visit(p)) return;
          break;
        }
      }
    }
  }
}
