// The in-memory tree of Bloom filters over the landed sequence.
//
// Shape: a complete F-ary tree laid over positions 0..size-1 (position p is the change
// with seq p+1). Level 0 holds one filter per change; a node at level L covers the
// F^L positions [i·F^L, (i+1)·F^L). A node gets its filter once it is complete, sized
// for the DISTINCT keys beneath it, so the filters grow with the level instead of
// saturating (one size for all) or wasting space. The right spine of incomplete nodes
// has no filter: a search just descends through it, at most F-1 siblings per level.
// Appending is O(keys) plus, when it completes nodes, a union over their ranges —
// O(levels · keys) amortised per change, and nothing already built is touched.
//
// Filters are packed per level into one Uint32Array arena (offsets, m, k arrays beside
// it): a million changes would otherwise be a million typed-array objects.
//
// A search tests ONE key and returns candidate positions in order. Queries search each
// probe key separately: a hot key then costs one bit test per node on the way down
// instead of dragging the other keys' probes along, and each cold key stays O(log n).
import { GsError } from '../core/errors.js';
import { bloomParams, hashKey, popcountWords, probeOf, setBits, testProbe, type Probe } from './bloom.js';
import type { KeySpace } from './paths.js';

/** Nodes per stored page (the unit LevelDB reads and rewrites). */
export const PAGE = 64;

/** How the tree is shaped. */
export interface TreeOptions {
  /** Children per node (≥ 2). */
  fanout: number;
  /** Design false-positive rate of every filter. */
  fpRate: number;
}

/** Default shape: fanout 16, 1% per filter (a false descent costs ≈ 16·1% extra tests). */
export const DEFAULT_TREE: TreeOptions = { fanout: 16, fpRate: 0.01 };

class Level {
  words: Uint32Array = new Uint32Array(256);
  wordsLen = 0;
  off: Uint32Array = new Uint32Array(64);
  m: Uint32Array = new Uint32Array(64);
  k = new Uint8Array(64);
  count = 0;

  /** Appends a zeroed node of m bits and k probes; returns its word offset. */
  add(m: number, k: number): number {
    if (this.count === this.off.length) {
      const n = this.off.length * 2;
      this.off = grow32(this.off, n);
      this.m = grow32(this.m, n);
      const kk = new Uint8Array(n);
      kk.set(this.k);
      this.k = kk;
    }
    const w = m >>> 5;
    if (this.wordsLen + w > this.words.length) this.words = grow32(this.words, Math.max(this.words.length * 2, this.wordsLen + w));
    const at = this.wordsLen;
    this.off[this.count] = at;
    this.m[this.count] = m;
    this.k[this.count] = k;
    this.count++;
    this.wordsLen += w;
    return at;
  }

  truncate(count: number): void {
    if (count >= this.count) return;
    this.wordsLen = count ? this.off[count] : 0;
    this.words.fill(0, this.wordsLen);
    this.count = count;
  }
}

function grow32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

/** Per-level figures for `index stats`. */
export interface LevelStats {
  level: number;
  nodes: number;
  bytes: number;
  fill: number;
  measuredFpRate: number;
}

/** A tree of Bloom filters over a growing sequence; see the file comment for the shape. */
export class BloomTree {
  readonly fanout: number;
  readonly fpRate: number;
  /** Bits set per key (k), the same in every filter: with blocked filters it depends on the FP rate only. */
  readonly k: number;
  private levels: Level[] = [new Level()];
  private pow: number[] = [1];
  private n = 0;
  private stamp: Uint32Array = new Uint32Array(0);
  private gen = 0;
  private dirty = new Set<string>();

  /** An empty tree. */
  constructor(opts: TreeOptions = DEFAULT_TREE) {
    if (!Number.isInteger(opts.fanout) || opts.fanout < 2) throw new GsError('bad-input', `tree fanout must be an integer ≥ 2, got ${opts.fanout}`);
    this.k = bloomParams(1, opts.fpRate).k; // also validates the rate
    this.fanout = opts.fanout;
    this.fpRate = opts.fpRate;
  }

  /** Number of positions (changes) indexed. */
  get size(): number {
    return this.n;
  }

  /** Number of levels that hold at least one filter. */
  get height(): number {
    let h = 0;
    while (h < this.levels.length && this.levels[h].count > 0) h++;
    return h;
  }

  /** Positions covered by one node at `level`. */
  span(level: number): number {
    while (this.pow.length <= level) this.pow.push(this.pow[this.pow.length - 1] * this.fanout);
    return this.pow[level];
  }

  /** Complete nodes (nodes with a filter) at `level`. */
  nodeCount(level: number): number {
    return level < this.levels.length ? this.levels[level].count : 0;
  }

