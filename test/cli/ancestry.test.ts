// areAncestors answers "is A an ancestor of B" for many pairs with a few batched walks;
// it must agree with git's own answer on every pair, within its walk and past it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { areAncestors } from '../../src/git/ancestry.js';
import { git, makeRepo } from '../support/repo.js';

describe('areAncestors', () => {
  it('agrees with git merge-base --is-ancestor on every pair of a history with merges and two roots', async () => {
    const dir = makeRepo();
    const c = (msg: string, ...parents: string[]) => git(dir, 'commit-tree', git(dir, 'rev-parse', 'HEAD^{tree}'), '-m', msg, ...parents.flatMap((p) => ['-p', p]));
    const r1 = git(dir, 'rev-parse', 'HEAD');
    const a = c('a', r1);
    const b = c('b', a);
    const x = c('x', r1);
    const m = c('m', b, x);
    const r2 = c('other root');
    const y = c('y', r2);
    const n = c('n', m, y);
    const all = [r1, a, b, x, m, r2, y, n];
    const pairs = all.flatMap((p) => all.map((q) => [p, q] as [string, string]));
    const truth = pairs.map(([p, q]) => {
      try {
        execFileSync('git', ['merge-base', '--is-ancestor', p, q], { cwd: dir, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    expect(await areAncestors(dir, pairs)).toEqual(truth);
    expect(await areAncestors(dir, pairs, 1)).toEqual(truth); // most pairs left to git
    expect(truth.filter(Boolean).length).toBeGreaterThan(8);
    expect(truth.filter((t) => !t).length).toBeGreaterThan(8);
  });
});
