import { beforeAll, describe, expect, it } from 'vitest';
import { bloomParams, hashKey, initHash } from '../../src/cache/bloom.js';
import { BloomFilter } from '../support/bloomfilter.js';

beforeAll(async () => {
  await initHash();
});

describe('bloom filter', () => {
  it('sizes from n and p, growing with n and shrinking p', () => {
    const a = bloomParams(1000, 0.01);
    expect(a.m).toBeGreaterThanOrEqual(9585); // at least the classic -n ln p / ln²2
    expect(a.m).toBeLessThanOrEqual(16_000); // blocking costs ~50% more, not more than that
    expect(a.m % 32).toBe(0);
    expect(a.k).toBeGreaterThanOrEqual(3);
    expect(a.k).toBeLessThanOrEqual(6);
    expect(bloomParams(10_000, 0.01).m).toBeGreaterThan(a.m * 9);
    expect(bloomParams(1000, 0.001).m).toBeGreaterThan(a.m);
    expect(bloomParams(0, 0.01).m).toBe(32);
    expect(() => bloomParams(10, 0)).toThrow();
    expect(() => bloomParams(10, 1)).toThrow();
  });

  it('has no false negatives', () => {
    for (const n of [1, 7, 100, 5000]) {
      const f = BloomFilter.forItems(n, 0.01);
      const keys = Array.from({ length: n }, (_, i) => `u:dir${i % 13}/file-${i}.ts`);
      for (const k of keys) f.add(k);
      for (const k of keys) expect(f.has(k)).toBe(true);
    }
  });

  it('keeps the false-positive rate near the design rate', () => {
    for (const p of [0.01, 0.05]) {
      const n = 20_000;
      const f = BloomFilter.forItems(n, p);
      for (let i = 0; i < n; i++) f.add(`in:${i}`);
      let fp = 0;
      const trials = 50_000;
      for (let i = 0; i < trials; i++) if (f.has(`out:${i}`)) fp++;
      const rate = fp / trials;
      expect(rate).toBeLessThan(p * 1.5);
      expect(rate).toBeGreaterThan(p * 0.3);
      expect(f.fill()).toBeGreaterThan(0.2); // blocked filters run emptier than classic ones (~0.5)
      expect(f.fill()).toBeLessThan(0.5);
    }
  });

  it('splits one 64-bit hash into two 32-bit halves, stably', () => {
    const h = hashKey('u:src/a.ts');
    expect(h).toEqual(hashKey('u:src/a.ts'));
    expect(h.h1).toBeGreaterThanOrEqual(0);
    expect(h.h1).toBeLessThan(2 ** 32);
    expect(h.h2).toBeLessThan(2 ** 32);
    expect(hashKey('e:src/a.ts')).not.toEqual(h);
  });

  it('round-trips through bytes, and refuses damaged bytes', () => {
    const f = BloomFilter.forItems(50, 0.01);
    for (let i = 0; i < 50; i++) f.add(String(i));
    const g = BloomFilter.fromBytes(f.toBytes());
    expect(g.m).toBe(f.m);
    expect(g.k).toBe(f.k);
    expect([...g.words]).toEqual([...f.words]);
    for (let i = 0; i < 50; i++) expect(g.has(String(i))).toBe(true);
    expect(() => BloomFilter.fromBytes(f.toBytes().subarray(0, 12))).toThrow();
  });
});
