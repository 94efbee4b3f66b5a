// Issue 8: landing and snapshots never lose work (each case failed before its fix).
import { chmodSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

/** The paths and contents of a commit's tree. */
function files(dir: string, rev: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of git(dir, 'ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean)) out[p] = git(dir, 'show', `${rev}:${p}`);
  return out;
}

describe('the base is the commit the checkout reflects (8.1)', () => {
  it('a session started on another branch with --onto lands its change without reverting the target', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'feat');
    git(dir, 'checkout', '-q', 'main');
    writeFile(dir, 'm', 'x\n');
    git(dir, 'add', 'm');
    git(dir, 'commit', '-q', '-m', 'main moves on');
    git(dir, 'checkout', '-q', 'feat');
    const start = await cli(dir, ['start', 'small fix', '--onto', 'main', '--json']);
    expect(start.json().session.base).toBe(git(dir, 'rev-parse', 'feat'));
    writeFile(dir, 'f', 'fix\n');
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(files(dir, 'main')).toEqual({ 'README.md': '# test', m: 'x', f: 'fix' });
    expect(git(dir, 'rev-parse', 'main^')).toBe(r.json().previousTip);
    // The checkout is on feat, not main: never moved, and it says so.
    expect(r.json().worktrees[0]).toMatchObject({ path: dir, updated: false, reason: expect.stringContaining('is on feat, not main') });
    expect(git(dir, 'status', '--porcelain')).toBe('?? f');
  });

  it('a session started from a detached HEAD behind the target keeps everything the target gained', async () => {
    const dir = makeRepo();
    const old = git(dir, 'rev-parse', 'HEAD');
    writeFile(dir, 'later.txt', 'later\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'later');
    git(dir, 'checkout', '-q', '--detach', old);
    expect((await cli(dir, ['start', 'from the past', '--onto', 'main'])).code).toBe(0);
    writeFile(dir, 'README.md', '# edited\n');
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(files(dir, 'main')).toEqual({ 'README.md': '# edited', 'later.txt': 'later' });
  });
});

describe('after land the checkout is clean at the new tip (8.2)', () => {
  const cases: [string, (dir: string) => void][] = [
    ['add-only', (d) => writeFile(d, 'b.py', 'b\n')],
    ['delete-only', (d) => rmSync(join(d, 'README.md'))],
    ['delete-only, staged', (d) => git(d, 'rm', '-q', 'README.md')],
    ['rename', (d) => renameSync(join(d, 'README.md'), join(d, 'READ.md'))],
    ['rename, staged', (d) => git(d, 'mv', 'README.md', 'docs.md')],
    ['mode change', (d) => chmodSync(join(d, 'README.md'), 0o755)],
    ['file replaced by a directory', (d) => {
      rmSync(join(d, 'README.md'));
      writeFile(d, 'README.md/index.md', 'now a dir\n');
    }],
    ['partly staged edits', (d) => {
      writeFile(d, 'README.md', '# staged\n');
      git(d, 'add', 'README.md');
      writeFile(d, 'new.txt', 'new\n');
    }],
  ];
  for (const [name, change] of cases) {
    it(name, async () => {
      const dir = makeRepo();
      expect((await cli(dir, ['start', name])).code).toBe(0);
      change(dir);
      const want = git(dir, 'rev-parse', 'HEAD');
      const r = await cli(dir, ['land', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().previousTip).toBe(want);
      expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(r.json().commit);
      // The next plain commit changes nothing that was landed.
      writeFile(dir, 'after.txt', 'after\n');
      git(dir, 'add', 'after.txt');
      git(dir, 'commit', '-q', '-m', 'after');
      expect(git(dir, 'diff', '--name-only', 'HEAD^', 'HEAD')).toBe('after.txt');
    });
  }

  it('a --worktree session checkout moves to the landed commit', async () => {
    const dir = makeRepo();
    const { id, wt } = await sessionWith(dir, 'own worktree', { 'x.txt': 'x\n' });
    writeFile(wt, 'y.txt', 'y\n');
    const r = await cli(dir, ['land', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(r.json().commit);
    expect(git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});

describe('queries record nothing; the dry run tells the truth (8.4)', () => {
  it('conflicts and land --dry-run move no ref and append no event, and answer for the checkout as it is', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'dry', '--json'])).json().id;
    writeFile(dir, 'a.txt', 'a\n');
    await cli(dir, ['snapshot']);
    writeFile(dir, 'b.txt', 'b\n'); // not snapshotted
    const refs = refsSnapshot(dir);
    const c = await cli(dir, ['conflicts', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json().paths).toBe(2);
    const dry = await cli(dir, ['land', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(refsSnapshot(dir)).toBe(refs);
    expect((await cli(dir, ['show', id, '--json'])).json().session.events).toBe(2);
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'rev-parse', `${r.json().commit}^{tree}`)).toBe(dry.json().tree);
  });

  it('predicts the same conflicts land then meets', async () => {
    const dir = makeRepo();
    const a = await sessionWith(dir, 'A', { 'README.md': '# A\n' });
    const b = await sessionWith(dir, 'B', { 'other.txt': 'o\n' });
    expect((await cli(dir, ['land', a.id])).code).toBe(0);
    writeFile(b.wt, 'README.md', '# B\n'); // only on disk
    const dry = await cli(b.wt, ['land', '--dry-run', '--json']);
    expect(dry.code).toBe(1);
    expect(dry.json().conflicts).toEqual(['README.md']);
    const r = await cli(b.wt, ['land', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().conflicts).toEqual(dry.json().conflicts);
  });
});

describe('a plain commit from the session\'s own checkout is part of its view (8.5)', () => {
  it('is not a conflict with itself, and the landing keeps both', async () => {
    const dir = makeRepo();
    writeFile(dir, 'f.txt', 'one\ntwo\nthree\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'f');
    const id = (await cli(dir, ['start', 'edit f', '--json'])).json().id;
    writeFile(dir, 'f.txt', 'ONE\ntwo\nthree\n');
    await cli(dir, ['snapshot']);
    git(dir, 'commit', '-q', '-am', 'plain commit of line one');
    const plain = git(dir, 'rev-parse', 'HEAD');
    writeFile(dir, 'f.txt', 'ONE\nTWO\nthree\n'); // the next line: would conflict with the commit
    const c = await cli(dir, ['conflicts', '--json']);
    expect(c.code, c.stdout).toBe(0);
    expect(c.json()).toMatchObject({ base: plain, conflicts: [] });
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'show', 'main:f.txt')).toBe('ONE\nTWO\nthree');
    expect(git(dir, 'rev-parse', 'main^')).toBe(plain);
    expect((await cli(dir, ['show', id, '--json'])).json().session.base).toBe(plain);
  });

  it('a plain commit from the checkout, then a landing moving the branch under it: the base is the plain commit', async () => {
    const dir = makeRepo();
    writeFile(dir, 'f.txt', 'one\ntwo\nthree\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'f');
    const id = (await cli(dir, ['start', 'edit f', '--json'])).json().id;
    writeFile(dir, 'f.txt', 'ONE\ntwo\nthree\n');
    git(dir, 'commit', '-q', '-am', 'plain commit of line one');
    const plain = git(dir, 'rev-parse', 'HEAD');
    const other = await sessionWith(dir, 'other', { 'o.txt': 'o\n' });
    expect((await cli(dir, ['land', other.id])).code).toBe(0);
    writeFile(dir, 'f.txt', 'ONE\nTWO\nthree\n');
    const c = await cli(dir, ['conflicts', '--json']);
    expect(c.code, c.stdout).toBe(0);
    expect(c.json().base).toBe(plain);
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(files(dir, 'main')).toEqual({ 'README.md': '# test', 'f.txt': 'ONE\nTWO\nthree', 'o.txt': 'o' });
    expect((await cli(dir, ['show', id, '--json'])).json().session.base).toBe(plain);
  });

  it('a branch moved under the checkout by another landing does not move the base', async () => {
    const dir = makeRepo();
    const base = git(dir, 'rev-parse', 'HEAD');
    const id = (await cli(dir, ['start', 'in place', '--json'])).json().id;
    writeFile(dir, 'mine.txt', 'mine\n');
    const other = await sessionWith(dir, 'other', { 'README.md': '# other\n' });
    expect((await cli(dir, ['land', other.id])).code).toBe(0);
    const s = await cli(dir, ['snapshot', '--json']);
    expect(s.code, s.stderr).toBe(0);
    expect((await cli(dir, ['show', id, '--json'])).json().session.base).toBe(base);
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(files(dir, 'main')).toEqual({ 'README.md': '# other', 'mine.txt': 'mine' });
  });
});

describe('never an empty commit (8.6)', () => {
  it('an imported range already on the target is marked landed with its commit', async () => {
    const dir = makeRepo();
    const fork = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'feat');
    writeFile(dir, 'feat.txt', 'feat\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'feat');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--ff-only', 'feat');
    const imp = await cli(dir, ['import', `${fork}..feat`, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const id = imp.json().session.id;
    const tip = git(dir, 'rev-parse', 'main');
    const r = await cli(dir, ['land', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ landed: true, alreadyOnTarget: true, commit: git(dir, 'rev-parse', 'feat') });
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
    expect((await cli(dir, ['show', id, '--json'])).json().session.state).toBe('landed');
  });

  it('work whose changes are on the target but not its commits: exit 1, no commit', async () => {
    const dir = makeRepo();
    const { id } = await sessionWith(dir, 'same change', { 'README.md': '# same\n' });
    writeFile(dir, 'README.md', '# same\n');
    git(dir, 'commit', '-q', '-am', 'someone made the same change');
    const tip = git(dir, 'rev-parse', 'main');
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['land', id]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: nothing to land: every change of <id1:12> is already on main, and no commit of its work is (no empty commit made); git session abandon <id1:12> closes it
      ",
        "stdout": "",
      }
    `);
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
    expect((await cli(dir, ['show', id, '--json'])).json().session.state).toBe('open');
  });
});

describe('start is all or nothing (8.7)', () => {
  it('a post-checkout hook that fails leaves no session and no worktree', async () => {
    const dir = makeRepo();
    writeFile(dir, '.git/hooks/post-checkout', '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, '.git/hooks/post-checkout'), 0o755);
    const before = refsSnapshot(dir);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['start', 'doomed', '--worktree', '']))).toMatchInlineSnapshot(`
      {
        "code": 3,
        "stderr": "git-session: git worktree add failed (exit 1): no session was started
      ",
        "stdout": "",
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
    expect(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    const wts = join(dir, '.git/session/worktrees');
    expect(existsSync(wts) ? readdirSync(wts) : []).toEqual([]);
  });
});

describe('a conflict event is a bounded summary (8.8)', () => {
  it('stores a few of many overlapping commits, their count and the range', async () => {
    const dir = makeRepo();
    const { id } = await sessionWith(dir, 'mine', { 'README.md': '# mine\n' });
    const base = git(dir, 'rev-parse', 'main');
    for (let i = 0; i < 30; i++) {
      writeFile(dir, 'README.md', `# theirs ${i}\n`);
      git(dir, 'commit', '-q', '-am', `plain ${i}`);
    }
    expect((await cli(dir, ['land', id])).code).toBe(1);
    const [ev] = (await cli(dir, ['log', id, '--kind', 'conflict', '--json'])).json().events;
    expect(ev.count).toBe(30);
    expect(ev.commits.length).toBeLessThanOrEqual(10);
    expect(ev.range).toEqual({ from: base, to: git(dir, 'rev-parse', 'main') });
    expect(JSON.stringify(ev).length).toBeLessThan(2000);
  });
});

describe('check (8.9)', () => {
  it('an empty command is bad input and records nothing', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'checks', '--json'])).json().id;
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['check', '--', '']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: check needs a command after --, e.g. git session check -- npm test
      ",
        "stdout": "",
      }
    `);
    expect((await cli(dir, ['show', id, '--json'])).json().session.counts.check).toBeUndefined();
  });
});
