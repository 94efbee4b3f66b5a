import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

async function started(dir: string, goal = 'Add greeting', extra: string[] = []) {
  const r = await cli(dir, ['start', goal, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.json().id as string;
}

describe('start / record / decide / show / log', () => {
  it('records a whole conversation and shows it back', async () => {
    const dir = makeRepo();
    const id = await started(dir, 'Add greeting', ['--agent', 'claude', '--model', 'opus']);
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    expect((await cli(dir, ['record', 'prompt', 'please add hello'])).code).toBe(0);
    expect((await cli(dir, ['record', 'message', '--role', 'agent', 'on it'])).code).toBe(0);
    expect((await cli(dir, ['record', 'note', '-'], { stdin: 'from stdin\nline two\n' })).code).toBe(0);
    expect((await cli(dir, ['record', 'feedback', 'rename this', '--file', 'src/a.ts', '--line', '3'])).code).toBe(0);
    const d = await cli(dir, ['decide', 'plain text', '--because', 'simplest', '--rejected', 'json: overkill', '--rejected', 'yaml: nobody asked', '--json']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.json().event).toMatchObject({ kind: 'decision', chosen: 'plain text', rationale: 'simplest', rejected: [{ option: 'json', reason: 'overkill' }, { option: 'yaml', reason: 'nobody asked' }] });

    const show = (await cli(dir, ['show', id.slice(0, 12), '--json'])).json();
    expect(show.session).toMatchObject({ id, goal: 'Add greeting', state: 'open', target: 'main', agent: { name: 'claude', model: 'opus' }, events: 6 });
    expect(show.session.base).toBe(git(dir, 'rev-parse', 'main'));
    expect(show.events.map((e: any) => e.kind)).toEqual(['start', 'prompt', 'message', 'note', 'feedback', 'decision']);
    expect(show.events[3].text).toBe('from stdin\nline two'); // the line ending echo adds is not part of the text
    expect(show.events[4]).toMatchObject({ file: 'src/a.ts', line: 3 });

    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['log']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "<time> start    started "Add greeting" on main at <oid1:12> (agent claude/opus)
      <time> prompt   please add hello
      <time> message  agent: on it
      <time> note     from stdin
                                   line two
      <time> feedback src/a.ts:3: rename this
      <time> decision chose plain text because simplest; rejected json (overkill); rejected yaml (nobody asked)
      ",
      }
    `);
    expect(scrub.run(await cli(dir, ['show']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "session <id1>
      goal:    Add greeting
      state:   open
      target:  main   base: <oid1>
      author:  Ada Tester <ada@example.com>   agent: claude (opus)
      created: <time>   updated: <time>   events: 6

      decisions
        ✔ plain text — simplest
          ✘ json: overkill
          ✘ yaml: nobody asked
      ",
      }
    `);
    const logJson = (await cli(dir, ['log', '--kind', 'prompt', '--json'])).json();
    expect(logJson.events).toHaveLength(1);
    // The data is plain JSON readable with git show.
    expect(JSON.parse(git(dir, 'show', `refs/sessions/${id}/meta:session.json`)).goal).toBe('Add greeting');
  });

  it('selects sessions by --session, GIT_SESSION and the current pointer', async () => {
    const dir = makeRepo();
    const a = await started(dir, 'first');
    const b = await started(dir, 'second');
    await cli(dir, ['record', 'note', 'to current (b)']);
    await cli(dir, ['record', 'note', 'to a by flag', '--session', a.slice(0, 14)]);
    await cli(dir, ['record', 'note', 'to a by env'], { env: { GIT_SESSION: a } });
    expect((await cli(dir, ['show', a, '--json'])).json().session.events).toBe(3);
    expect((await cli(dir, ['show', b, '--json'])).json().session.events).toBe(2);
  });

  it('lists with state filter and json, newest first', async () => {
    const dir = makeRepo();
    const a = await started(dir, 'one');
    const b = await started(dir, 'two');
    expect((await cli(dir, ['abandon', a.slice(0, 15), '--reason', 'dup'])).code).toBe(0);
    const all = (await cli(dir, ['list', '--json'])).json().sessions;
    expect(all.map((s: any) => s.id)).toEqual([b, a]);
    expect((await cli(dir, ['list', '--state', 'open', '--json'])).json().sessions.map((s: any) => s.id)).toEqual([b]);
    expect((await cli(dir, ['list', '--state', 'abandoned', '--json'])).json().sessions[0]).toMatchObject({ id: a, state: 'abandoned' });
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['list']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "* <id1:12>  open        5s      1 ev    0 files  two
        <id2:12>  abandoned   4s      2 ev    0 files  one
      ",
      }
    `);
    // A second abandon is a no-op, not an error.
    expect((await cli(dir, ['abandon', a, '--json'])).json().changed).toBe(false);
    const st = (await cli(dir, ['status', '--json'])).json();
    expect(st.current.id).toBe(b);
    expect(st.open.map((s: any) => s.id)).toEqual([b]);
  });

  it('snapshots tracked and untracked files without touching the index or branch', async () => {
    const dir = makeRepo();
    const id = await started(dir);
    writeFile(dir, 'README.md', '# changed\n');
    writeFile(dir, 'src/new.ts', 'export {};\n');
    writeFile(dir, '.gitignore', 'ignored.txt\n');
    writeFile(dir, 'ignored.txt', 'secret\n');
    git(dir, 'add', 'README.md');
    const indexBefore = git(dir, 'diff', '--cached', '--name-only');
    const headBefore = git(dir, 'rev-parse', 'HEAD');
    const r = await cli(dir, ['snapshot', '-m', 'first cut', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const snap = r.json();
    expect(snap.changed).toBe(true);
    expect(snap.files.map((f: any) => f.path).sort()).toEqual(['.gitignore', 'README.md', 'src/new.ts']);
    expect(git(dir, 'rev-parse', `refs/sessions/${id}/work`)).toBe(snap.commit);
    expect(git(dir, 'log', '-1', '--format=%s%n%b', snap.commit)).toContain(`Session-Id: ${id}`);
    expect(git(dir, 'rev-parse', `${snap.commit}^`)).toBe(headBefore);
    expect(git(dir, 'ls-tree', '-r', '--name-only', snap.commit)).not.toContain('ignored.txt');
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe(indexBefore);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(git(dir, 'status', '--porcelain')).toContain('?? src/');
    // Unchanged tree: no new commit.
    const again = (await cli(dir, ['snapshot', '--json'])).json();
    expect(again).toMatchObject({ changed: false, commit: snap.commit });
    writeFile(dir, 'src/new.ts', 'export const x = 1;\n');
    const third = (await cli(dir, ['snapshot', '--json'])).json();
    expect(git(dir, 'rev-parse', `${third.commit}^`)).toBe(snap.commit);
  });

  it('check records exit code, duration, tree and output tail; a failing check exits 1', async () => {
    const dir = makeRepo();
    await started(dir);
    writeFile(dir, 'a.txt', 'a\n');
    const ok = await cli(dir, ['check', '--json', '--', 'cat a.txt && echo done']);
    expect(ok.code, ok.stderr).toBe(0);
    const ev = ok.json().event;
    expect(ev).toMatchObject({ kind: 'check', exitCode: 0, command: ['cat a.txt && echo done'] });
    expect(ev.output).toContain('done');
    expect(ev.tree).toBe(git(dir, 'rev-parse', `refs/sessions/${ok.json().session}/work^{tree}`));
    expect(typeof ev.durationMs).toBe('number');
    const scrub = new Scrub({ repo: dir }).rule(/\b\d+ ?ms\b/g, '<ms>');
    expect(scrub.run(await cli(dir, ['check', '--', 'sh', '-c', 'echo boom >&2; exit 3']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "boom
      ",
        "stdout": "check failed (exit 3) in <ms>, recorded as <id1>
      ",
      }
    `);
    const events = (await cli(dir, ['log', '--kind', 'check', '--json'])).json().events;
    expect(events.map((e: any) => e.exitCode)).toEqual([0, 3]);
    expect(events[1].output).toContain('boom');
    expect((await cli(dir, ['check'])).code).toBe(2);
  });

  it('check on a session not checked out here runs on its snapshot in a throw-away worktree', async () => {
    const dir = makeRepo();
    const a = await started(dir, 'has a file');
    writeFile(dir, 'only-a.txt', 'a\n');
    await cli(dir, ['snapshot']);
    git(dir, 'stash', '-q', '-u');
    await started(dir, 'another, now current');
    const r = await cli(dir, ['check', '--session', a, '--json', '--', 'test -f only-a.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().event.tree).toBe(git(dir, 'rev-parse', `refs/sessions/${a}/work^{tree}`));
    expect(git(dir, 'worktree', 'list').split('\n')).toHaveLength(1);
    expect((await cli(dir, ['check', '--', 'test -f only-a.txt'])).code).toBe(1);
  });

  it('start --worktree makes a real worktree at the base whose session is current only there', async () => {
    const dir = makeRepo();
    const wt = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-wt-'))), 'wt');
    const r = await cli(dir, ['start', 'isolated', '--worktree', wt, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.json().id;
    expect(r.json().worktree).toBe(wt);
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'main'));
    expect((await cli(wt, ['status', '--json'])).json().current.id).toBe(id);
    expect((await cli(dir, ['status', '--json'])).json().current).toBeNull();
    expect((await cli(dir, ['record', 'note', 'x'])).code).toBe(2);
    // Snapshot from the main worktree with --session snapshots the session's own worktree.
    writeFile(wt, 'only-in-wt.txt', 'x\n');
    const snap = (await cli(dir, ['snapshot', '--session', id, '--json'])).json();
    expect(snap.files.map((f: any) => f.path)).toEqual(['only-in-wt.txt']);
    const def = await cli(dir, ['start', 'default place', '--worktree', '', '--json']);
    expect(def.code, def.stderr).toBe(0);
    expect(existsSync(join(def.json().worktree, 'README.md'))).toBe(true);
  });
});

