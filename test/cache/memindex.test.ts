// The Bloom-filter tree alone (in memory) against a brute-force array of path lists.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashKey, initHash } from '../../src/cache/bloom.js';
import { BloomTree } from '../../src/cache/bloomtree.js';
import { MemIndex } from '../support/memindex.js';
import { changeKeys, overlappingPaths, parentDirs, PathDict, pathsOverlap, probeKeys } from '../../src/cache/paths.js';
import { POOL } from './fixture.js';

beforeAll(async () => {
  await initHash();
});

const pathArb = fc.constantFrom(...POOL, 'zz', 'a/zz', 'a/b/a/deep');
const changeArb = fc.array(pathArb, { minLength: 0, maxLength: 4 });

function brute(changes: string[][], base: number, tip: number, q: string[]) {
  const out: { seq: number; overlapping: string[] }[] = [];
  changes.forEach((paths, i) => {
    const seq = i + 1;
    if (seq <= base || seq > tip) return;
    const o = overlappingPaths([...new Set(paths)], q); // a change touches a set of paths
    if (o.length) out.push({ seq, overlapping: o });
  });
  return out;
}

describe('paths', () => {
  it('overlap is equality or ancestry, never mere siblings', () => {
    expect(pathsOverlap('a/b', 'a/b')).toBe(true);
    expect(pathsOverlap('a/b', 'a/b/c.txt')).toBe(true);
    expect(pathsOverlap('a/b/c.txt', 'a')).toBe(true);
    expect(pathsOverlap('a/b', 'a/bc')).toBe(false);
    expect(pathsOverlap('a/x', 'a/y')).toBe(false);
    expect(parentDirs('a/b/c.txt')).toEqual(['a/b', 'a']);
  });

  it('a clash always shares a probe key with the change (the filter test cannot miss it)', () => {
    fc.assert(
      fc.property(changeArb, fc.array(pathArb, { minLength: 1, maxLength: 3 }), (paths, q) => {
        const keys = new Set(changeKeys(paths));
        const probed = probeKeys(q).some((k) => keys.has(k));
        if (overlappingPaths(paths, q).length) expect(probed).toBe(true);
        // and the keys are exact: no probe hit without a clash
        expect(probed).toBe(overlappingPaths(paths, q).length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('interned key ids are the change keys', () => {
    const d = new PathDict();
    const ids = ['a/b/c', 'a/x', 'b'].map((p) => d.intern(p));
    const out: number[] = [];
    d.changeKeyIds(ids, out);
    const names = out.map((k) => (k % 2 ? 'e:' : 'u:') + d.name(k >> 1)).sort();
    expect(names).toEqual(changeKeys(['a/b/c', 'a/x', 'b']).sort());
  });
});

describe('bloom tree in memory', () => {
  it('returns every position holding a key (a superset, in order)', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 120 }), fc.integer({ min: 2, max: 5 }), fc.constantFrom(0.01, 0.3), pathArb, fc.nat(), fc.nat(), (changes, fanout, fpRate, p, x, y) => {
        const dict = new PathDict();
        const tree = new BloomTree({ fanout, fpRate });
        const rows: number[][] = [];
        for (const c of changes) {
          const keys: number[] = [];
          dict.changeKeyIds(c.map((q) => dict.intern(q)), keys);
          rows.push(keys);
          tree.push(keys, dict, (i) => rows[i]);
        }
        const lo = changes.length ? x % (changes.length + 1) : 0;
        const hi = changes.length ? lo + (y % (changes.length + 1 - lo)) : 0;
        for (const key of ['u:' + p, 'e:' + p]) {
          const h = hashKey(key);
          const got: number[] = [];
          tree.search(h.h1, h.h2, lo, hi, got);
          const truth = changes.map((c, i) => (changeKeys(c).includes(key) && i >= lo && i < hi ? i : -1)).filter((i) => i >= 0);
          for (const t of truth) expect(got).toContain(t);
          expect([...got].sort((a, b) => a - b)).toEqual(got);
          for (const g of got) expect(g >= lo && g < hi).toBe(true);
          if (fpRate === 0.01 && changes.length > 40) expect(got.length - truth.length).toBeLessThanOrEqual(Math.max(3, changes.length * 0.1));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers (base, tip] ∩ paths exactly like a brute-force scan, across appends and truncations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(changeArb, { maxLength: 150 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(0.01, 0.2, 0.5),
        fc.option(fc.tuple(fc.nat(), fc.array(changeArb, { maxLength: 40 })), { nil: undefined }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.array(pathArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(1, 2, Infinity)), { minLength: 1, maxLength: 8 }),
        async (changes, fanout, fpRate, rewrite, queries) => {
          const idx = await MemIndex.create({ fanout, fpRate });
          let model = [...changes];
          for (const c of changes) idx.append(c);
          if (rewrite) {
            const keep = rewrite[0] % (model.length + 1);
            idx.truncate(keep);
            model = model.slice(0, keep);
            for (const c of rewrite[1]) {
              idx.append(c);
              model.push(c);
            }
          }
          expect(idx.size).toBe(model.length);
          for (const [x, y, q, limit] of queries) {
            const n = model.length;
            const base = x % (n + 1);
            const tip = base + (y % (n + 1 - base));
            const want = brute(model, base, tip, q);
            expect(idx.query(base, tip, q, limit)).toEqual(limit === Infinity ? want : want.slice(0, limit));
            expect(idx.scanQuery(base, tip, q, limit)).toEqual(limit === Infinity ? want : want.slice(0, limit));
            const anyOrder = idx.query(base, tip, q, limit, false); // some `limit` true hits, in seq order
            expect(anyOrder.length).toBe(Math.min(limit, want.length));
            for (const h of anyOrder) expect(want).toContainEqual(h);
            expect(anyOrder.map((h) => h.seq)).toEqual([...anyOrder.map((h) => h.seq)].sort((a, b) => a - b));
          }
          if (model.length) expect(idx.pathsAt(model.length).sort()).toEqual([...new Set(model[model.length - 1])].sort());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('sizes node filters by the distinct keys beneath them', async () => {
    const idx = await MemIndex.create({ fanout: 4, fpRate: 0.01 });
    for (let i = 0; i < 256; i++) idx.append([`d${i % 7}/f${i}.txt`]);
    const stats = idx.tree.levelStats();
    const bitsPerNode = stats.map((s) => ((s.bytes - 8 * s.nodes) * 8) / s.nodes);
    expect(stats.length).toBe(5); // 256 = 4^4
    for (let l = 1; l < bitsPerNode.length; l++) expect(bitsPerNode[l]).toBeGreaterThan(bitsPerNode[l - 1] * 1.8);
    for (const s of stats) expect(s.measuredFpRate).toBeLessThan(0.05);
    // the same file every time: the upper filters stay small
    const same = await MemIndex.create({ fanout: 4, fpRate: 0.01 });
    for (let i = 0; i < 256; i++) same.append(['hot/file.txt']);
    const top = same.tree.levelStats().at(-1)!;
    expect(top.bytes / top.nodes).toBeLessThan(30);
  });
});
