import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
});

afterAll(() => {
  daemon?.stop();
});

function bareRemote(name: string): string {
  return daemon.remote(name);
}

function cloneOf(url: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-clone-')));
  git(dir, 'clone', '-q', url, '.');
  return dir;
}

describe('remotes through a git daemon on 127.0.0.1', () => {
  it('pushes sessions with the pre-push hook (the user hook still runs and counts), pulls them, and merges diverged events', async () => {
    const url = bareRemote('shared');
    const a = makeRepo();
    git(a, 'remote', 'add', 'origin', url);
    // The user's own hook, there before adoption.
    const userHook = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/user-hook-ran"\n[ -f "$(git rev-parse --git-dir)/block-push" ] && exit 1\nexit 0\n';
    writeFileSync(join(a, '.git/hooks/pre-push'), userHook);
    chmodSync(join(a, '.git/hooks/pre-push'), 0o755);
    expect((await cli(a, ['init', '--publish', 'push', '--json'])).json().changed).toEqual(expect.arrayContaining([`installed the git hooks (chaining ${join(a, '.git/hooks')})`]));
    expect((await cli(a, ['init', '--json'])).json().changed).toEqual([]);
    git(a, 'push', '-q', 'origin', 'main');

    const id = (await cli(a, ['start', 'shared work', '--json'])).json().id;
    await cli(a, ['record', 'prompt', 'from A']);
    writeFile(a, 'shared.txt', 'x\n');
    expect((await cli(a, ['land'])).code).toBe(0);
    git(a, 'push', '-q', 'origin', 'main'); // the hook pushes the landed session
    expect(readFileSync(join(a, '.git/user-hook-ran'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(git(a, 'ls-remote', 'origin', `refs/sessions/${id}/*`)).toContain(`refs/sessions/${id}/meta`);

    // The user's hook still decides: a failing user hook blocks the push.
    writeFileSync(join(a, '.git/block-push'), '');
    writeFile(a, 'later.txt', 'l\n');
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'later');
    expect(() => git(a, 'push', '-q', 'origin', 'main')).toThrow();

    const b = cloneOf(url);
    expect((await cli(b, ['init', '--publish', 'push'])).code).toBe(0);
    const pulled = await cli(b, ['pull', '--json']);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.json().created).toEqual([id]);
    expect((await cli(b, ['show', id, '--json'])).json().session.state).toBe('landed');

    // Diverge: both clones record on the same session.
    await cli(a, ['record', 'note', 'only in A', '--session', id]);
    await cli(b, ['record', 'note', 'only in B', '--session', id]);
    expect((await cli(a, ['push', '--json'])).json().pushed).toBeGreaterThan(0);
    const pushB = await cli(b, ['push', '--json']);
    expect(pushB.code, pushB.stderr).toBe(0);
    expect(pushB.json().retried).toBe(true);
    expect((await cli(a, ['pull', '--json'])).json().fastForwarded).toEqual([id]);
    for (const dir of [a, b]) {
      const notes = (await cli(dir, ['log', id, '--kind', 'note', '--json'])).json().events.map((e: any) => e.text);
      expect(notes.sort()).toEqual(['only in A', 'only in B']);
    }
    expect(git(a, 'rev-parse', `refs/sessions/${id}/meta`)).toBe(git(b, 'rev-parse', `refs/sessions/${id}/meta`));
    git(a, 'fsck', '--strict', '--no-progress', '--no-dangling');
  });

  it('pushes many sessions in one push', async () => {
    const url = bareRemote('many');
    const a = makeRepo();
    git(a, 'remote', 'add', 'origin', url);
    for (let i = 0; i < 30; i++) await cli(a, ['start', `s${i}`]);
    const r = await cli(a, ['push', '--json']);
    expect(r.json()).toMatchObject({ pushed: 30, retried: false });
    expect(r.json().sessions).toHaveLength(30);
    expect((await cli(a, ['push', '--json'])).json().pushed).toBe(0);
    expect(git(a, 'ls-remote', 'origin', 'refs/sessions/*').split('\n')).toHaveLength(30);
  });
});

describe('eject', () => {
  it('round-trips hooks, config and refs byte for byte', async () => {
    const url = bareRemote('eject');
    const dir = makeRepo();
    git(dir, 'remote', 'add', 'origin', url);
    writeFileSync(join(dir, '.git/hooks/pre-push'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, '.git/hooks/pre-push'), 0o755);
    const hooksBefore = readdirSync(join(dir, '.git/hooks')).sort().map((f) => [f, readFileSync(join(dir, '.git/hooks', f), 'utf8')]);
    const configBefore = readFileSync(join(dir, '.git/config'), 'utf8');
    const refsBefore = git(dir, 'for-each-ref', '--format=%(objectname) %(refname)');
    await cli(dir, ['init']);
    const id = (await cli(dir, ['start', 'to be ejected', '--worktree', '', '--json'])).json().id;
    await cli(dir, ['record', 'note', 'hello', '--session', id]);
    await cli(dir, ['push']);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).not.toBe(configBefore);
    const r = await cli(dir, ['eject', '--purge', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, '.git/hooks')).sort().map((f) => [f, readFileSync(join(dir, '.git/hooks', f), 'utf8')])).toEqual(hooksBefore);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(configBefore);
    expect(git(dir, 'for-each-ref', '--format=%(objectname) %(refname)')).toBe(refsBefore);
    expect(existsSync(join(dir, '.git/session'))).toBe(false);
    git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    expect((await cli(dir, ['eject', '--json'])).json().changed).toEqual([]);
  });
});
