// The persisted index against brute force over real git repositories: random histories
// (adds, edits, deletes, renames, file/directory swaps, merges), built and caught up in
// steps across reopenings, then rewritten (reset + new commits) and caught up again.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitHistory } from '../../src/git/history.js';
import { withIndexDb } from '../../src/cache/db.js';
import { LandedIndex, type ConflictHit } from '../../src/cache/landed.js';
import { bruteForce, buildCommits, commitArb, expectedHits, git, POOL, tempRepo, type CommitSpec, type Expected } from './fixture.js';

const TARGET = 'refs/heads/main';
const queryPathArb = fc.oneof(fc.constantFrom(...POOL), fc.constantFrom('zz', 'a/zz', 'c/b/a/deep', './a/', 'b/'));
const queryArb = fc.record({
  b: fc.nat(),
  t: fc.nat(),
  paths: fc.array(queryPathArb, { minLength: 1, maxLength: 4 }),
  limit: fc.constantFrom(1, 2, Infinity),
  ordered: fc.boolean(),
});
type Q = { b: number; t: number; paths: string[]; limit: number; ordered?: boolean };

function expected(truth: Expected[], sessions: (string | undefined)[], base: number, tip: number, paths: string[]): ConflictHit[] {
  const norm = paths.map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
  return expectedHits(truth, base, tip, norm).map((h) => (sessions[h.seq - 1] ? { ...h, sessionId: sessions[h.seq - 1] } : h));
}

async function checkQueries(idx: LandedIndex, truth: Expected[], sessions: (string | undefined)[], queries: Q[]): Promise<void> {
  const n = truth.length;
  for (const q of queries) {
    const t = 1 + (q.t % n);
    const b = q.b % (t + 1);
    const want = expected(truth, sessions, b, t, q.paths);
    const got = await idx.query(b ? truth[b - 1].commit : null, truth[t - 1].commit, q.paths, { limit: q.limit, ordered: q.ordered });
    if (q.ordered === false && q.limit !== Infinity) {
      expect(got.length).toBe(Math.min(q.limit, want.length)); // any `limit` true hits
      for (const h of got) expect(want).toContainEqual(h);
    } else {
      expect(got).toEqual(q.limit === Infinity ? want : want.slice(0, q.limit));
    }
  }
}

async function checkChanges(idx: LandedIndex, truth: Expected[], sessions: (string | undefined)[]): Promise<void> {
  const got = await idx.changes();
  expect(got.map((c) => ({ seq: c.seq, commit: c.commit, paths: [...c.paths].sort(), sessionId: c.sessionId }))).toEqual(
    truth.map((e, i) => ({ seq: e.seq, commit: e.commit, paths: [...e.paths].sort(), sessionId: sessions[i] })),
  );
}

/** Seq of the newest commit of `chain[0..t)` that is an ancestor of `base` (0: none), asking git one commit at a time. */
function substitute(dir: string, chain: Expected[], t: number, base: string): number {
  for (let s = t; s >= 1; s--) {
    try {
      git(dir, ['merge-base', '--is-ancestor', chain[s - 1].commit, base]);
      return s;
    } catch {
      /* not an ancestor */
    }
  }
  return 0;
}

