// `reconcile` on real repositories: a forge's squash merge of an exported branch (no
// trailer, branch deleted) is linked by tree; with a base that moved and a merge that
// conflicts, by patch-id; two sessions with the same change are reported, never guessed;
// a near match is reported; a dry run writes nothing; a reconciled landing is not undone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';
import { commitAll } from '../bridges/helpers.js';

const TEN = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map((w) => `${w}\n`).join('');

/** A repository with f.txt (ten lines), adopted. */
async function repo(): Promise<string> {
  const dir = makeRepo();
  writeFile(dir, 'f.txt', TEN);
  commitAll(dir, 'ten lines');
  expect((await cli(dir, ['init', '--publish', 'never'])).code).toBe(0);
  return dir;
}

/** Squash-merges `branch` into main as a forge does: one commit titled by the PR, no trailer. */
function forgeSquash(dir: string, branch: string, title: string): string {
  git(dir, 'merge', '--squash', '-q', branch);
  git(dir, 'commit', '-q', '-m', title, '-m', '* work\n\n---------\n\nCo-authored-by: Someone <someone@example.com>');
  return git(dir, 'rev-parse', 'HEAD');
}

async function run(dir: string, args: string[]) {
  const r = await cli(dir, args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function session(dir: string, id: string) {
  return (await run(dir, ['show', id, '--json'])).json().session;
}

describe('reconcile', () => {
  it('links a forge squash merge of an exported branch (no trailer, branch deleted) by tree; why answers with the session', async () => {
    const dir = await repo();
    const s = await sessionWith(dir, 'Greet by name', { 'f.txt': TEN.replace('three', 'THREE'), 'greet.txt': 'hello NAME\n' });
    await run(dir, ['export', s.id, '--branch', 'greet', '--pr-body', join(s.wt, '..', `pr-${s.id}.md`)]);
    expect((await session(dir, s.id)).exported).toMatchObject({ branch: 'greet' });
    // Someone else's change landed meanwhile: the squash sits on a moved main, its tree is not the session's.
    writeFile(dir, 'other.txt', 'other\n');
    commitAll(dir, 'unrelated work');
    const merged = forgeSquash(dir, 'greet', 'Greet by name (#12)');
    git(dir, 'branch', '-D', '-q', 'greet');
    expect(git(dir, 'log', '-1', '--format=%B')).not.toContain('Session-Id');

    const before = refsSnapshot(dir);
    const dry = await run(dir, ['reconcile', '--dry-run', '--json']);
    expect(dry.json()).toMatchObject({ dryRun: true, linked: [{ commit: merged, session: s.id, via: 'tree', recorded: 'land' }] });
    expect(refsSnapshot(dir)).toBe(before);
    expect(existsSync(join(dir, '.git/session/reconcile.json'))).toBe(false);

    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await run(dir, ['reconcile']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "reconciled main (2 new commits)
      linked <oid1:12> "Greet by name (#12)" to session <id1:12>: landed on main (found by tree)
      ",
      }
    `);
    const got = await session(dir, s.id);
    expect(got).toMatchObject({ state: 'landed', landed: { commit: merged, strategy: 'squash', via: 'tree' } });
    const land = (await run(dir, ['log', s.id, '--kind', 'land', '--json'])).json().events;
    expect(land).toMatchObject([{ kind: 'land', commit: merged, target: 'main', previousTip: git(dir, 'rev-parse', 'HEAD~1'), via: 'tree', tree: git(dir, 'rev-parse', 'HEAD^{tree}'), patchId: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
    const why = (await run(dir, ['why', 'greet.txt:1', '--json'])).json();
    expect(why.session).toMatchObject({ id: s.id, via: 'land-event', state: 'landed' });
    expect((await run(dir, ['why', 'f.txt:3', '--json'])).json().session.id).toBe(s.id);
    expect((await run(dir, ['why', 'other.txt:1', '--json'])).json().session).toBeNull();
    // Remembered where it stopped: nothing new to walk, nothing linked twice.
    const again = await run(dir, ['reconcile', '--json']);
    expect(again.json()).toMatchObject({ branches: [{ branch: 'main', walked: 0 }], linked: [] });
    expect((await run(dir, ['reconcile', '--rescan', '--json'])).json().linked).toEqual([]);
    // A landing land did not make is not undone: the commit is on main.
    expect(scrub.run(await cli(dir, ['undo', s.id]))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: the session landed as <oid1:12> on main, a commit land did not make (found by tree): it stays landed while that commit is there (git revert it instead)
      ",
        "stdout": "",
      }
    `);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(merged);
  });

  it('with a base that moved and a merge that conflicts (tree differs), links by patch-id', async () => {
    const dir = await repo();
    const s = await sessionWith(dir, 'Shout five', { 'f.txt': TEN.replace('five', 'FIVE') });
    await run(dir, ['export', s.id, '--branch', 'shout', '--pr-body', join(s.wt, '..', `pr-${s.id}.md`)]);
    // main re-indents the line above: git's merge of the session now conflicts (adjacent lines).
    writeFile(dir, 'f.txt', TEN.replace('four', '\tfour'));
    commitAll(dir, 'indent four');
    const conflicts = await cli(dir, ['conflicts', s.id, '--json']);
    expect(conflicts.code).toBe(1);
    // The pull request was brought up to date by hand and squash-merged: the same change on the new base.
    writeFile(dir, 'f.txt', TEN.replace('four', '\tfour').replace('five', 'FIVE'));
    const merged = commitAll(dir, 'Shout five (#13)');
    const r = (await run(dir, ['reconcile', '--json'])).json();
    expect(r.linked).toEqual([{ commit: merged, subject: 'Shout five (#13)', branch: 'main', session: s.id, via: 'patch-id', recorded: 'land' }]);
    expect((await session(dir, s.id)).landed).toMatchObject({ commit: merged, via: 'patch-id' });
    expect((await run(dir, ['why', 'f.txt:5', '--json'])).json().session).toMatchObject({ id: s.id });
    expect((await run(dir, ['why', 'f.txt:4', '--json'])).json().session).toBeNull();
  });

  it('two sessions with the same change: reported, neither linked, both still open', async () => {
    const dir = await repo();
    const a = await sessionWith(dir, 'Shout one', { 'f.txt': TEN.replace('one', 'ONE') });
    const b = await sessionWith(dir, 'Capitalise one', { 'f.txt': TEN.replace('one', 'ONE') });
    writeFile(dir, 'f.txt', TEN.replace('one', 'ONE'));
    const c = commitAll(dir, 'ONE');
    const r = await run(dir, ['reconcile', '--json']);
    expect(r.json().linked).toEqual([]);
    expect(r.json().ambiguous).toEqual([{ commit: c, subject: 'ONE', branch: 'main', sessions: expect.arrayContaining([a.id, b.id]), via: 'tree' }]);
    for (const id of [a.id, b.id]) expect((await session(dir, id)).state).toBe('open');
    expect((await run(dir, ['why', 'f.txt:1', '--json'])).json().session).toBeNull();
    expect(new Scrub({ repo: dir }).run(await run(dir, ['reconcile', '--rescan']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "reconciled main (1 new commit)
      not linked: <oid1:12> "ONE" on main matches 2 sessions by tree (<id1:12>, <id2:12>): never a guess
      ",
      }
    `);
  });

  it('a near match (its goal as subject, another change) is reported and not linked; a trailer naming a session not here is named', async () => {
    const dir = await repo();
    const s = await sessionWith(dir, 'Rename seven', { 'f.txt': TEN.replace('seven', 'SEVEN') });
    writeFile(dir, 'f.txt', TEN.replace('seven', 'Seven'));
    const c = commitAll(dir, 'Rename seven (#7)');
    writeFile(dir, 'x.txt', 'x\n');
    const ghost = '01jzzzzzzzzzzzzzzzzzzzzzzz';
    const d = commitAll(dir, `Something\n\nSession-Id: ${ghost}`);
    const r = (await run(dir, ['reconcile', '--json'])).json();
    expect(r.linked).toEqual([]);
    expect(r.partial).toEqual([{ commit: c, subject: 'Rename seven (#7)', branch: 'main', sessions: [s.id] }]);
    expect(r.unknown).toEqual([{ commit: d, subject: 'Something', branch: 'main', sessions: [ghost] }]);
    expect((await session(dir, s.id)).state).toBe('open');
  });

  it('a trailer anywhere in the message links (a rebase-merge keeps one per commit: the first lands, the rest are landings)', async () => {
    const dir = await repo();
    const s = await sessionWith(dir, 'Two steps', { 'a.txt': 'a\n' });
    writeFile(dir, 'a.txt', 'a\n');
    const one = commitAll(dir, `Step one (#3)\n\n* Step one\n\nSession-Id: ${s.id}\n\n---------\n\nCo-authored-by: X <x@example.com>`);
    writeFile(dir, 'b.txt', 'b\n');
    const two = commitAll(dir, `Step two\n\nSession-Id: ${s.id}`);
    const r = (await run(dir, ['reconcile', '--json'])).json();
    expect(r.linked.map((l: any) => [l.commit, l.via, l.recorded])).toEqual([
      [one, 'trailer', 'land'],
      [two, 'trailer', 'landing'],
    ]);
    const got = await session(dir, s.id);
    expect(got).toMatchObject({ state: 'landed', landed: { commit: one, via: 'trailer' }, landings: [{ commit: two, branch: 'main', via: 'trailer' }] });
    expect(readFileSync(join(dir, '.git/session/links'), 'utf8')).toContain(`${two} ${s.id}`);
  });

  it('finds an archived session by its landed patch-id and by a Session-Id line', async () => {
    const dir = await repo();
    const base = git(dir, 'rev-parse', 'HEAD');
    const s = await sessionWith(dir, 'Fix the typo', { 'fix.txt': 'fixed\n' });
    await run(dir, ['land', s.id]);
    const landed = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'config', 'session.archiveAfter', '0');
    await run(dir, ['gc']);
    expect(git(dir, 'for-each-ref', `refs/sessions/${s.id}/`)).toBe('');
    expect((await run(dir, ['show', s.id])).stdout).toContain('archived: refs/sessions/archive/');
    // A backport made without the hooks, its message replaced: only its patch-id says whose work it is.
    git(dir, 'checkout', '-q', '-b', 'release', base);
    git(dir, '-c', 'core.hooksPath=/dev/null', 'cherry-pick', '-n', landed);
    git(dir, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'Backport: typo');
    const pick = git(dir, 'rev-parse', 'HEAD');
    writeFile(dir, 'note.txt', 'n\n');
    const named = commitAll(dir, `Follow-up\n\nSession-Id: ${s.id}`);
    const r = (await run(dir, ['reconcile', '--onto', 'release', '--json'])).json();
    expect(r.unknown).toEqual([]);
    expect(r.linked.map((l: any) => [l.commit, l.session, l.via, l.recorded])).toEqual([
      [pick, s.id, 'patch-id', 'landing'],
      [named, s.id, 'trailer', 'landing'],
    ]);
    const got = await session(dir, s.id);
    expect(got).toMatchObject({ state: 'landed', landed: { commit: landed }, landings: [{ commit: pick, branch: 'release' }, { commit: named, branch: 'release' }] });
  });

  it('refuses a branch that does not exist (exit 2, nothing written)', async () => {
    const dir = await repo();
    const before = refsSnapshot(dir);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['reconcile', '--onto', 'nope']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: no branch 'nope' here or on a remote
      ",
        "stdout": "",
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
  });
});
