// The persisted index over long synthetic histories (no git: a fake history source), so
// that filter pages, flush batches and truncation cross their boundaries (64 nodes a
// page, 2000 changes a batch), across reopenings, rewrites and a feed that fails midway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withIndexDb } from '../../src/cache/db.js';
import { LandedIndex, type FeedChange, type HistorySource } from '../../src/cache/landed.js';
import { overlappingPaths } from '../../src/cache/paths.js';
import { POOL } from './fixture.js';

/** An in-memory commit graph: commit → first parent and touched paths. */
class FakeRepo {
  commits = new Map<string, { parent: string | null; paths: string[] }>();
  private n = 0;
  /** Appends `changes` on top of `from`; returns the new commits in order. */
  grow(from: string | null, changes: string[][]): string[] {
    const out: string[] = [];
    let parent = from;
    for (const paths of changes) {
      const c = (++this.n).toString(16).padStart(40, '0');
      this.commits.set(c, { parent, paths });
      out.push(c);
      parent = c;
    }
    return out;
  }
  chain(tip: string): string[] {
    const out: string[] = [];
    for (let c: string | null = tip; c; c = this.commits.get(c)!.parent) out.push(c);
    return out;
  }
  history(failAfter = Infinity): HistorySource {
    return {
      changes: async function* (this: void, since: string | null, tip: string) {
        const chain = repo.chain(tip);
        const i = since ? chain.indexOf(since) : chain.length;
        let k = 0;
        for (const c of chain.slice(0, i).reverse()) {
          if (k++ >= failAfter) throw new Error('feed broke');
          const r = repo.commits.get(c)!;
          yield { commit: c, parent: r.parent, paths: r.paths } satisfies FeedChange;
        }
      },
      firstParentChain: async function* (this: void, tip: string) {
        yield* repo.chain(tip);
      },
    };
  }
}
let repo = new FakeRepo();

const pathsArb = fc.array(fc.constantFrom(...POOL), { minLength: 0, maxLength: 3 });

function brute(repoChain: string[], base: number, tip: number, q: string[]) {
  const out: { seq: number; commit: string; overlapping: string[] }[] = [];
  repoChain.forEach((c, i) => {
    const seq = i + 1;
    if (seq <= base || seq > tip) return;
    const o = overlappingPaths([...new Set(repo.commits.get(c)!.paths)], q);
    if (o.length) out.push({ seq, commit: c, overlapping: o });
  });
  return out;
}

describe('LandedIndex over long histories', () => {
  it('matches brute force across pages, batches, rewrites, reopenings and a broken feed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 4500 }),
        fc.integer({ min: 2, max: 5 }),
        fc.nat(),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 })), { minLength: 5, maxLength: 10 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        async (n, fanout, resetAt, extra, failAt, queries, seed) => {
          repo = new FakeRepo();
          const gen = fc.sample(fc.array(pathsArb, { minLength: n + extra, maxLength: n + extra }), { seed, numRuns: 1 })[0];
          const first = repo.grow(null, gen.slice(0, n));
          const r = resetAt % (n + 1);
          const second = repo.grow(r ? first[r - 1] : null, gen.slice(n));
          const dir = mkdtempSync(join(tmpdir(), 'gs-landed-mem-'));
          try {
            await withIndexDb(dir, async (db) => {
              const idx = await LandedIndex.open(db, 'refs/heads/main', { fanout });
              expect(await idx.catchUp(first.at(-1)!, repo.history())).toEqual({ added: n });
            });
            const tip = second.at(-1) ?? first[r - 1] ?? first.at(-1)!;
            const chain = repo.chain(tip).reverse();
            await withIndexDb(dir, async (db) => {
              const idx = await LandedIndex.open(db, 'refs/heads/main', { fanout });
              // a feed that breaks partway leaves a consistent index that the next catchUp completes
              const broken = failAt % (second.length + 1);
              if (broken < second.length) await expect(idx.catchUp(tip, repo.history(broken))).rejects.toThrow('feed broke');
              const res = await idx.catchUp(tip, repo.history());
              expect(idx.count).toBe(chain.length);
              expect(res.added).toBeLessThanOrEqual(second.length);
            });
            await withIndexDb(dir, async (db) => {
              const idx = await LandedIndex.open(db, 'refs/heads/main', { fanout });
              expect(idx.count).toBe(chain.length);
              const st = await idx.stats();
              expect(st.levels[0].nodes).toBe(chain.length);
              for (const [x, y, q] of queries) {
                const t = 1 + (y % chain.length);
                const b = x % (t + 1);
                expect(await idx.query(b ? chain[b - 1] : null, chain[t - 1], q)).toEqual(brute(chain, b, t, q));
              }
            });
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);
});
