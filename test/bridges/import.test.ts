import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { commitAll } from './helpers.js';

/** main: initial, then `feat` forks with two commits, then main moves on by one. */
function forked(): { dir: string; fork: string; c1: string; c2: string } {
  const dir = makeRepo();
  const fork = git(dir, 'rev-parse', 'main');
  git(dir, 'checkout', '-q', '-b', 'feat');
  writeFile(dir, 'f1.txt', 'one\n');
  const c1 = commitAll(dir, 'Add f1\n\nBecause one file is needed.');
  writeFile(dir, 'f2.txt', 'two\n');
  writeFile(dir, 'README.md', '# changed\n');
  const c2 = commitAll(dir, 'Add f2');
  git(dir, 'checkout', '-q', 'main');
  writeFile(dir, 'm.txt', 'main moved\n');
  commitAll(dir, 'main moves on');
  return { dir, fork, c1, c2 };
}

const heads = (dir: string) => git(dir, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/', 'refs/tags/');

describe('import <range or branch>', () => {
  it('adopts a branch from its merge base with the target, moving no branch', async () => {
    const { dir, fork, c1, c2 } = forked();
    const before = heads(dir);
    const r = await cli(dir, ['import', 'feat', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    const id = out.id;
    expect(out).toMatchObject({ source: 'feat', base: fork, tip: c2, commits: [c1, c2] });
    expect(out.session).toMatchObject({ goal: 'Add f1', state: 'open', target: 'main', base: fork, work: c2, files: 3 });
    expect(git(dir, 'rev-parse', `refs/sessions/${id}/work`)).toBe(c2);
    expect(heads(dir)).toBe(before);
    expect(git(dir, 'status', '--porcelain')).toBe('');

    const events = (await cli(dir, ['log', id, '--json'])).json().events;
    expect(events.map((e: any) => e.kind)).toEqual(['start', 'message', 'message', 'import', 'snapshot']);
    expect(events[1]).toMatchObject({ role: 'user', name: 'commit', text: `Add f1\n\nBecause one file is needed.\n\ncommit ${c1}` });
    expect(events[2]).toMatchObject({ role: 'user', name: 'commit', text: `Add f2\n\ncommit ${c2}` });
    expect(events[3]).toMatchObject({ kind: 'import', source: 'feat', count: 2, commits: [c1, c2] });
    expect(events[4]).toMatchObject({ kind: 'snapshot', commit: c2, parent: fork });
    expect(events[4].files.map((f: any) => `${f.status} ${f.path}`).sort()).toEqual(['A f1.txt', 'A f2.txt', 'M README.md']);
    // Not made current: this worktree holds main, not the imported work.
    expect((await cli(dir, ['status', '--json'])).json().current).toBeNull();
    // The same range again: it says so and prints that session's id alone on stdout; nothing is written.
    const refs = git(dir, 'for-each-ref');
    const plain = await cli(dir, ['import', 'feat', '--goal', 'second copy']);
    expect(plain.stdout.trim()).toBe(id);
    expect(new Scrub({ repo: dir }).run(plain)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "feat was imported before, as <id1:12>: nothing written
      ",
        "stdout": "<id1>
      ",
      }
    `);
    expect(git(dir, 'for-each-ref')).toBe(refs);
    expect((await cli(dir, ['import', `${fork}..${c2}`, '--json'])).json()).toMatchObject({ id, existing: true });
  });

  it('adopts a range A..B (base A) with --goal and lands it like any session', async () => {
    const { dir, c1, c2 } = forked();
    const r = await cli(dir, ['import', `${c1}..feat`, '--goal', 'Second half', '--onto', 'main', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ base: c1, tip: c2, commits: [c2] });
    expect(r.json().session).toMatchObject({ goal: 'Second half', base: c1 });
    // main..feat after main moved on: git's meaning is feat's own commits, from the fork point.
    const m = await cli(dir, ['import', 'main..feat', '--json']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.json().commits).toHaveLength(2);
    expect(m.json().base).toBe(git(dir, 'merge-base', 'main', 'feat'));
    const land = await cli(dir, ['land', m.json().id, '--json']);
    expect(land.code, land.stderr).toBe(0);
    expect(git(dir, 'show', 'main:f2.txt')).toBe('two');
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Session-Id,valueonly)', 'main')).toBe(m.json().id);
  });

  it('refuses a bad range with exit 2 and writes nothing', async () => {
    const { dir } = forked();
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir });
    const seen: Record<string, unknown> = {};
    for (const args of [
      ['nope..main'],
      ['main..nope'],
      ['no-such-branch'],
      ['main..main'],
      ['feat...main'],
      ['--', '-x'],
      ['feat', '--goal', ' '],
      ['feat', '--onto', 'no-such-target'],
      ['feat', '--onto', 'bad..name'],
      [],
    ]) {
      seen[JSON.stringify(args)] = scrub.run(await cli(dir, ['import', ...args]));
      expect(refsSnapshot(dir)).toBe(before);
    }
    git(dir, 'checkout', '-q', '--detach', 'main');
    seen['detached: ["feat"]'] = scrub.run(await cli(dir, ['import', 'feat']));
    expect(seen).toMatchInlineSnapshot(`
      {
        "["--","-x"]": {
          "code": 2,
          "stderr": "git-session: say what to import: a range A..B, a branch, or --transcript <file>
      ",
          "stdout": "",
        },
        "["feat","--goal"," "]": {
          "code": 2,
          "stderr": "git-session: the goal is empty: say what the session is for
      ",
          "stdout": "",
        },
        "["feat","--onto","bad..name"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'bad..name': contains '..'
      ",
          "stdout": "",
        },
        "["feat","--onto","no-such-target"]": {
          "code": 2,
          "stderr": "git-session: no branch 'no-such-target' with commits
      ",
          "stdout": "",
        },
        "["feat...main"]": {
          "code": 2,
          "stderr": "git-session: 'feat...main': a symmetric range (A...B) has no single base; use A..B or a branch
      ",
          "stdout": "",
        },
        "["main..main"]": {
          "code": 2,
          "stderr": "git-session: nothing to import: 'main..main' has no commits beyond <oid1:12>
      ",
          "stdout": "",
        },
        "["main..nope"]": {
          "code": 2,
          "stderr": "git-session: unknown revision 'nope': fatal: Needed a single revision
      ",
          "stdout": "",
        },
        "["no-such-branch"]": {
          "code": 2,
          "stderr": "git-session: unknown revision 'no-such-branch': fatal: Needed a single revision
      ",
          "stdout": "",
        },
        "["nope..main"]": {
          "code": 2,
          "stderr": "git-session: unknown revision 'nope': fatal: Needed a single revision
      ",
          "stdout": "",
        },
        "[]": {
          "code": 2,
          "stderr": "git-session: say what to import: a range A..B, a branch, or --transcript <file>
      ",
          "stdout": "",
        },
        "detached: ["feat"]": {
          "code": 2,
          "stderr": "git-session: HEAD is detached: say which branch to use with --onto <branch>
      ",
          "stdout": "",
        },
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
  });
});
