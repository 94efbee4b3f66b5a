// Turning per-key tree searches into one answer: the sorted union of candidate lists
// (for "all hits"), and a lazy, ordered stream of candidates across keys (for "the first
// N hits"), which fetches from the tree in small batches so it can stop early.
import type { KeyHash } from './bloom.js';
import type { TreeSearch } from './pagedtree.js';

/** Sorted, distinct union of ascending position lists (merged shortest first, or via a bitmap when large). */
export function mergeSorted(lists: number[][]): number[] {
  const ls = lists.filter((l) => l.length).sort((a, b) => a.length - b.length);
  if (ls.length > 1) {
    let total = 0;
    let lo = Infinity;
    let hi = 0;
    for (const l of ls) {
      total += l.length;
      lo = Math.min(lo, l[0]);
      hi = Math.max(hi, l[l.length - 1]);
    }
    // Dense unions (a hot key): a bitmap over the span beats pairwise merging.
    if (total > 2048 && (hi - lo) / 32 < total * 4) return unionBitmap(ls, lo, hi);
  }
  let acc = ls[0] ?? [];
  for (let i = 1; i < ls.length; i++) acc = mergeTwo(acc, ls[i]);
  return acc;
}

function unionBitmap(ls: number[][], lo: number, hi: number): number[] {
  const bits = new Uint32Array(((hi - lo) >>> 5) + 1);
  for (const l of ls) for (let i = 0; i < l.length; i++) {
    const x = l[i] - lo;
    bits[x >>> 5] |= 1 << (x & 31);
  }
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w];
    while (v !== 0) {
      const t = v & -v;
      out.push(lo + (w << 5) + (31 - Math.clz32(t)));
      v ^= t;
    }
  }
  return out;
}

function mergeTwo(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x < y) {
      out.push(x);
      i++;
    } else if (y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/**
 * Candidate positions of several keys in increasing order, fetched from the tree in small
 * batches, so a caller wanting only the first confirmed hit(s) stops early.
 */
export class CandidateStream {
  private bufs: number[][];
  private at: number[];
  private next: number[];
  private done: boolean[];
  private last = -1;

  /** Streams candidates in [lo, hi) for `probes`. */
  constructor(
    private tree: TreeSearch,
    private probes: KeyHash[],
    lo: number,
    private hi: number,
    private batch = 16,
  ) {
    this.bufs = probes.map(() => []);
    this.at = probes.map(() => 0);
    this.next = probes.map(() => lo);
    this.done = probes.map(() => false);
  }

  /** The next distinct candidate position, or -1 when there are none left. */
  take(): number {
    let best = -1;
    let bv = Infinity;
    for (let i = 0; i < this.probes.length; i++) {
      if (this.at[i] >= this.bufs[i].length && !this.done[i]) this.refill(i);
      const b = this.bufs[i];
      while (this.at[i] < b.length && b[this.at[i]] <= this.last) this.at[i]++;
      if (this.at[i] >= b.length && !this.done[i]) {
        i--; // refill again after skipping duplicates
        continue;
      }
      if (this.at[i] < b.length && b[this.at[i]] < bv) {
        bv = b[this.at[i]];
        best = i;
      }
    }
    if (best < 0) return -1;
    this.at[best]++;
    this.last = bv;
    return bv;
  }

  private refill(i: number): void {
    const out: number[] = [];
    const stopped = this.tree.search(this.probes[i].h1, this.probes[i].h2, this.next[i], this.hi, out, this.batch);
    this.bufs[i] = out;
    this.at[i] = 0;
    if (out.length) this.next[i] = out[out.length - 1] + 1;
    if (!stopped) this.done[i] = true;
  }
}
