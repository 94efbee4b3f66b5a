// Bloom filters for the landed-change index: one 64-bit xxHash per key, split into two
// 32-bit halves for (enhanced) double hashing, so a key is hashed once and then tested
// against any number of filters of any size without hashing again.
import xxhash from 'xxhash-wasm';
import type { XXHashAPI } from 'xxhash-wasm';
import { GsError } from '../core/errors.js';

let api: XXHashAPI | undefined;
let loading: Promise<XXHashAPI> | undefined;

/** Loads the xxHash WebAssembly module; every hashing entry point needs this awaited once. */
export async function initHash(): Promise<void> {
  loading ??= xxhash();
  api = await loading;
}

/** A key's hash as the two 32-bit halves of its xxh64 (unsigned). */
export interface KeyHash {
  h1: number;
  h2: number;
}

const MASK32 = 0xffffffffn;

/** xxh64 of `key`, split in halves; `initHash()` must have completed. */
export function hashKey(key: string): KeyHash {
  if (!api) throw new Error('internal: initHash() was not awaited before hashing');
  const h = api.h64(key);
  return { h1: Number(h & MASK32), h2: Number(h >> 32n) };
}

// Filters are *blocked*: a key sets k bits inside ONE 32-bit word, the word chosen from
// h1, the bit positions from h2. A membership test is then one load and one compare with
// a mask computed once per key, instead of k dependent loads with a modulo each — about
// 10x faster, which is what a hot path scanning 100k leaves needs. The price is space:
// ~14.5 bits per key at 1% instead of ~9.6, paid knowingly.

const shapes = new Map<number, { bitsPerKey: number; k: number }>();

/** Expected FP rate of a 32-bit-blocked filter at `bpk` bits per key and k bits per key. */
function blockedFp(bpk: number, k: number): number {
  const lambda = 32 / bpk; // keys per word, Poisson distributed
  let sum = 0;
  let pj = Math.exp(-lambda);
  for (let j = 0; j < 400; j++) {
    if (j > 0) pj *= lambda / j;
    sum += pj * Math.pow(1 - Math.pow(31 / 32, k * j), k);
    // Past the mode the Poisson tail vanishes fast: stop once it can't move the sum
    // (this search runs on every command's first index use).
    if (j > lambda && pj < 1e-15) break;
  }
  return sum;
}

/** Bits per key and probes per key (≤ 6: they come from 30 bits of h2) for FP rate `p`. */
export function blockedShape(p: number): { bitsPerKey: number; k: number } {
  if (!(p > 0 && p < 1)) throw new GsError('bad-input', `Bloom false-positive rate must be in (0, 1), got ${p}`);
  const known = shapes.get(p);
  if (known) return known;
  let shape = { bitsPerKey: 64, k: 6 }; // the floor for very small p: best effort
  search: for (let bpk = 1; bpk <= 64; bpk += 0.25) {
    for (let k = 1; k <= 6; k++) {
      if (blockedFp(bpk, k) <= p) {
        shape = { bitsPerKey: bpk, k };
        break search;
      }
    }
  }
  shapes.set(p, shape);
  return shape;
}

/** Filter geometry for `n` distinct items at false-positive rate `p`: bits (a multiple of 32) and k. */
export function bloomParams(n: number, p: number): { m: number; k: number } {
  const { bitsPerKey, k } = blockedShape(p);
  const m = Math.max(32, Math.ceil((Math.max(1, n) * bitsPerKey) / 32) * 32);
  return { m, k };
}

const INV32 = 1 / 4294967296;

/** A key ready to test against any filter with `k` probes: its word selector and bit mask. */
export interface Probe {
  /** h1 / 2^32, in [0, 1): word index = floor(frac · words). */
  frac: number;
  /** The k bits within the word (as an int32). */
  mask: number;
}

/** Precomputes a key's probe for filters with `k` bits per key. */
export function probeOf(h1: number, h2: number, k: number): Probe {
  let mask = 0;
  for (let i = 0; i < k; i++) mask |= 1 << ((h2 >>> (5 * i)) & 31);
  return { frac: h1 * INV32, mask };
}

/** Sets a key's bits in the filter of `m` bits at `words[off ..]`. */
export function setBits(words: Uint32Array, off: number, m: number, k: number, h1: number, h2: number): void {
  const p = probeOf(h1, h2, k);
  words[off + ((p.frac * (m >>> 5)) >>> 0)] |= p.mask;
}

/** True when the key may be in the filter at `words[off ..]` holding `nWords` words. */
export function testProbe(words: Uint32Array, off: number, nWords: number, frac: number, mask: number): boolean {
  return (words[off + ((frac * nWords) >>> 0)] & mask) === mask;
}


/** Number of set bits in `words[from, to)`. */
export function popcountWords(words: Uint32Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    let v = words[i];
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    c += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}
