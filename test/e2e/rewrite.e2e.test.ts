// Links that survive history rewriting, through the real hooks `init` installs (they run
// the built bin/git-session): an amend of a landed commit, `rebase -i` squashing two
// landed sessions into one commit, a cherry-pick to `release`; the hooks keep running the
// user's own and fail open.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

/** A repository adopted with the hooks, and a way to land a session changing `files`. */
async function adopted(): Promise<string> {
  const dir = makeRepo();
  const r = await cli(dir, ['init', '--publish', 'never']);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

async function land(dir: string, goal: string, files: Record<string, string>): Promise<{ id: string; commit: string }> {
  const s = await sessionWith(dir, goal, files);
  const r = await cli(dir, ['land', s.id, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return { id: s.id, commit: r.json().commit };
}

async function summary(dir: string, id: string) {
  const r = await cli(dir, ['show', id, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json().session;
}

async function why(dir: string, spec: string) {
  const r = await cli(dir, ['why', spec, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
}

/** git with its output (the hooks print on stderr), never throwing. */
function gitRun(dir: string, args: string[], env: Record<string, string> = {}): { code: number; out: string; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr, stdout: r.stdout, stderr: r.stderr };
}

describe('post-rewrite and post-commit follow landed commits', () => {
  it('an amend of a landed commit moves the landed commit along; why answers from the new one', async () => {
    const dir = await adopted();
    const a = await land(dir, 'Greet by name', { 'app.txt': 'hello NAME\n' });
    // A fix folded into the landed commit, its message (and trailer) kept.
    writeFile(dir, 'app.txt', 'hello NAME!\n');
    git(dir, 'add', 'app.txt');
    const scrub = new Scrub({ repo: dir });
    scrub.text(a.commit); // the landed commit is <oid1>
    expect(scrub.run(gitRun(dir, ['commit', '--amend', '-q', '--no-edit']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: <oid2:12> carries session <id1:12> (rewritten from <oid1:12> on main)
      ",
        "stdout": "",
      }
    `);
    const now = git(dir, 'rev-parse', 'HEAD');
    expect(now).not.toBe(a.commit);
    const s = await summary(dir, a.id);
    expect(s).toMatchObject({ state: 'landed', landed: { commit: now, first: a.commit }, landings: [{ commit: now, from: a.commit, branch: 'main', via: 'rewrite' }] });
    const w = await why(dir, 'app.txt:1');
    expect(w.commit.id).toBe(now);
    expect(w.session).toMatchObject({ id: a.id, via: 'trailer' });
    // The trailer gone too: the link still answers.
    expect(gitRun(dir, ['commit', '--amend', '-q', '-m', 'no trailer at all']).code).toBe(0);
    const bare = git(dir, 'rev-parse', 'HEAD');
    expect((await summary(dir, a.id)).landed.commit).toBe(bare);
    expect((await why(dir, 'app.txt:1')).session).toMatchObject({ id: a.id, via: 'land-event' });
    // Notes follow it.
    expect((await cli(dir, ['export', '--notes'])).code).toBe(0);
    expect(git(dir, 'notes', '--ref=sessions', 'show', bare)).toContain('Greet by name');
  });

  it('rebase -i squashing two landed sessions links both to the one commit; why picks the session by the line', async () => {
    const dir = await adopted();
    const a = await land(dir, 'Add greeting', { 'greet.txt': 'hello\n' });
    const b = await land(dir, 'Add farewell', { 'bye.txt': 'goodbye\n' });
    const r = gitRun(dir, ['rebase', '-q', '-i', 'HEAD~2'], { GIT_SEQUENCE_EDITOR: "sed -i '2s/^pick/squash/'", GIT_EDITOR: 'true' });
    expect(r.code, r.out).toBe(0);
    const squashed = git(dir, 'rev-parse', 'HEAD');
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('2');
    for (const s of [a, b]) {
      const got = await summary(dir, s.id);
      expect(got).toMatchObject({ state: 'landed', landed: { commit: squashed, first: s.commit } });
      // Once, on main (the rebase's own amends are left to its post-rewrite).
      expect(got.landings).toEqual([{ commit: squashed, from: s.commit, branch: 'main', via: 'rewrite', patchId: expect.any(String) }]);
    }
    const wa = await why(dir, 'greet.txt:1');
    const wb = await why(dir, 'bye.txt:1');
    expect([wa.commit.id, wb.commit.id]).toEqual([squashed, squashed]);
    expect(wa.session.id).toBe(a.id);
    expect(wa.otherSessions).toEqual([b.id]);
    expect(wb.session.id).toBe(b.id);
    expect(wb.otherSessions).toEqual([a.id]);
    // reconcile finds nothing new to link: both already hold the commit.
    const rec = await cli(dir, ['reconcile', '--rescan', '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.json().linked).toEqual([]);
  });

  it('a cherry-pick to release is a further landing and changes no state', async () => {
    const dir = await adopted();
    const first = git(dir, 'rev-parse', 'HEAD');
    const a = await land(dir, 'Fix the greeting', { 'app.txt': 'hello\n' });
    git(dir, 'checkout', '-q', '-b', 'release', first);
    const pick = gitRun(dir, ['cherry-pick', a.commit]);
    // git's own summary line: its 7-character abbreviation and its date format
    const scrub = new Scrub({ repo: dir }).rule(/\[release [0-9a-f]{7,}\]/, '[release <abbrev>]').rule(/Date: .*$/m, 'Date: <date>');
    expect(scrub.run(pick)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: <oid1:12> carries session <id1:12> (cherry-pick on release)
      ",
        "stdout": "[release <abbrev>] Fix the greeting
       Date: <date>
       1 file changed, 1 insertion(+)
       create mode 100644 app.txt
      ",
      }
    `);
    const picked = git(dir, 'rev-parse', 'HEAD');
    const s = await summary(dir, a.id);
    expect(s.state).toBe('landed');
    expect(s.landed.commit).toBe(a.commit);
    expect(s.landings).toEqual([{ commit: picked, branch: 'release', via: 'cherry-pick', from: a.commit, patchId: s.landed.patchId }]);
    expect((await why(dir, 'app.txt:1')).session).toMatchObject({ id: a.id });
    // Notes go on both commits.
    expect((await cli(dir, ['export', '--notes'])).code).toBe(0);
    for (const c of [a.commit, picked]) expect(git(dir, 'notes', '--ref=sessions', 'show', c)).toContain('Fix the greeting');

    // Without the hook (GIT_SESSION_NO_HOOK) and without the trailer, reconcile --onto release finds it by patch-id.
    git(dir, 'reset', '-q', '--hard', first);
    expect(gitRun(dir, ['cherry-pick', '-n', a.commit]).code).toBe(0);
    expect(gitRun(dir, ['commit', '-q', '-m', 'backport the greeting fix'], { GIT_SESSION_NO_HOOK: '1' }).code).toBe(0);
    const backport = git(dir, 'rev-parse', 'HEAD');
    const rec = await cli(dir, ['reconcile', '--onto', 'release', '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.json().linked).toEqual([{ commit: backport, subject: 'backport the greeting fix', branch: 'release', session: a.id, via: 'patch-id', recorded: 'landing' }]);
    expect((await summary(dir, a.id)).state).toBe('landed');
  });

  it("runs the user's own post-commit and post-rewrite hooks first, and fails open when git-session cannot run", async () => {
    const dir = makeRepo();
    writeFile(dir, '.git/hooks/post-commit', '#!/bin/sh\necho user-post-commit >> .git/ran\n');
    writeFile(dir, '.git/hooks/post-rewrite', '#!/bin/sh\nprintf "user-post-rewrite %s " "$1" >> .git/ran; cat >> .git/ran\n');
    chmodSync(join(dir, '.git/hooks/post-commit'), 0o755);
    chmodSync(join(dir, '.git/hooks/post-rewrite'), 0o755);
    expect((await cli(dir, ['init', '--publish', 'never'])).code).toBe(0);
    const a = await land(dir, 'One', { 'one.txt': '1\n' });
    const amended = gitRun(dir, ['commit', '--amend', '-q', '-m', 'One, again']);
    expect(amended.code, amended.out).toBe(0);
    const second = git(dir, 'rev-parse', 'HEAD');
    const ran = readFileSync(join(dir, '.git/ran'), 'utf8');
    expect(ran).toContain('user-post-commit');
    expect(ran).toContain(`user-post-rewrite amend ${a.commit} ${second}`);
    // node cannot start git-session (a broken install): the amend still works, one warning line, the user's hook ran.
    const broken = { NODE_OPTIONS: '--require=/nonexistent/broken.cjs' };
    const r = gitRun(dir, ['commit', '--amend', '-q', '-m', 'One, a third time'], broken);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^git-session: warning: git-session failed \(exit \d+: .*\); the rewritten commit is not linked to its session \(git session reconcile links it later\)\n$/);
    expect(readFileSync(join(dir, '.git/ran'), 'utf8').split('user-post-rewrite').length).toBe(3);
    // ... and reconcile links it later (the message, trailer included, was replaced: by its patch-id).
    const third = git(dir, 'rev-parse', 'HEAD');
    const rec = await cli(dir, ['reconcile', '--json']);
    expect(rec.json().linked).toMatchObject([{ commit: third, session: a.id, via: 'patch-id', recorded: 'landing' }]);
    expect((await summary(dir, a.id)).landed.commit).toBe(third);
    // A plain commit, and an amend of a commit no session holds, start no node (else the broken install would warn).
    expect(existsSync(join(dir, '.git/session/links'))).toBe(true);
    writeFile(dir, 'plain.txt', 'x\n');
    git(dir, 'add', 'plain.txt');
    const plain = gitRun(dir, ['commit', '-q', '-m', 'plain'], broken);
    expect({ code: plain.code, out: plain.out }).toEqual({ code: 0, out: '' });
    const plainAmend = gitRun(dir, ['commit', '--amend', '-q', '-m', 'plain, reworded'], broken);
    expect({ code: plainAmend.code, out: plainAmend.out }).toEqual({ code: 0, out: '' });
    expect(readFileSync(join(dir, '.git/ran'), 'utf8').split('user-post-commit').length).toBe(5);
  });
});
