// A read-only view of a stored Bloom tree (bloomtree.ts) that reads only the pages a
// search descends into, each once, through a synchronous page reader (LevelDB getSync):
// a query over a million changes touches a few hundred pages of the tree's ~60 MB, where
// loading the whole tree first cost more than the whole rest of `conflicts`. Same search,
// same answers as BloomTree.search over the same pages; the append path loads the tree
// whole (it rewrites pages) and never uses this.
import { GsError } from '../core/errors.js';
import { probeOf, testProbe } from './bloom.js';
import { PAGE, type TreeOptions } from './bloomtree.js';

/** What both trees offer a query: candidate positions of one key, in order. */
export interface TreeSearch {
  search(h1: number, h2: number, lo: number, hi: number, out: number[], max?: number): boolean;
}

/** One decoded page: node i's filter is words[off[i] .. off[i] + (m[i] >>> 5)). */
interface Page {
  words: Uint32Array;
  off: Uint32Array;
  m: Uint32Array;
}

/** Reads one stored page's bytes (undefined: missing). */
export type PageReader = (level: number, page: number) => Uint8Array | undefined;

/** The tree of `size` positions whose pages `read` returns, searched lazily. */
export class PagedTree implements TreeSearch {
  private pages = new Map<number, Page>();
  private pow: number[] = [1];

  constructor(
    private opts: TreeOptions,
    private k: number,
    private size: number,
    private read: PageReader,
    private damaged: (why: string) => GsError,
  ) {}

  /** Pages read so far (for tests and stats). */
  get pagesRead(): number {
    return this.pages.size;
  }

  private span(level: number): number {
    while (this.pow.length <= level) this.pow.push(this.pow[this.pow.length - 1] * this.opts.fanout);
    return this.pow[level];
  }

  /** Complete nodes (nodes with a filter) at `level`. */
  private count(level: number): number {
    return Math.floor(this.size / this.span(level));
  }

  private page(level: number, page: number): Page {
    const key = level * 2 ** 32 + page;
    const hit = this.pages.get(key);
    if (hit) return hit;
    const bytes = this.read(level, page);
    const want = Math.min(PAGE, this.count(level) - page * PAGE);
    if (!bytes || bytes.length % 4 !== 0) throw this.damaged(`page ${level}:${page} is missing`);
    const u = new Uint32Array(bytes.slice().buffer);
    if (u[0] < want) throw this.damaged(`page ${level}:${page} is short`);
    const off = new Uint32Array(want);
    const m = new Uint32Array(want);
    let o = 1;
    for (let i = 0; i < want; i++) {
      const mi = u[o++];
      const ki = u[o++];
      if (mi === 0 || mi % 32 !== 0 || ki !== this.k || o + (mi >>> 5) > u.length) throw this.damaged(`page ${level}:${page} is malformed`);
      m[i] = mi;
      off[i] = o;
      o += mi >>> 5;
    }
    const p = { words: u, off, m };
    this.pages.set(key, p);
    return p;
  }

  /** As BloomTree.search: positions in [lo, hi) whose leaf filter may hold the key, in order, at most `max`. */
  search(h1: number, h2: number, lo: number, hi: number, out: number[], max = Infinity): boolean {
    const end = Math.min(hi, this.size);
    if (lo >= end || out.length >= max) return out.length >= max;
    let top = 0;
    while (this.span(top) < this.size) top++;
    const { frac, mask } = probeOf(h1, h2, this.k);
    return this.dfs(top, 0, frac, mask, lo, end, out, max);
  }

  private test(level: number, idx: number, frac: number, mask: number): boolean {
    const p = this.page(level, Math.floor(idx / PAGE));
    const i = idx % PAGE;
    return testProbe(p.words, p.off[i], p.m[i] >>> 5, frac, mask);
  }

  private dfs(L: number, idx: number, frac: number, mask: number, lo: number, hi: number, out: number[], max: number): boolean {
    if (idx < this.count(L) && !this.test(L, idx, frac, mask)) return false;
    const F = this.opts.fanout;
    if (L === 0) {
      out.push(idx);
      return out.length >= max;
    }
    const cs = this.span(L - 1);
    const first = idx * F;
    const a = Math.max(first, Math.floor(lo / cs));
    const b = Math.min(first + F, Math.ceil(hi / cs));
    for (let c = a; c < b; c++) {
      if (L === 1 && !this.test(0, c, frac, mask)) continue;
      if (L === 1) {
        out.push(c);
        if (out.length >= max) return true;
        continue;
      }
      if (this.dfs(L - 1, c, frac, mask, lo, hi, out, max)) return true;
    }
    return false;
  }
}
