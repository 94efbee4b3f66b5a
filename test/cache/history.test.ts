// The git history feed: what each first-parent commit touched, streamed from `git log`.
import { execFileSync } from 'node:child_process';
import { symlinkSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstParentChain, firstParentChanges, isAncestor, isFirstParentAncestor, mergeBase, revParse } from '../../src/git/history.js';
import { bruteForce, tempRepo } from './fixture.js';

let dir = '';
let cleanup = () => {};
const sh = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const write = (p: string, c: string) => {
  mkdirSync(join(dir, p, '..'), { recursive: true });
  writeFileSync(join(dir, p), c);
};
const commit = (msg: string) => {
  sh('add', '-A');
  sh('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', msg);
  return sh('rev-parse', 'HEAD');
};
const oids: Record<string, string> = {};

beforeAll(() => {
  ({ dir, cleanup } = tempRepo());
  write('a/x.txt', '1');
  write('sp ace/ünï cødé.txt', '2');
  write('tab\there', '3');
  oids.root = commit('root');
  sh('mv', 'a/x.txt', 'a/y.txt');
  oids.rename = commit('rename\n\nSession-Id: 01ABC\nReviewed-by: someone');
  sh('checkout', '-q', '-b', 'side');
  write('s.txt', 'side');
  oids.side = commit('side');
  sh('checkout', '-q', 'main');
  write('m.txt', 'main');
  oids.main = commit('main');
  sh('-c', 'user.name=T', '-c', 'user.email=t@e', 'merge', '-q', '--no-ff', 'side', '-m', 'merge');
  oids.merge = sh('rev-parse', 'HEAD');
  oids.empty = commit('empty');
  symlinkSync('m.txt', join(dir, 'link'));
  oids.link = commit('link');
  unlinkSync(join(dir, 'link'));
  write('link', 'now a file');
  oids.typechange = commit('type change');
  sh('rm', '-q', 'a/y.txt');
  write('a', 'file where a directory was');
  oids.swap = commit('dir to file');
});

afterAll(() => cleanup());

describe('firstParentChanges', () => {
  it('streams every first-parent commit with its paths vs the first parent, oldest first', async () => {
    const got = [];
    for await (const c of firstParentChanges(dir, null, 'main')) got.push(c);
    expect(got.map((c) => c.commit)).toEqual([oids.root, oids.rename, oids.main, oids.merge, oids.empty, oids.link, oids.typechange, oids.swap]);
    expect(got[0]).toEqual({ commit: oids.root, parent: null, paths: ['a/x.txt', 'sp ace/ünï cødé.txt', 'tab\there'] });
    expect(got[1]).toEqual({ commit: oids.rename, parent: oids.root, paths: ['a/x.txt', 'a/y.txt'], sessionId: '01ABC' });
    expect(got[3]).toEqual({ commit: oids.merge, parent: oids.main, paths: ['s.txt'] }); // the merge, vs its first parent
    expect(got[4].paths).toEqual([]);
    expect(got[5].paths).toEqual(['link']);
    expect(got[6].paths).toEqual(['link']); // type change
    expect(got[7].paths.sort()).toEqual(['a', 'a/y.txt']);
    // matches `git diff --name-status` per commit
    const brute = bruteForce(dir, 'main');
    expect(got.map((c) => [...c.paths].sort())).toEqual(brute.map((b) => [...b.paths].sort()));
  });

  it('starts after a given commit', async () => {
    const got = [];
    for await (const c of firstParentChanges(dir, oids.merge, oids.typechange)) got.push(c.commit);
    expect(got).toEqual([oids.empty, oids.link, oids.typechange]);
  });

  it('reports an unknown revision as such', async () => {
    const run = async () => {
      for await (const _ of firstParentChanges(dir, null, 'no-such-branch')) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'unknown-ref' });
  });
});

describe('ancestry', () => {
  it('walks the first-parent chain newest first and can stop early', async () => {
    const chain: string[] = [];
    for await (const c of firstParentChain(dir, 'main')) {
      chain.push(c);
      if (chain.length === 3) break;
    }
    expect(chain).toEqual([oids.swap, oids.typechange, oids.link]);
  });

  it('tells first-parent ancestry apart from plain ancestry', async () => {
    expect(await isFirstParentAncestor(dir, oids.main, oids.swap)).toBe(true);
    expect(await isFirstParentAncestor(dir, oids.swap, oids.swap)).toBe(true);
    expect(await isFirstParentAncestor(dir, oids.root, oids.swap)).toBe(true);
    expect(await isAncestor(dir, oids.side, oids.swap)).toBe(true);
    expect(await isFirstParentAncestor(dir, oids.side, oids.swap)).toBe(false); // reached only through the merge
    expect(await isFirstParentAncestor(dir, oids.swap, oids.main)).toBe(false);
    expect(await mergeBase(dir, oids.side, oids.main)).toBe(oids.rename);
    expect(await revParse(dir, 'main')).toBe(oids.swap);
    await expect(revParse(dir, 'nope')).rejects.toMatchObject({ code: 'unknown-ref' });
  });
});
