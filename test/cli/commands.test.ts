import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';

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

    const log = await cli(dir, ['log']);
    expect(log.stdout).toContain('please add hello');
    expect(log.stdout).toContain('rejected json (overkill)');
    const human = await cli(dir, ['show']);
    expect(human.stdout).toContain('✘ yaml: nobody asked');
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
    const plain = await cli(dir, ['list']);
    expect(plain.stdout.split('\n').filter(Boolean)).toHaveLength(2);
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
    const bad = await cli(dir, ['check', '--', 'sh', '-c', 'echo boom >&2; exit 3']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('boom');
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
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['start', '   '], /goal is empty/],
      [['start', 'x', '--onto', '../evil'], /invalid branch name/],
      [['start', 'x', '--onto', 'a\x01b'], /control character/],
      [['start', 'x', '--onto', 'nope'], /no branch 'nope'/],
      [['record', 'note', 'x', '--session', 'zzzz'], /no session matches/],
      [['record', 'note', 'x', '--session', '0'], /ambiguous/],
      [['record', 'note', ''], /empty/],
      [['record', 'bogus', 'x'], /is not one of: prompt, message, note, feedback/],
      [['record', 'feedback', 'x', '--file', '../../etc/passwd'], /escapes the repository/],
      [['record', 'feedback', 'x', '--file', '/etc/passwd'], /absolute/],
      [['decide', 'x'], /because/],
      [['decide', 'x', '--because', 'y', '--rejected', 'noreason'], /--rejected takes/],
      [['show', 'zzz'], /no session matches/],
      [['frobnicate'], /Unknown|frobnicate/],
      [['record', 'note', 'x'], /no session matches/, { GIT_SESSION: 'qqqq' }],
    ];
    for (const [args, re, env] of cases) {
      const r = await cli(dir, args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(refsSnapshot(dir)).toBe(before);
  });

  it('needs a current session, a repository, and a branch when detached', async () => {
    const dir = makeRepo();
    const none = await cli(dir, ['record', 'note', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no current session/);
    const outside = mkdtempSync(join(tmpdir(), 'gs-norepo-'));
    const r = await cli(outside, ['list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git repository/);
    git(dir, 'checkout', '-q', '--detach');
    const det = await cli(dir, ['start', 'x']);
    expect(det.code).toBe(2);
    expect(det.stderr).toMatch(/detached/);
    expect((await cli(dir, ['start', 'x', '--onto', 'main'])).code).toBe(0);
  });

  it('works from a subdirectory and refuses worktree commands in a bare repo', async () => {
    const dir = makeRepo();
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    const id = await started(join(dir, 'deep', 'er'));
    expect((await cli(join(dir, 'deep'), ['show', '--json'])).json().session.id).toBe(id);
    const bare = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bare-')));
    git(bare, 'clone', '-q', '--mirror', dir, '.');
    const r = await cli(bare, ['snapshot', '--session', id.slice(0, 12)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bare repository/);
  });

  it('refuses to snapshot an abandoned session with exit 1', async () => {
    const dir = makeRepo();
    const id = await started(dir);
    await cli(dir, ['abandon', id]);
    writeFile(dir, 'x', 'x');
    const r = await cli(dir, ['snapshot', '--session', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/abandoned/);
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
