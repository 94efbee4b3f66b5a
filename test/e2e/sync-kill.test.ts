// Issue 20: kill -9 at any git call of a sync that conflicts leaves either the old or the
// new state, and the next command finishes bringing the worktree along.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, makeRepo, spawnBin, writeFile } from '../support/repo.js';
import { GitKiller } from '../support/killer.js';
import { sessionWith } from '../support/sessions.js';

const killer = new GitKiller();
afterAll(() => killer.dispose());

async function setup() {
  const dir = makeRepo();
  writeFile(dir, 'f.txt', 'one\ntwo\nthree\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'f');
  const a = await sessionWith(dir, 'A', { 'f.txt': 'ONE\ntwo\nthree\n' });
  const b = await sessionWith(dir, 'B', { 'f.txt': 'uno\ntwo\nthree\n', 'b.txt': 'b\n' });
  expect((await cli(dir, ['land', a.id])).code).toBe(0);
  const before = (await cli(dir, ['show', b.id, '--json'])).json().session;
  return { dir, b, before };
}

describe('sync killed at its git calls', () => {
  it('leaves the old or the new state; the next sync finishes the worktree', async () => {
    const probe = await setup();
    const calls = (await killer.run(probe.b.wt, ['sync'])).calls.length;
    expect(calls).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: calls }), fc.constantFrom('before' as const, 'after' as const), async (at, when) => {
        const { dir, b, before } = await setup();
        await killer.run(b.wt, ['sync'], at, when);
        const s = (await cli(dir, ['show', b.id, '--json'])).json().session;
        if (s.state === 'open') expect(s).toMatchObject({ base: before.base, work: before.work });
        else {
          expect(s).toMatchObject({ state: 'conflicted', base: git(dir, 'rev-parse', 'main') });
          expect(git(dir, 'rev-parse', `${s.work}^2`)).toBe(before.work);
        }
        const again = await spawnBin(b.wt, ['sync']);
        expect(again.code, again.stderr).toBe(1);
        expect(git(b.wt, 'show', ':1:f.txt')).toBe('one\ntwo\nthree');
        expect(git(b.wt, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'main'));
        expect(readFileSync(join(b.wt, 'b.txt'), 'utf8')).toBe('b\n');
        writeFile(b.wt, 'f.txt', 'Uno\ntwo\nthree\n');
        expect((await cli(b.wt, ['resolve'])).code).toBe(0);
        expect((await cli(b.wt, ['land'])).code).toBe(0);
        expect(git(dir, 'show', 'main:f.txt')).toBe('Uno\ntwo\nthree');
        expect(git(dir, 'show', 'main:b.txt')).toBe('b');
      }),
      { numRuns: Number(process.env.GS_PROPERTY_RUNS ?? 10), endOnFailure: true },
    );
  }, 600_000);
});
