import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

describe('land', () => {
  it('lands disjoint sessions as one commit each with the goal and Session-Id trailer', async () => {
    const dir = makeRepo();
    const a = (await sessionWith(dir, 'Add a', { 'a.txt': 'a\n' })).id;
    const b = (await sessionWith(dir, 'Add b', { 'b/b.txt': 'b\n' })).id;
    await cli(dir, ['decide', 'plain files', '--because', 'simple', '--rejected', 'json: heavy', '--session', a]);
    const r1 = await cli(dir, ['land', a, '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.json()).toMatchObject({ landed: true, target: 'main', strategy: 'squash', conflicts: [] });
    const r2 = await cli(dir, ['land', b, '--json']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(git(dir, 'log', '--format=%s', 'main')).toBe('Add b\nAdd a\ninitial');
    expect(git(dir, 'log', '-1', '--format=%B', r1.json().commit)).toContain(`Session-Id: ${a}`);
    expect(git(dir, 'log', '-1', '--format=%B', r1.json().commit)).toContain('plain files (over json)');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'main').split('\n').sort()).toEqual(['README.md', 'a.txt', 'b/b.txt']);
    expect(git(dir, 'rev-list', '--count', '--merges', 'main')).toBe('0');
    const shown = (await cli(dir, ['show', a, '--json'])).json();
    expect(shown.session).toMatchObject({ state: 'landed', landed: { commit: r1.json().commit, strategy: 'squash' } });
    expect(shown.events.at(-1)).toMatchObject({ kind: 'land', commit: r1.json().commit, previousTip: git(dir, 'rev-parse', 'main~2') });
    // A landed session can't land again.
    expect((await cli(dir, ['land', a])).code).toBe(1);
  });

  it('refuses overlapping lines with exit 1, records a conflict, and moves nothing', async () => {
    const dir = makeRepo();
    writeFile(dir, 'f.txt', 'one\ntwo\nthree\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'f');
    const a = (await sessionWith(dir, 'A', { 'f.txt': 'ONE\ntwo\nthree\n' })).id;
    const b = (await sessionWith(dir, 'B', { 'f.txt': 'uno\ntwo\nthree\n' })).id;
    expect((await cli(dir, ['land', a])).code).toBe(0);
    const before = refsSnapshot(dir).split('\n').filter((l) => !l.includes(`${b}/meta`)).join('\n');
    const conflicts = await cli(dir, ['conflicts', b, '--json']);
    expect(conflicts.code).toBe(1);
    expect(conflicts.json().conflicts).toEqual([{ commit: git(dir, 'rev-parse', 'main'), sessionId: a, paths: ['f.txt'] }]);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['land', b]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: cannot land <id1:12> on main: conflict in f.txt
      ",
        "stdout": "",
      }
    `);
    expect(refsSnapshot(dir).split('\n').filter((l) => !l.includes(`${b}/meta`)).join('\n')).toBe(before);
    const ev = (await cli(dir, ['log', b, '--kind', 'conflict', '--json'])).json().events;
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: 'conflict', during: 'land', files: ['f.txt'], commits: [git(dir, 'rev-parse', 'main')] });
    expect((await cli(dir, ['show', b, '--json'])).json().session.state).toBe('open');
    const dry = await cli(dir, ['land', b, '--dry-run', '--json']);
    expect(dry.code).toBe(1);
    expect(dry.json().conflicts).toEqual(['f.txt']);
  });

  it('merges different lines of one file cleanly', async () => {
    const dir = makeRepo();
    writeFile(dir, 'f.txt', 'one\ntwo\nthree\nfour\nfive\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'f');
    const a = (await sessionWith(dir, 'A', { 'f.txt': 'ONE\ntwo\nthree\nfour\nfive\n' })).id;
    const b = (await sessionWith(dir, 'B', { 'f.txt': 'one\ntwo\nthree\nfour\nFIVE\n' })).id;
    expect((await cli(dir, ['land', a])).code).toBe(0);
    const r = await cli(dir, ['land', b, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().overlapping.map((o: any) => o.paths)).toEqual([['f.txt']]);
    expect(git(dir, 'show', 'main:f.txt')).toBe('ONE\ntwo\nthree\nfour\nFIVE');
  });

  it('catches a file vs directory clash', async () => {
    const dir = makeRepo();
    const a = (await sessionWith(dir, 'dir', { 'x/y.txt': 'y\n' })).id;
    const b = (await sessionWith(dir, 'file', { x: 'i am a file\n' })).id;
    expect((await cli(dir, ['land', a])).code).toBe(0);
    const c = await cli(dir, ['conflicts', b, '--json']);
    expect(c.code).toBe(1);
    expect(c.json().conflicts[0].paths).toEqual(['x/y.txt']);
    const r = await cli(dir, ['land', b, '--json']);
    expect(r.code).toBe(1);
    expect(r.json().conflicts).toContain('x');
  });

  it('counts plain commits pushed to the target after the session started', async () => {
    const dir = makeRepo();
    const a = (await sessionWith(dir, 'edit readme', { 'README.md': '# mine\n' })).id;
    writeFile(dir, 'README.md', '# theirs\n');
    git(dir, 'commit', '-q', '-am', 'plain commit');
    const plain = git(dir, 'rev-parse', 'HEAD');
    const c = await cli(dir, ['conflicts', a, '--json']);
    expect(c.code).toBe(1);
    expect(c.json().conflicts).toEqual([{ commit: plain, sessionId: null, paths: ['README.md'] }]);
    expect((await cli(dir, ['land', a])).code).toBe(1);
  });

  it('--strategy merge keeps the work commits under a merge commit', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'two steps', '--json'])).json().id;
    writeFile(dir, 'a.txt', '1\n');
    await cli(dir, ['snapshot', '-m', 'step one']);
    writeFile(dir, 'a.txt', '2\n');
    await cli(dir, ['snapshot', '-m', 'step two']);
    const r = await cli(dir, ['land', id, '--strategy', 'merge', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = r.json().commit;
    expect(git(dir, 'rev-list', '--parents', '-1', m).split(' ')).toHaveLength(3);
    expect(git(dir, 'log', '--format=%s', `${m}^2`, '-2')).toBe('step two\nstep one');
    expect(git(dir, 'show', 'main:a.txt')).toBe('2');
  });

  it('brings a clean checkout of the target forward and makes the session worktree clean', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'in place', '--json'])).json().id;
    writeFile(dir, 'new.txt', 'new\n');
    writeFile(dir, 'README.md', '# edited\n');
    const r = await cli(dir, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().worktrees).toEqual([expect.objectContaining({ path: dir, updated: true, reason: expect.stringContaining('now clean') })]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('in place');
    expect((await cli(dir, ['status', '--json'])).json().current).toBeNull();
    expect((await cli(dir, ['show', id, '--json'])).json().session.state).toBe('landed');
  });

  it('sync rebases the work onto the new tip and keeps the old work reachable', async () => {
    const dir = makeRepo();
    const a = (await sessionWith(dir, 'A', { 'a.txt': 'a\n' })).id;
    const b = (await cli(dir, ['start', 'B', '--json'])).json().id;
    writeFile(dir, 'b.txt', 'b\n');
    await cli(dir, ['snapshot']);
    const oldWork = git(dir, 'rev-parse', `refs/sessions/${b}/work`);
    expect((await cli(dir, ['land', a])).code).toBe(0);
    const r = await cli(dir, ['sync', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ changed: true, to: git(dir, 'rev-parse', 'main'), worktreeUpdated: true });
    const work = git(dir, 'rev-parse', `refs/sessions/${b}/work`);
    expect(git(dir, 'rev-parse', `${work}^1`)).toBe(git(dir, 'rev-parse', 'main'));
    expect(git(dir, 'rev-parse', `${work}^2`)).toBe(oldWork);
    expect((await cli(dir, ['show', b, '--json'])).json().session.base).toBe(git(dir, 'rev-parse', 'main'));
    // The worktree now shows only B's change relative to the new tip.
    expect(git(dir, 'status', '--porcelain')).toBe('?? b.txt');
    expect((await cli(dir, ['conflicts', b])).code).toBe(0);
    expect((await cli(dir, ['land', b])).code).toBe(0);
    expect(git(dir, 'ls-tree', '--name-only', 'main').split('\n').sort()).toEqual(['README.md', 'a.txt', 'b.txt']);
  });

  it('index stats and rebuild report the tree', async () => {
    const dir = makeRepo();
    for (let i = 0; i < 5; i++) {
      writeFile(dir, `d${i}/f.txt`, `${i}\n`);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', `c${i}`);
    }
    const st = await cli(dir, ['index', 'stats', '--json']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json().stats).toMatchObject({ target: 'refs/heads/main', tip: git(dir, 'rev-parse', 'main'), changes: 6 });
    const rb = await cli(dir, ['index', 'rebuild', '--json']);
    expect(rb.json()).toMatchObject({ action: 'rebuild', indexed: 6 });
    // The measured false-positive rate samples random paths: shown as a label.
    const scrub = new Scrub({ repo: dir }).rule(/\b\d+(\.\d+)? ?(B|KiB|MiB|kB|MB|bytes)\b/g, '<size>').rule(/^( +\d+ +\d+ +\d+ +[\d.]+ +)[\d.]+$/gm, '$1<fp>');
    expect(scrub.run(await cli(dir, ['index', 'stats']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "target main at <oid1>: 6 changes, 6 nodes, <size> (fanout 16, design fp rate 0.01)
      level  nodes      bytes   fill  measured-fp
          0      6         92  0.219  <fp>
      ",
      }
    `);
  });
});
