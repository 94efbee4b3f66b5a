// Publishing is a choice (issue 21): a `never` remote receives no refs/sessions/* from
// any command or hook, `ask` publishes nothing until `git session push`, a private
// session never leaves by any path, and `init` asks per remote on a terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run as initRun } from '../../src/cli/commands/init.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

function bare(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-remote-')));
  git(dir, 'init', '-q', '--bare', '-b', 'main');
  return dir;
}

function setup(): { dir: string; remote: string } {
  const dir = makeRepo();
  const remote = bare();
  git(dir, 'remote', 'add', 'origin', remote);
  return { dir, remote };
}

async function landOne(dir: string, name: string): Promise<string> {
  const id = (await cli(dir, ['start', `work ${name}`, '--json'])).json().id;
  await cli(dir, ['record', 'prompt', `do ${name}`]);
  writeFile(dir, `${name}.txt`, `${name}\n`);
  expect((await cli(dir, ['land'])).code).toBe(0);
  return id;
}

function push(dir: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('git', ['push', '-q', 'origin', ...(args.length ? args : ['main'])], { cwd: dir, env: process.env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const sessionsAt = (remote: string) => git(remote, 'for-each-ref', '--format=%(refname)', 'refs/sessions/');

describe('remote.<name>.sessions', () => {
  it('never: no command or hook sends refs/sessions/*, and plain git keeps working', async () => {
    const { dir, remote } = setup();
    const scrub = new Scrub({ repo: dir, remote });
    expect(scrub.run(await cli(dir, ['init']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: origin will receive no sessions (nobody to ask); to publish: git config remote.origin.sessions push (or ask)
      ",
        "stdout": "initialised git-session: created the local index; added the sessions fetch refspec to origin; set remote.origin.sessions = never; installed the git hooks (chaining <repo>/.git/hooks)
      ",
      }
    `); // nobody to ask: never
    expect(git(dir, 'config', 'remote.origin.sessions')).toBe('never');
    const id = await landOne(dir, 'a');
    expect(push(dir).code).toBe(0);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(dir, 'rev-parse', 'main'));
    expect(scrub.run(await cli(dir, ['push', 'origin']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: origin is set to receive no sessions (remote.origin.sessions = never); change it with git config remote.origin.sessions push
      ",
        "stdout": "",
      }
    `);
    expect(scrub.run(await cli(dir, ['push', 'origin', '--dry-run']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: origin is set to receive no sessions (remote.origin.sessions = never); change it with git config remote.origin.sessions push
      ",
        "stdout": "",
      }
    `);
    expect(scrub.run(push(dir, `refs/sessions/${id}/meta:refs/sessions/${id}/meta`))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: refusing this push: origin receives no sessions (remote.origin.sessions = never) (git push --no-verify skips this check)
      error: failed to push some refs to '<remote>'
      ",
        "stdout": "",
      }
    `);
    expect((await cli(dir, ['export', '--notes'])).code).toBe(0);
    expect(sessionsAt(remote)).toBe('');
  });

  it('ask: the hook says what it would publish and pushes nothing until git session push', async () => {
    const { dir, remote } = setup();
    await cli(dir, ['init', '--publish', 'ask']);
    const id = await landOne(dir, 'b');
    const scrub = new Scrub({ repo: dir, remote }).rule(/\b\d+(\.\d+)? (B|kB|KiB|MB|MiB)\b/g, '<size>');
    expect(scrub.run(push(dir))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: not publishing sessions to origin (remote.origin.sessions = ask); this push would carry:
        <id1:12> landed 4 events: work b
        2 refs under refs/sessions/, <size> of objects origin lacks
      git-session: publish them with: git session push origin
      ",
        "stdout": "",
      }
    `);
    expect(sessionsAt(remote)).toBe('');
    const dry = await cli(dir, ['push', 'origin', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = dry.json();
    expect(plan.dryRun).toBe(true);
    expect(plan.refs.map((r: { ref: string }) => r.ref).sort()).toEqual([`refs/sessions/${id}/meta`, `refs/sessions/${id}/work`]);
    expect(plan.details[0]).toMatchObject({ id, goal: 'work b' });
    expect(plan.bytes).toBeGreaterThan(0);
    expect(sessionsAt(remote)).toBe('');
    expect(scrub.run(await cli(dir, ['push', 'origin', '--dry-run']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "would push to origin:
        <id1:12> landed 4 events: work b
        2 refs under refs/sessions/, <size> of objects origin lacks
      ",
      }
    `);
    expect((await cli(dir, ['push', 'origin'])).code).toBe(0);
    expect(sessionsAt(remote).split('\n').sort()).toEqual(plan.refs.map((r: { ref: string }) => r.ref).sort());
  });

  it('a remote added after init (no choice yet) behaves as ask', async () => {
    const dir = makeRepo();
    await cli(dir, ['init']);
    const remote = bare();
    git(dir, 'remote', 'add', 'origin', remote);
    await landOne(dir, 'c');
    expect(new Scrub({ repo: dir, remote }).rule(/\b\d+(\.\d+)? (B|kB|KiB|MB|MiB)\b/g, '<size>').run(push(dir))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: not publishing sessions to origin (origin has no remote.origin.sessions choice yet); this push would carry:
        <id1:12> landed 4 events: work c
        2 refs under refs/sessions/, <size> of objects origin lacks
      git-session: publish them with: git session push origin
      ",
        "stdout": "",
      }
    `);
    expect(sessionsAt(remote)).toBe('');
  });

  it('init asks per remote on a terminal', async () => {
    const { dir } = setup();
    git(dir, 'remote', 'add', 'mirror', bare());
    git(dir, 'remote', 'add', 'public', bare());
    let err = '';
    const stdin = Object.assign(Readable.from([Buffer.from('p\nx\na\n')]), { isTTY: true });
    const code = await initRun({}, {
      cwd: dir,
      stdout: { write: () => true },
      stderr: { write: (s) => ((err += String(s)), true), isTTY: true },
      stdin,
      clock: () => Date.now(),
      env: process.env,
    });
    expect(code).toBe(0);
    // Remotes in git's order: mirror, origin, public; "x" is asked again.
    expect(git(dir, 'config', 'remote.mirror.sessions')).toBe('push');
    expect(git(dir, 'config', 'remote.origin.sessions')).toBe('ask');
    expect(git(dir, 'config', 'remote.public.sessions')).toBe('never'); // input ended: nobody to ask
    expect(err.match(/Publish sessions/g)).toHaveLength(4);
  });
});

describe('private sessions', () => {
  it('never leave: not by the hook, git session push, a push by hand, export --push or export --notes', async () => {
    const { dir, remote } = setup();
    await cli(dir, ['init', '--publish', 'push']);
    const secret = await landOne(dir, 'secret');
    const open = await landOne(dir, 'open');
    const mark = await cli(dir, ['private', secret.slice(0, 10)]);
    expect(mark.code, mark.stderr).toBe(0);
    expect((await cli(dir, ['show', secret, '--json'])).json().session.private).toBe(true);
    expect(push(dir).code).toBe(0);
    expect(sessionsAt(remote)).toContain(`refs/sessions/${open}/meta`);
    expect(sessionsAt(remote)).not.toContain(secret);
    const all = await cli(dir, ['push', '--json']);
    expect(all.json().withheld).toEqual([secret]);
    const scrub = new Scrub({ repo: dir, remote });
    expect(scrub.run(push(dir, `refs/sessions/${secret}/meta:refs/sessions/${secret}/meta`))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: refusing this push: session <id1> is private (git push --no-verify skips this check)
      error: failed to push some refs to '<remote>'
      ",
        "stdout": "",
      }
    `);
    expect(scrub.run(await cli(dir, ['export', secret, '--branch', 'leak', '--push', 'origin']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: session <id1:12> is private: it is never pushed (git session private <id1:12> --off makes it publishable)
      ",
        "stdout": "",
      }
    `);
    expect(() => git(remote, 'rev-parse', '--verify', 'refs/heads/leak')).toThrow();
    const notes = await cli(dir, ['export', '--notes', '--json']);
    expect(notes.json()).toMatchObject({ written: 1, privateSkipped: 1 });
    expect(sessionsAt(remote)).not.toContain(secret);

    expect((await cli(dir, ['private', secret, '--off'])).code).toBe(0);
    expect((await cli(dir, ['push', '--json'])).json().sessions).toEqual([secret]);
    expect(sessionsAt(remote)).toContain(`refs/sessions/${secret}/meta`);
  });
});
