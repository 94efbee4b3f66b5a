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
  if (!api) throw new GsError('bad-input', 'internal: initHash() was not awaited before hashing');
  const h = api.h64(key);
  return { h1: Number(h & MASK32), h2: Number(h >> 32n) };
}

/** Filter geometry for `n` distinct items at false-positive rate `p`: bits (a multiple of 32) and hash count. */
export function bloomParams(n: number, p: number): { m: number; k: number } {
  if (!(p > 0 && p < 1)) throw new GsError('bad-input', `Bloom false-positive rate must be in (0, 1), got ${p}`);
  const items = Math.max(1, n);
  const ideal = Math.ceil((-items * Math.log(p)) / (Math.LN2 * Math.LN2));
  // Whole words: the rounding lowers the FP rate a little and costs no extra storage.
  const m = Math.max(32, Math.ceil(ideal / 32) * 32);
  const k = Math.min(16, Math.max(1, Math.round((m / items) * Math.LN2)));
  return { m, k };
}

/**
 * Sets the bits of one key in the filter stored at `words[off ..]` of `m` bits with `k`
 * probes. Enhanced double hashing (Dillinger & Manolios): two modulos per key, then
 * only additions, and no degenerate cycle when h2 ≡ 0 (mod m).
 */
export function setBits(words: Uint32Array, off: number, m: number, k: number, h1: number, h2: number): void {
  let x = h1 % m;
  let y = h2 % m;
  for (let i = 0; i < k; i++) {
    words[off + (x >>> 5)] |= 1 << (x & 31);
    x += y;
    if (x >= m) x -= m;
    y += i + 1;
    if (y >= m) y -= m;
  }
}

/** True when every bit of the key is set in the filter at `words[off ..]` (maybe present). */
export function testBits(words: Uint32Array, off: number, m: number, k: number, h1: number, h2: number): boolean {
  let x = h1 % m;
  let y = h2 % m;
  for (let i = 0; i < k; i++) {
    if ((words[off + (x >>> 5)] & (1 << (x & 31))) === 0) return false;
    x += y;
    if (x >= m) x -= m;
    y += i + 1;
    if (y >= m) y -= m;
  }
  return true;
}

/** A stand-alone Bloom filter (the tree keeps its filters packed in arenas instead). */
export class BloomFilter {
  readonly m: number;
  readonly k: number;
  readonly words: Uint32Array;

  /** A filter of `m` bits (a multiple of 32) with `k` probes, optionally over existing words. */
  constructor(m: number, k: number, words?: Uint32Array) {
    if (m <= 0 || m % 32 !== 0) throw new GsError('bad-input', `Bloom filter size must be a positive multiple of 32 bits, got ${m}`);
    this.m = m;
    this.k = k;
    this.words = words ?? new Uint32Array(m / 32);
  }

  /** An empty filter sized for `n` distinct items at false-positive rate `p`. */
  static forItems(n: number, p: number): BloomFilter {
    const { m, k } = bloomParams(n, p);
    return new BloomFilter(m, k);
  }

  /** Adds a key by its hash. */
  addHash(h: KeyHash): void {
    setBits(this.words, 0, this.m, this.k, h.h1, h.h2);
  }

  /** Adds a key (hashing it). */
  add(key: string): void {
    this.addHash(hashKey(key));
  }

  /** False means certainly absent; true means present or a false positive. */
  hasHash(h: KeyHash): boolean {
    return testBits(this.words, 0, this.m, this.k, h.h1, h.h2);
  }

  /** Membership test by key (hashing it). */
  has(key: string): boolean {
    return this.hasHash(hashKey(key));
  }

  /** Fraction of bits set (≈ 0.5 at design load). */
  fill(): number {
    return popcountWords(this.words, 0, this.words.length) / this.m;
  }

  /** Bytes as stored: an 8-byte header (m, k) and the bit words. */
  toBytes(): Uint8Array {
    const out = new Uint32Array(2 + this.words.length);
    out[0] = this.m;
    out[1] = this.k;
    out.set(this.words, 2);
    return new Uint8Array(out.buffer);
  }

  /** Inverse of `toBytes` (copies, so the source buffer may be unaligned or reused). */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    const u = new Uint32Array(bytes.slice().buffer);
    if (u.length < 2 || u[0] % 32 !== 0 || u.length !== 2 + u[0] / 32) throw new GsError('bad-input', 'damaged Bloom filter bytes');
    return new BloomFilter(u[0], u[1], u.slice(2));
  }
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
