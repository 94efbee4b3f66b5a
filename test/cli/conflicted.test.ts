// Issue 20: conflicts are a state, not a dead end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

const BASE_TEXT = 'one\ntwo\nthree\nfour\nfive\n';

/** A repo where session A (landed, with a decision) and session B (in its own worktree) changed the same line. */
async function twoSessions() {
  const dir = makeRepo();
  writeFile(dir, 'f.txt', BASE_TEXT);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'f');
  const a = await sessionWith(dir, 'Shout the first line', { 'f.txt': 'ONE\ntwo\nthree\nfour\nfive\n' });
  expect((await cli(dir, ['decide', 'upper case', '--because', 'the first line is a title', '--rejected', 'title case: too subtle', '--session', a.id])).code).toBe(0);
  const b = await sessionWith(dir, 'Translate the first line', { 'f.txt': 'uno\ntwo\nthree\nfour\nfive\n', 'g.txt': 'mine\n' });
  expect((await cli(dir, ['decide', 'spanish', '--because', 'the audience reads spanish', '--session', b.id])).code).toBe(0);
  expect((await cli(dir, ['land', a.id])).code).toBe(0);
  return { dir, a, b };
}

const read = (top: string, p: string) => readFileSync(join(top, p), 'utf8');

describe('a sync over overlapping changes leaves the session conflicted', () => {
  it('markers with the base, both sides\' reasoning, land refused, resolved by editing, then lands', async () => {
    const { dir, a, b } = await twoSessions();
    const preSync = git(dir, 'rev-parse', `refs/sessions/${b.id}/work`);
    const s = await cli(b.wt, ['sync', '--json']);
    expect(s.code, s.stderr).toBe(1);
    expect(s.json()).toMatchObject({ conflicted: true, conflicts: ['f.txt'] });
    const text = read(b.wt, 'f.txt');
    expect(text).toBe(`<<<<<<< session ${b.id.slice(0, 12)}\nuno\n||||||| base ${s.json().from.slice(0, 12)}\none\n=======\nONE\n>>>>>>> main ${s.json().to.slice(0, 12)}\ntwo\nthree\nfour\nfive\n`);
    expect(git(b.wt, 'ls-files', '-u').split('\n').map((l) => l.split(/\s+/)[2])).toEqual(['1', '2', '3']);
    // The pre-sync work stays reachable.
    expect(git(dir, 'rev-parse', `refs/sessions/${b.id}/work^2`)).toBe(preSync);

    const st = await cli(b.wt, ['status', '--json']);
    expect(st.json().current.state).toBe('conflicted');
    const [p] = st.json().conflicted.paths;
    expect(p).toMatchObject({
      path: 'f.txt',
      markers: [{ start: 1, end: 7, ours: [2, 2], base: [4, 4], theirs: [6, 6] }],
      theirs: [{ commit: git(dir, 'rev-parse', 'main'), subject: 'Shout the first line', session: { id: a.id, goal: 'Shout the first line', decisions: [{ chosen: 'upper case', rationale: 'the first line is a title', rejected: [{ option: 'title case', reason: 'too subtle' }] }] } }],
      ours: { session: b.id, goal: 'Translate the first line', decisions: [{ chosen: 'spanish' }] },
    });
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(b.wt, ['status']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "current session <id1:12> (conflicted): Translate the first line
        target main, base <oid1:12>, work <oid2:12>
        4 events, 2 files changed
        conflicted in 1 path (sync from <oid3:12> onto <oid1:12>), markers in <repo>/.git/session/worktrees/<id1:12>:
          f.txt  lines 1-7
            theirs: <oid1:12> session <id2:12> "Shout the first line"
              ✔ upper case — the first line is a title
                ✘ title case: too subtle
            ours:   session <id1:12> "Translate the first line"
              ✔ spanish — the audience reads spanish
        edit the files, then \`git session resolve\` (or \`resolve --take ours|theirs <path>\`); \`git session sync --abort\` goes back

      1 open session
      * <id1:12>  conflicted   2s      4 ev    2 files  Translate the first line
      ",
      }
    `);
    expect((await cli(dir, ['show', b.id, '--json'])).json().conflicted.paths[0].path).toBe('f.txt');
    const c = await cli(b.wt, ['conflicts', '--json']);
    expect(c.code).toBe(1);
    expect(c.json().conflicted.paths[0].theirs[0].session.goal).toBe('Shout the first line');

    expect(scrub.run(await cli(b.wt, ['land']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: session <id1:12> is conflicted in f.txt: edit them, then git session resolve (or git session sync --abort)
      ",
        "stdout": "",
      }
    `);
    // A snapshot with markers still there keeps it conflicted.
    expect((await cli(b.wt, ['snapshot'])).code).toBe(0);
    const events = (await cli(dir, ['show', b.id, '--json'])).json().session.events;
    const refused = await cli(b.wt, ['resolve', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json().marked).toEqual(['f.txt:1']);
    expect((await cli(dir, ['show', b.id, '--json'])).json().session.events).toBe(events);

    writeFile(b.wt, 'f.txt', 'Uno\ntwo\nthree\nfour\nfive\n');
    const r = await cli(b.wt, ['resolve', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ resolved: [{ path: 'f.txt', how: 'edited' }], remaining: [] });
    expect(git(b.wt, 'ls-files', '-u')).toBe('');
    expect((await cli(dir, ['show', b.id, '--json'])).json().session.state).toBe('open');
    const landed = await cli(b.wt, ['land', '--json']);
    expect(landed.code, landed.stderr).toBe(0);
    expect(git(dir, 'show', 'main:f.txt')).toBe('Uno\ntwo\nthree\nfour\nfive');
    expect(git(dir, 'show', 'main:g.txt')).toBe('mine');
  });

  it('undo steps back through land, resolution and sync; the same conflict met again reuses the resolution', async () => {
    const { dir, b } = await twoSessions();
    const oldBase = (await cli(dir, ['show', b.id, '--json'])).json().session.base;
    const preSync = git(dir, 'rev-parse', `refs/sessions/${b.id}/work`);
    expect((await cli(b.wt, ['sync'])).code).toBe(1);
    writeFile(b.wt, 'f.txt', 'Uno\ntwo\nthree\nfour\nfive\n');
    expect((await cli(b.wt, ['snapshot'])).code).toBe(0); // markers gone: a snapshot records the resolution
    expect((await cli(dir, ['show', b.id, '--json'])).json().session.state).toBe('open');
    const tip = git(dir, 'rev-parse', 'main');
    expect((await cli(b.wt, ['land'])).code).toBe(0);

    const u1 = await cli(dir, ['undo', b.id, '--json']);
    expect(u1.code, u1.stderr).toBe(0);
    expect(u1.json()).toMatchObject({ undone: [{ kind: 'land' }], target: { to: tip } });
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
    expect(git(dir, 'cat-file', '-t', u1.json().target.from)).toBe('commit');
    const u2 = await cli(dir, ['undo', b.id, '--json']);
    expect(u2.json()).toMatchObject({ undone: [{ kind: 'snapshot' }], restored: { state: 'conflicted', conflicted: ['f.txt'] } });
    const u3 = await cli(dir, ['undo', b.id, '--json']);
    expect(u3.json()).toMatchObject({ undone: [{ kind: 'conflict' }], restored: { state: 'open', base: oldBase, work: preSync } });
    expect(read(b.wt, 'f.txt')).toBe('uno\ntwo\nthree\nfour\nfive\n');
    expect(git(b.wt, 'rev-parse', 'HEAD')).toBe(oldBase);

    const ops = (await cli(dir, ['op', 'log', b.id, '--json'])).json().ops;
    expect(ops.filter((o: any) => o.undoneBy).map((o: any) => o.kind)).toEqual(['conflict', 'snapshot', 'land']);

    const again = await cli(b.wt, ['sync', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ conflicted: true, reused: ['f.txt'] });
    expect(read(b.wt, 'f.txt')).toBe('Uno\ntwo\nthree\nfour\nfive\n');
    const shown = (await cli(dir, ['show', b.id, '--json'])).json();
    expect(shown.session.state).toBe('open');
    expect(shown.events.at(-1)).toMatchObject({ kind: 'resolution', reused: true, paths: [{ path: 'f.txt', how: 'edited' }] });
    expect((await cli(b.wt, ['land'])).code).toBe(0);
    expect(git(dir, 'show', 'main:f.txt')).toBe('Uno\ntwo\nthree\nfour\nfive');
  });

  it('sync --abort returns exactly to the pre-sync work', async () => {
    const { dir, b } = await twoSessions();
    const before = (await cli(dir, ['show', b.id, '--json'])).json().session;
    const head = git(b.wt, 'rev-parse', 'HEAD');
    const status = git(b.wt, 'status', '--porcelain');
    expect((await cli(b.wt, ['sync'])).code).toBe(1);
    writeFile(b.wt, 'f.txt', 'half-resolved\n'); // an edit made while conflicted is snapshotted, then set aside
    const r = await cli(b.wt, ['sync', '--abort', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const after = (await cli(dir, ['show', b.id, '--json'])).json().session;
    expect(after).toMatchObject({ state: 'open', base: before.base, work: before.work });
    expect(git(dir, 'rev-parse', `refs/sessions/${b.id}/work`)).toBe(before.work);
    expect(read(b.wt, 'f.txt')).toBe('uno\ntwo\nthree\nfour\nfive\n');
    expect(git(b.wt, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(b.wt, 'status', '--porcelain')).toBe(status);
    // The edit made while conflicted stays reachable from the session's refs.
    const kept = git(dir, 'rev-list', `refs/sessions/${b.id}/meta`).split('\n');
    const halfway = (await cli(dir, ['log', b.id, '--kind', 'snapshot', '--json'])).json().events.at(-1).commit;
    expect(kept).toContain(halfway);
  });

  it('a conflict with a plain commit shows its subject; land --sync stops conflicted', async () => {
    const dir = makeRepo();
    writeFile(dir, 'f.txt', BASE_TEXT);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'f');
    const b = await sessionWith(dir, 'mine', { 'f.txt': 'uno\ntwo\nthree\nfour\nfive\n' });
    writeFile(dir, 'f.txt', 'eins\ntwo\nthree\nfour\nfive\n');
    git(dir, 'commit', '-q', '-am', 'German first line');
    const r = await cli(b.wt, ['land', '--sync', '--json']);
    expect(r.code).toBe(1);
    const c = await cli(b.wt, ['conflicts', '--json']);
    expect(c.json().conflicted.paths[0].theirs).toEqual([{ commit: git(dir, 'rev-parse', 'main'), subject: 'German first line' }]);
    expect(new Scrub({ repo: dir }).run(await cli(b.wt, ['conflicts']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "",
        "stdout": "conflicted in 1 path (sync from <oid1:12> onto <oid2:12>), markers in <repo>/.git/session/worktrees/<id1:12>:
        f.txt  lines 1-7
          theirs: <oid2:12> plain commit "German first line"
          ours:   session <id1:12> "mine"
      edit the files, then \`git session resolve\` (or \`resolve --take ours|theirs <path>\`); \`git session sync --abort\` goes back
      ",
      }
    `);
  });

  it('land --sync syncs then lands in one step when nothing overlaps', async () => {
    const dir = makeRepo();
    const a = await sessionWith(dir, 'A', { 'a.txt': 'a\n' });
    const b = await sessionWith(dir, 'B', { 'b.txt': 'b\n' });
    expect((await cli(dir, ['land', a.id])).code).toBe(0);
    const r = await cli(b.wt, ['land', '--sync', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ landed: true, synced: { changed: true } });
    expect(git(dir, 'ls-tree', '--name-only', 'main').split('\n').sort()).toEqual(['README.md', 'a.txt', 'b.txt']);
  });

  it('resolve --take ours keeps the session\'s version (the files equal the pre-sync work: not an unfinished sync), then lands it', async () => {
    const { dir, b } = await twoSessions();
    expect((await cli(b.wt, ['sync'])).code).toBe(1);
    const r = await cli(b.wt, ['resolve', 'f.txt', '--take', 'ours', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ resolved: [{ path: 'f.txt', how: 'ours' }], remaining: [] });
    expect(read(b.wt, 'f.txt')).toBe('uno\ntwo\nthree\nfour\nfive\n');
    expect((await cli(b.wt, ['show', '--json'])).json().session.state).toBe('open');
    expect((await cli(b.wt, ['land'])).code).toBe(0);
    expect(git(dir, 'show', 'main:f.txt')).toBe('uno\ntwo\nthree\nfour\nfive');
  });

  it('resolve --take theirs takes the target\'s version; a sync without a worktree moves nothing', async () => {
    const { dir, b } = await twoSessions();
    expect((await cli(b.wt, ['sync'])).code).toBe(1);
    expect((await cli(b.wt, ['resolve', 'nope.txt'])).code).toBe(2);
    const r = await cli(b.wt, ['resolve', 'f.txt', '--take', 'theirs', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().resolved).toEqual([{ path: 'f.txt', how: 'theirs' }]);
    expect(read(b.wt, 'f.txt')).toBe('ONE\ntwo\nthree\nfour\nfive\n');

    // An imported branch has no checkout to write markers into: the sync refuses, nothing moves.
    const fork = git(dir, 'rev-parse', 'main~1');
    git(dir, 'branch', 'side', fork);
    git(dir, 'worktree', 'add', '-q', join(dir, '..', `side-${b.id}`), 'side');
    const side = join(dir, '..', `side-${b.id}`);
    writeFile(side, 'f.txt', 'side\ntwo\nthree\nfour\nfive\n');
    git(side, 'commit', '-q', '-am', 'side');
    const imp = (await cli(dir, ['import', 'side', '--json'])).json().session.id;
    const work = git(dir, 'rev-parse', `refs/sessions/${imp}/work`);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['sync', imp]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: cannot sync <id1:12> onto <oid1:12>: conflict in f.txt, and no worktree holds the session to resolve it in (nothing moved)
      ",
        "stdout": "",
      }
    `);
    expect(git(dir, 'rev-parse', `refs/sessions/${imp}/work`)).toBe(work);
    expect((await cli(dir, ['show', imp, '--json'])).json().session.state).toBe('open');
  });
});

describe('undo', () => {
  it('reverts an abandon and a snapshot, keeping the undone work reachable', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'undo me', '--json'])).json().id;
    writeFile(dir, 'x.txt', 'x\n');
    await cli(dir, ['snapshot']);
    const first = git(dir, 'rev-parse', `refs/sessions/${id}/work`);
    writeFile(dir, 'x.txt', 'xx\n');
    await cli(dir, ['snapshot']);
    const second = git(dir, 'rev-parse', `refs/sessions/${id}/work`);
    expect((await cli(dir, ['abandon', id])).code).toBe(0);
    expect((await cli(dir, ['undo', id])).code).toBe(0);
    expect((await cli(dir, ['show', id, '--json'])).json().session.state).toBe('open');
    expect((await cli(dir, ['undo', id])).code).toBe(0);
    expect(git(dir, 'rev-parse', `refs/sessions/${id}/work`)).toBe(first);
    expect(git(dir, 'rev-list', `refs/sessions/${id}/meta`).split('\n')).toContain(second);
    expect(read(dir, 'x.txt')).toBe('xx\n'); // a snapshot did not change the files; nor does its undo
    expect((await cli(dir, ['undo', id])).code).toBe(0);
    expect(git(dir, 'for-each-ref', `refs/sessions/${id}/work`)).toBe('');
    expect((await cli(dir, ['undo', id])).code).toBe(1); // nothing left
  });

  it('refuses to take a pushed landing off its target', async () => {
    const dir = makeRepo();
    const remote = makeRepo('gs-remote-');
    git(remote, 'checkout', '-q', '--detach');
    git(dir, 'remote', 'add', 'origin', remote);
    const { id } = await sessionWith(dir, 'pushed', { 'p.txt': 'p\n' });
    expect((await cli(dir, ['land', id])).code).toBe(0);
    git(dir, 'push', '-q', 'origin', 'main');
    const tip = git(dir, 'rev-parse', 'main');
    expect(new Scrub({ repo: dir, remote }).run(await cli(dir, ['undo', id]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: the landed commit <oid1:12> is on origin/main: it was pushed, so the landing can't be undone (git revert it instead)
      ",
        "stdout": "",
      }
    `);
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
  });
});
