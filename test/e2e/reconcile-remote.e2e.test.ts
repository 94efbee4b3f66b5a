// Reconcile through a real remote (a loopback `git daemon`): the forge squash-merges an
// exported pull request and deletes its branch; the author's next `git session pull`
// links the squash commit (found on origin/main) to the session. And authority: a pulled
// `undo` of a landing whose commit is still on the target is kept as data, not obeyed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { eventsAt, metaCommit, setRef, summaryOf, ulidAt } from '../support/hostile.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon?.stop());

async function clone(url: string): Promise<string> {
  const dir = makeRepo('gs-clone-');
  git(dir, 'remote', 'add', 'origin', url);
  git(dir, 'fetch', '-q', 'origin');
  git(dir, 'reset', '-q', '--hard', 'origin/main');
  git(dir, 'branch', '-q', '--set-upstream-to', 'origin/main');
  expect((await cli(dir, ['init', '--publish', 'push'])).code).toBe(0);
  return dir;
}

describe('reconcile through a remote', () => {
  it('pull links a squash merge the forge made of an exported branch it then deleted', async () => {
    const url = daemon.remote('forge');
    const author = makeRepo();
    git(author, 'remote', 'add', 'origin', url);
    expect((await cli(author, ['init', '--publish', 'push'])).code).toBe(0);
    git(author, 'push', '-q', 'origin', 'main');
    const s = await sessionWith(author, 'Greet by name', { 'greet.txt': 'hello NAME\n' });
    const ex = await cli(author, ['export', s.id, '--branch', 'greet', '--push', 'origin']);
    expect(ex.code, ex.stderr).toBe(0);
    expect((await cli(author, ['push'])).code).toBe(0);
    // A review commit pushed to the pull request by hand: the session's work no longer is the branch.
    const reviewer = await clone(url);
    git(reviewer, 'fetch', '-q', 'origin', 'greet:greet');
    git(reviewer, 'checkout', '-q', 'greet');
    writeFile(reviewer, 'greet.txt', 'hello, NAME\n');
    git(reviewer, 'commit', '-q', '-am', 'review: comma');
    git(reviewer, 'push', '-q', 'origin', 'greet');
    // The author's pull sees the branch's new tip (and remembers it).
    git(author, 'fetch', '-q', 'origin');
    const first = await cli(author, ['pull', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().reconciled.linked).toEqual([]);
    // The forge: squash and merge, delete the branch.
    git(reviewer, 'checkout', '-q', 'main');
    git(reviewer, 'merge', '--squash', '-q', 'greet');
    git(reviewer, 'commit', '-q', '-m', 'Greet by name (#12)');
    const merged = git(reviewer, 'rev-parse', 'HEAD');
    git(reviewer, 'push', '-q', 'origin', 'main', ':greet');
    git(author, 'fetch', '-q', '--prune', 'origin');
    git(author, 'branch', '-q', '-D', 'greet');

    expect(new Scrub({ repo: author }).run(await cli(author, ['pull']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "from origin: 0 new, 0 updated, 0 merged, 1 unchanged
      linked <oid1:12> "Greet by name (#12)" to session <id1:12>: landed on main (found by tree)
      ",
      }
    `);
    const got = (await cli(author, ['show', s.id, '--json'])).json().session;
    expect(got).toMatchObject({ state: 'landed', landed: { commit: merged, via: 'tree' } });
    // The link travels: the reviewer's pull obeys the land (its commit is on main there).
    const rp = await cli(reviewer, ['pull', '--json']);
    expect((await cli(author, ['push'])).code).toBe(0);
    const again = await cli(reviewer, ['pull', '--json']);
    expect(again.code, again.stderr + JSON.stringify(rp.json())).toBe(0);
    expect((await cli(reviewer, ['show', s.id, '--json'])).json().session).toMatchObject({ state: 'landed', landed: { commit: merged } });
    expect((await cli(reviewer, ['why', 'greet.txt:1', '--json'])).json().session).toMatchObject({ id: s.id });
  });

  it('a pulled undo of a landing whose commit is still on main is kept as data, not obeyed', async () => {
    const url = daemon.remote('undo');
    const bare = daemon.dir('undo');
    const a = makeRepo();
    git(a, 'remote', 'add', 'origin', url);
    expect((await cli(a, ['init', '--publish', 'push'])).code).toBe(0);
    const s = await sessionWith(a, 'Land it', { 'x.txt': 'x\n' });
    const landed = await cli(a, ['land', s.id, '--json']);
    expect(landed.code, landed.stderr).toBe(0);
    git(a, 'push', '-q', 'origin', 'main');
    expect((await cli(a, ['push'])).code).toBe(0);
    const b = await clone(url);
    expect((await cli(b, ['pull'])).code).toBe(0);
    expect((await cli(b, ['show', s.id, '--json'])).json().session.state).toBe('landed');
    // Someone with push access appends an undo of the landing; main still has the commit.
    const tip = git(bare, 'rev-parse', `refs/sessions/${s.id}/meta`);
    const events = eventsAt(bare, tip);
    const land = events.find((e) => e.kind === 'land');
    const start = events[0];
    const undo = { id: ulidAt(Date.parse('2026-06-01T00:00:00Z')), ts: '2026-06-01T00:00:00.000Z', kind: 'undo', of: land.id, op: 'land', restore: { state: 'open', base: start.base, work: null, files: 0 } };
    setRef(bare, `refs/sessions/${s.id}/meta`, metaCommit(bare, [...events, undo], summaryOf(s.id, start, events.length + 1), [tip]));
    const r = await cli(b, ['pull', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().flagged).toEqual([{ session: s.id, id: undo.id, kind: 'undo', reason: expect.stringMatching(/still on main/) }]);
    const got = (await cli(b, ['show', s.id, '--json'])).json().session;
    expect(got).toMatchObject({ state: 'landed', landed: { commit: landed.json().commit } });
    // Its op log does not count it: the land is still the last operation.
    const ops = (await cli(b, ['op', 'log', s.id, '--json'])).json();
    expect(JSON.stringify(ops)).not.toContain(undo.id);
  });
});
