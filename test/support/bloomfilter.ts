// A stand-alone Bloom filter over the landed index's hashing (src/cache/bloom.ts): the
// benchmark's "one filter per change" baseline and a check of the filter arithmetic. The
// index itself keeps its filters packed in arenas (src/cache/bloomtree.ts).
import { bloomParams, hashKey, type KeyHash, popcountWords, probeOf, setBits, testProbe } from '../../src/cache/bloom.js';

/** `testProbe` from raw hash halves (slower: computes the mask). */
export function testBits(words: Uint32Array, off: number, m: number, k: number, h1: number, h2: number): boolean {
  const p = probeOf(h1, h2, k);
  return testProbe(words, off, m >>> 5, p.frac, p.mask);
}

/** A stand-alone Bloom filter (the tree keeps its filters packed in arenas instead). */
export class BloomFilter {
  readonly m: number;
  readonly k: number;
  readonly words: Uint32Array;

  /** A filter of `m` bits (a multiple of 32) with `k` probes, optionally over existing words. */
  constructor(m: number, k: number, words?: Uint32Array) {
    if (m <= 0 || m % 32 !== 0) throw new Error(`Bloom filter size must be a positive multiple of 32 bits, got ${m}`);
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
    if (u.length < 2 || u[0] % 32 !== 0 || u.length !== 2 + u[0] / 32) throw new Error('damaged Bloom filter bytes');
    return new BloomFilter(u[0], u[1], u.slice(2));
  }
}