describe('bad input: one line on stderr, exit 2, nothing written', () => {
  it('refuses each kind of bad input', async () => {
    const dir = makeRepo();
    await started(dir, 'one');
    await started(dir, 'two');
    // Every id starts with '0' for centuries to come: '0' is an ambiguous prefix here.
    const before = refsSnapshot(dir);
    const cases: [string[], Record<string, string>?][] = [
      [['start', '   ']],
      [['start', 'x', '--onto', '../evil']],
      [['start', 'x', '--onto', 'a\x01b']],
      [['start', 'x', '--onto', 'nope']],
      [['record', 'note', 'x', '--session', 'zzzz']],
      [['record', 'note', 'x', '--session', '0']],
      [['record', 'note', '']],
      [['record', 'bogus', 'x']],
      [['record', 'feedback', 'x', '--file', '../../etc/passwd']],
      [['record', 'feedback', 'x', '--file', '/etc/passwd']],
      [['decide', 'x']],
      [['decide', 'x', '--because', 'y', '--rejected', 'noreason']],
      [['show', 'zzz']],
      [['frobnicate']],
      [['record', 'note', 'x'], { GIT_SESSION: 'qqqq' }],
    ];
    const scrub = new Scrub({ repo: dir });
    const seen: Record<string, unknown> = {};
    for (const [args, env] of cases) seen[(env ? 'GIT_SESSION=qqqq ' : '') + JSON.stringify(args)] = scrub.run(await cli(dir, args, { env }));
    expect(seen).toMatchInlineSnapshot(`
      {
        "GIT_SESSION=qqqq ["record","note","x"]": {
          "code": 2,
          "stderr": "git-session: $GIT_SESSION: no session matches 'qqqq'
      ",
          "stdout": "",
        },
        "["decide","x","--because","y","--rejected","noreason"]": {
          "code": 2,
          "stderr": "git-session: --rejected takes "<option>: <why>", got 'noreason'
      ",
          "stdout": "",
        },
        "["decide","x"]": {
          "code": 2,
          "stderr": "git-session: Missing required argument: because (git session decide --help)
      ",
          "stdout": "",
        },
        "["frobnicate"]": {
          "code": 2,
          "stderr": "git-session: unknown command 'frobnicate'; git session --help lists them
      ",
          "stdout": "",
        },
        "["record","bogus","x"]": {
          "code": 2,
          "stderr": "git-session: <kind> 'bogus' is not one of: prompt, message, note, feedback (git session record --help)
      ",
          "stdout": "",
        },
        "["record","feedback","x","--file","../../etc/passwd"]": {
          "code": 2,
          "stderr": "git-session: feedback file '../../etc/passwd' escapes the repository ('..')
      ",
          "stdout": "",
        },
        "["record","feedback","x","--file","/etc/passwd"]": {
          "code": 2,
          "stderr": "git-session: feedback file '/etc/passwd' is absolute; give it relative to the repository
      ",
          "stdout": "",
        },
        "["record","note",""]": {
          "code": 2,
          "stderr": "git-session: the note text is empty
      ",
          "stdout": "",
        },
        "["record","note","x","--session","0"]": {
          "code": 2,
          "stderr": "git-session: session id '0' is ambiguous: <id1>, <id2>
      ",
          "stdout": "",
        },
        "["record","note","x","--session","zzzz"]": {
          "code": 2,
          "stderr": "git-session: no session matches 'zzzz'
      ",
          "stdout": "",
        },
        "["show","zzz"]": {
          "code": 2,
          "stderr": "git-session: no session matches 'zzz'
      ",
          "stdout": "",
        },
        "["start","   "]": {
          "code": 2,
          "stderr": "git-session: the goal is empty: say what the session is for
      ",
          "stdout": "",
        },
        "["start","x","--onto","../evil"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name '../evil': contains '..'
      ",
          "stdout": "",
        },
        "["start","x","--onto","a\\u0001b"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'a\\x01b': control character
      ",
          "stdout": "",
        },
        "["start","x","--onto","nope"]": {
          "code": 2,
          "stderr": "git-session: no branch 'nope' with commits
      ",
          "stdout": "",
        },
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
  });

  it('needs a current session, a repository, and a branch when detached', async () => {
    const dir = makeRepo();
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['record', 'note', 'x']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: no current session: start one (git session start "<goal>") or pass --session <id>
      ",
        "stdout": "",
      }
    `);
    const outside = mkdtempSync(join(tmpdir(), 'gs-norepo-'));
    expect(scrub.run(await cli(outside, ['list']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: not a git repository (or any parent up to /)
      ",
        "stdout": "",
      }
    `);
    git(dir, 'checkout', '-q', '--detach');
    expect(scrub.run(await cli(dir, ['start', 'x']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: HEAD is detached: say which branch to use with --onto <branch>
      ",
        "stdout": "",
      }
    `);
    expect((await cli(dir, ['start', 'x', '--onto', 'main'])).code).toBe(0);
  });

  it('works from a subdirectory and refuses worktree commands in a bare repo', async () => {
    const dir = makeRepo();
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    const id = await started(join(dir, 'deep', 'er'));
    expect((await cli(join(dir, 'deep'), ['show', '--json'])).json().session.id).toBe(id);
    const bare = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bare-')));
    git(bare, 'clone', '-q', '--mirror', dir, '.');
    expect(new Scrub({ repo: dir, bare }).run(await cli(bare, ['snapshot', '--session', id.slice(0, 12)]))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: this is a bare repository: this command needs a worktree
      ",
        "stdout": "",
      }
    `);
  });

  it('refuses to snapshot an abandoned session with exit 1', async () => {
    const dir = makeRepo();
    const id = await started(dir);
    await cli(dir, ['abandon', id]);
    writeFile(dir, 'x', 'x');
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['snapshot', '--session', id]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: session <id1:12> is abandoned
      ",
        "stdout": "",
      }
    `);
  });
});

describe('redaction before storage', () => {
  it('record and decide never store a secret, and say a redaction happened', async () => {
    const dir = makeRepo();
    // A realistic key id: AWS's documentation one (AKIAIOSFODNN7EXAMPLE) is a placeholder, kept as is.
    const keyId = 'AKIA' + 'QW3E5R7T2Y4U6I3O';
    await started(dir, `deploy with key ${keyId}`);
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const r = await cli(dir, ['record', 'note', `use token ${token} for the api`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().event.text).toBe('use token [REDACTED:github-token] for the api');
    expect(r.json().event.redacted).toEqual(['github-token']);
    const d = await cli(dir, ['decide', 'env var', '--because', 'password=hunter2hunter2 is bad', '--rejected', `inline ${token}: leaks`, '--json']);
    expect(JSON.stringify(d.json().event)).not.toContain(token);
    expect(JSON.stringify(d.json().event)).not.toContain('hunter2hunter2');
    const all = git(dir, 'cat-file', '--batch-all-objects', '--batch');
    expect(all).not.toContain(token);
    expect(all).not.toContain(keyId);
    expect(all).not.toContain('hunter2hunter2');
  });
});