describe('LandedIndex on real git histories', () => {
  it('answers (base, tip] ∩ paths like brute force, caught up in two steps across reopenings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commitArb, { minLength: 20, maxLength: 50 }),
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(0.01, 0.3),
        fc.nat(),
        fc.array(queryArb, { minLength: 10, maxLength: 20 }),
        async (commits: CommitSpec[], fanout, fpRate, split, queries) => {
          const { dir, cleanup } = tempRepo();
          try {
            const { oids } = buildCommits(dir, null, new Map(), commits);
            const truth = bruteForce(dir, 'main');
            expect(truth.map((e) => e.commit)).toEqual(oids);
            const sessions = commits.map((c) => c.session);
            const h = gitHistory(dir);
            const k = 1 + (split % oids.length);
            const common = join(dir, '.git');
            await withIndexDb(common, async (db) => {
              const idx = await LandedIndex.open(db, TARGET, { fanout, fpRate });
              expect(await idx.catchUp(oids[k - 1], h)).toEqual({ added: k });
              expect(await idx.catchUp(oids[k - 1], h)).toEqual({ added: 0 });
            });
            await withIndexDb(common, async (db) => {
              const idx = await LandedIndex.open(db, TARGET, { fanout, fpRate });
              expect(await idx.catchUp(oids.at(-1)!, h)).toEqual({ added: oids.length - k });
              expect(await idx.positionOf(oids[0])).toBe(1);
              expect(await idx.positionOf(oids.at(-1)!)).toBe(oids.length);
              await checkChanges(idx, truth, sessions);
            });
            await withIndexDb(common, async (db) => {
              const idx = await LandedIndex.open(db, TARGET, { fanout, fpRate }); // filters read back from LevelDB
              await checkQueries(idx, truth, sessions, queries);
              const st = await idx.stats();
              expect(st.changes).toBe(oids.length);
              expect(st.levels[0].nodes).toBe(oids.length);
              expect(st.levels.reduce((s, l) => s + l.nodes, 0)).toBe(st.nodes);
            });
          } finally {
            cleanup();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 300_000);

  it('after a history rewrite rebuilds from the divergence point and still matches brute force', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commitArb, { minLength: 20, maxLength: 40 }),
        fc.array(commitArb, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 2, max: 4 }),
        fc.array(queryArb, { minLength: 8, maxLength: 15 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 2, maxLength: 4 }),
        async (first, second, resetAt, fanout, queries, offChainQueries) => {
          const { dir, cleanup } = tempRepo();
          try {
            const one = buildCommits(dir, null, new Map(), first);
            const h = gitHistory(dir);
            const common = join(dir, '.git');
            const r = resetAt % (first.length + 1); // 0: an unrelated new root
            const two = buildCommits(dir, r ? one.oids[r - 1] : null, r ? one.trees[r - 1] : new Map(), second);
            const tip = two.oids.at(-1)!;
            const truth = bruteForce(dir, tip);
            const sessions = [...first.slice(0, r), ...second].map((c) => c.session);
            await withIndexDb(common, async (db) => {
              const idx = await LandedIndex.open(db, TARGET, { fanout });
              expect(await idx.catchUp(one.oids.at(-1)!, h)).toEqual({ added: first.length });
            });
            await withIndexDb(common, async (db) => {
              const idx = await LandedIndex.open(db, TARGET, { fanout });
              const res = await idx.catchUp(tip, h);
              expect(res).toEqual(r < first.length ? { added: second.length, rebuiltFrom: r + 1 } : { added: second.length });
              await checkChanges(idx, truth, sessions);
              for (const old of one.oids.slice(r)) expect(await idx.positionOf(old)).toBeUndefined();
              await checkQueries(idx, truth, sessions, queries);
              // bases that are not on the sequence: orphaned old commits, side-branch commits
              const onChain = new Set(truth.map((e) => e.commit));
              const off = git(dir, ['rev-list', '--all', ...one.oids]).trim().split('\n').filter((c) => c && !onChain.has(c));
              if (!off.length) return;
              for (const [x, y] of offChainQueries) {
                const base = off[x % off.length];
                const t = 1 + (y % truth.length);
                const s = substitute(dir, truth, t, base);
                const got = await idx.conflicts(base, truth[t - 1].commit, ['a', 'b', 'c'], { ancestry: h });
                expect({ pos: got.basePosition, base: got.base, subst: got.baseSubstituted }).toEqual({ pos: s, base: s ? truth[s - 1].commit : null, subst: true });
                expect(got.hits).toEqual(expected(truth, sessions, s, t, ['a', 'b', 'c']));
              }
              await expect(idx.query(off[0], tip, ['a'])).rejects.toMatchObject({ code: 'unknown-ref' });
            });
          } finally {
            cleanup();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);

  it('rebuilds when reopened with another shape, refuses bad input, clears', async () => {
    const { dir, cleanup } = tempRepo();
    try {
      const commits: CommitSpec[] = Array.from({ length: 30 }, (_, i) => ({ ops: [{ t: 'w', p: i % POOL.length }], session: i % 3 ? undefined : 'S-1' }));
      const { oids } = buildCommits(dir, null, new Map(), commits);
      const truth = bruteForce(dir, 'main');
      const h = gitHistory(dir);
      const common = join(dir, '.git');
      await withIndexDb(common, async (db) => {
        const idx = await LandedIndex.open(db, TARGET, { fanout: 2 });
        await idx.catchUp(oids.at(-1)!, h);
        const other = await LandedIndex.open(db, 'refs/heads/other', { fanout: 2 });
        expect(other.count).toBe(0); // targets do not share data
      });
      await withIndexDb(common, async (db) => {
        const idx = await LandedIndex.open(db, TARGET, { fanout: 3 });
        await expect(idx.query(null, oids.at(-1)!, ['a'])).rejects.toMatchObject({ code: 'damaged' });
        expect(await idx.catchUp(oids.at(-1)!, h)).toEqual({ added: 30 });
        const sessions = commits.map((c) => c.session);
        await checkQueries(idx, truth, sessions, [{ b: 0, t: 29, paths: ['a', 'b/c'], limit: Infinity }]);
        // the same answers through the asynchronous reads used where a backend lacks getSync
        (idx as unknown as { store: { sync: boolean } }).store.sync = false;
        await checkQueries(idx, truth, sessions, [
          { b: 3, t: 29, paths: ['a', 'c/a/b'], limit: Infinity },
          { b: 0, t: 20, paths: ['b'], limit: 2 },
        ]);
        expect(await idx.positionOf(oids[4])).toBe(5);
        await expect(idx.query(null, oids.at(-1)!, ['../etc/passwd'])).rejects.toMatchObject({ code: 'bad-name' });
        await expect(idx.query(null, '0'.repeat(40), ['a'])).rejects.toMatchObject({ code: 'unknown-ref' });
        const st = await idx.stats();
        expect(st.fanout).toBe(3);
        expect(st.levels.map((l) => l.nodes)).toEqual([30, 10, 3, 1]);
        await idx.clear();
        expect(idx.count).toBe(0);
        expect(await idx.positionOf(oids[0])).toBeUndefined();
        expect(await idx.rebuild(oids.at(-1)!, h)).toEqual({ added: 30 });
      });
    } finally {
      cleanup();
    }
  }, 60_000);
});