  /**
   * The range [from, size+1) whose keys `push` will read through `keysOf` when it appends
   * the next change: the nodes that change completes. Lets an owner that keeps only recent
   * changes in memory fetch the rest first.
   */
  nextCompletionStart(): number {
    const s = this.n + 1;
    let span = 1;
    while (s % (span * this.fanout) === 0) span *= this.fanout;
    return s - span;
  }

  /**
   * Appends one change whose distinct key ids are `keyIds`. `keysOf(p)` must give the key
   * ids of any earlier position from `nextCompletionStart()` on (read for completed nodes).
   */
  push(keyIds: ArrayLike<number>, space: KeySpace, keysOf: (pos: number) => ArrayLike<number>): void {
    const pos = this.n;
    this.addNode(0, keyIds, keyIds.length, space);
    this.n = pos + 1;
    for (let L = 1; this.n % this.span(L) === 0; L++) {
      const span = this.span(L);
      const distinct = this.distinctKeys(this.n - span, this.n, space, keysOf, pos, keyIds);
      this.addNode(L, distinct, distinct.length, space);
    }
  }

  private distinctKeys(from: number, to: number, space: KeySpace, keysOf: (pos: number) => ArrayLike<number>, newPos: number, newKeys: ArrayLike<number>): number[] {
    if (this.stamp.length < space.keyCount) this.stamp = grow32(this.stamp, Math.max(space.keyCount, this.stamp.length * 2));
    if (++this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    const g = this.gen;
    const stamp = this.stamp;
    const out: number[] = [];
    for (let p = from; p < to; p++) {
      const ks = p === newPos ? newKeys : keysOf(p);
      for (let i = 0; i < ks.length; i++) {
        const key = ks[i];
        if (stamp[key] !== g) {
          stamp[key] = g;
          out.push(key);
        }
      }
    }
    return out;
  }

  private addNode(level: number, keys: ArrayLike<number>, n: number, space: KeySpace): void {
    while (this.levels.length <= level) this.levels.push(new Level());
    const { m, k } = bloomParams(n, this.fpRate);
    const lev = this.levels[level];
    const at = lev.add(m, k);
    const words = lev.words;
    const h1 = space.h1;
    const h2 = space.h2;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      setBits(words, at, m, k, h1[key], h2[key]);
    }
    this.dirty.add(pageKey(level, Math.floor((lev.count - 1) / PAGE)));
  }

  /** Drops every position from `size` on (a history rewrite), and the nodes covering them. */
  truncate(size: number): void {
    if (size >= this.n) return;
    this.n = size;
    for (let L = 0; L < this.levels.length; L++) {
      const lev = this.levels[L];
      const keep = Math.floor(size / this.span(L));
      if (keep < lev.count) {
        lev.truncate(keep);
        this.dirty.add(pageKey(L, Math.floor(keep / PAGE)));
      }
    }
  }

  /**
   * Appends to `out` (in increasing order) the positions in [lo, hi) whose leaf filter may
   * hold the key, stopping once `out` has `max` entries; returns true if it stopped early.
   */
  search(h1: number, h2: number, lo: number, hi: number, out: number[], max = Infinity): boolean {
    const end = Math.min(hi, this.n);
    if (lo >= end || out.length >= max) return out.length >= max;
    let top = 0;
    while (this.span(top) < this.n) top++;
    while (this.levels.length <= top) this.levels.push(new Level());
    const { frac, mask } = probeOf(h1, h2, this.k);
    return this.dfs(top, 0, frac, mask, lo, end, out, max);
  }

  private dfs(L: number, idx: number, frac: number, mask: number, lo: number, hi: number, out: number[], max: number): boolean {
    const lev = this.levels[L];
    if (idx < lev.count && !testProbe(lev.words, lev.off[idx], lev.m[idx] >>> 5, frac, mask)) return false;
    const F = this.fanout;
    if (L === 1) {
      // Scan the leaves inline: this loop is the whole cost of a hot key.
      const { words, off, m } = this.levels[0];
      const a = Math.max(idx * F, lo);
      const b = Math.min(idx * F + F, hi);
      for (let p = a; p < b; p++) {
        if ((words[off[p] + ((frac * (m[p] >>> 5)) >>> 0)] & mask) === mask) {
          out.push(p);
          if (out.length >= max) return true;
        }
      }
      return false;
    }
    if (L === 0) {
      out.push(idx);
      return out.length >= max;
    }
    const cs = this.pow[L - 1];
    const first = idx * F;
    const a = Math.max(first, Math.floor(lo / cs));
    const b = Math.min(first + F, Math.ceil(hi / cs));
    for (let c = a; c < b; c++) if (this.dfs(L - 1, c, frac, mask, lo, hi, out, max)) return true;
    return false;
  }

  /** Pages written since the last call, as `level:page` (for the persistence layer). */
  takeDirty(): { level: number; page: number }[] {
    const out = [...this.dirty].map((s) => {
      const [l, p] = s.split(':');
      return { level: Number(l), page: Number(p) };
    });
    this.dirty.clear();
    return out;
  }

  /** Number of pages at `level`. */
  pageCount(level: number): number {
    return Math.ceil(this.nodeCount(level) / PAGE);
  }

  /** Serialises page `page` of `level`: [count, then per node m, k, words…] as 32-bit words. */
  pageBytes(level: number, page: number): Uint8Array {
    const lev = this.levels[level];
    const a = page * PAGE;
    const b = Math.min(a + PAGE, lev.count);
    if (a >= b) return new Uint8Array(0);
    const wa = lev.off[a];
    const wb = b < lev.count ? lev.off[b] : lev.wordsLen;
    const out = new Uint32Array(1 + 2 * (b - a) + (wb - wa));
    out[0] = b - a;
    let o = 1;
    for (let i = a; i < b; i++) {
      const w = lev.m[i] >>> 5;
      out[o++] = lev.m[i];
      out[o++] = lev.k[i];
      out.set(lev.words.subarray(lev.off[i], lev.off[i] + w), o);
      o += w;
    }
    return new Uint8Array(out.buffer);
  }

  /**
   * Restores a tree of `size` positions from its pages, given in (level, page) order;
   * returns false when they do not add up to that size (a damaged index).
   */
  static fromPages(opts: TreeOptions, size: number, pages: Iterable<{ level: number; page: number; bytes: Uint8Array }>): BloomTree | undefined {
    const t = new BloomTree(opts);
    t.n = size;
    for (const { level, page, bytes } of pages) {
      while (t.levels.length <= level) t.levels.push(new Level());
      const lev = t.levels[level];
      const want = Math.floor(size / t.span(level));
      if (page * PAGE !== lev.count) {
        if (lev.count >= want) continue; // a page beyond the size (left by a crash): ignored
        return undefined;
      }
      const u = new Uint32Array(bytes.slice().buffer);
      let o = 1;
      for (let i = 0; i < u[0] && lev.count < want; i++) {
        const m = u[o++];
        const k = u[o++];
        const w = m >>> 5;
        if (m === 0 || m % 32 !== 0 || k !== t.k || o + w > u.length) return undefined;
        const at = lev.add(m, k);
        lev.words.set(u.subarray(o, o + w), at);
        o += w;
      }
    }
    for (let L = 0; L === 0 || t.span(L) <= size; L++) {
      if (t.nodeCount(L) !== Math.floor(size / t.span(L))) return undefined;
    }
    return t;
  }

  /** Per-level node count, bytes, bit fill and a measured false-positive rate. */
  levelStats(samplesPerLevel = 200, probes = 500): LevelStats[] {
    const out: LevelStats[] = [];
    const absent: Probe[] = [];
    // Key prefix `x:` is never inserted, so every positive below is a false positive.
    for (let i = 0; i < probes; i++) {
      const h = hashKey(`x:${i}:${Math.random()}`);
      absent.push(probeOf(h.h1, h.h2, this.k));
    }
    for (let L = 0; L < this.levels.length; L++) {
      const lev = this.levels[L];
      if (!lev.count) continue;
      const setBitsCount = popcountWords(lev.words, 0, lev.wordsLen);
      const step = Math.max(1, Math.floor(lev.count / samplesPerLevel));
      let tests = 0;
      let fps = 0;
      for (let i = 0; i < lev.count; i += step) {
        for (const h of absent) {
          tests++;
          if (testProbe(lev.words, lev.off[i], lev.m[i] >>> 5, h.frac, h.mask)) fps++;
        }
      }
      out.push({ level: L, nodes: lev.count, bytes: lev.wordsLen * 4 + lev.count * 8, fill: setBitsCount / (lev.wordsLen * 32), measuredFpRate: fps / tests });
    }
    return out;
  }

  /** Bytes of all filters (bits plus an 8-byte header each). */
  get bytes(): number {
    return this.levels.reduce((s, l) => s + l.wordsLen * 4 + l.count * 8, 0);
  }

  /** Total number of filters. */
  get nodes(): number {
    return this.levels.reduce((s, l) => s + l.count, 0);
  }
}

function pageKey(level: number, page: number): string {
  return `${level}:${page}`;
}
