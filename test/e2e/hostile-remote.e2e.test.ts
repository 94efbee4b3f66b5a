// Attacks a remote can make on shared sessions (issue 9), each built with git plumbing
// inside the bare repository a loopback `git daemon` serves, then pulled by a clone:
// nothing recorded is lost, goal/target/state never follow a forged event, every other
// session keeps working, and no exit is 70.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { eventsAt, metaCommit, setRef, summaryOf, ulidAt } from '../support/hostile.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

// Relative ages: sessions here are dated by the real clock and by the tests' fixed one.
const AGE = /(?<=\s)\d+(s|m|h|d|mo|y)(?=\s)/g;

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon?.stop());

/** A clone `a` that shares one session (4 events) through the remote `name`. */
async function shared(name: string) {
  const url = daemon.remote(name);
  const bare = daemon.dir(name);
  const a = makeRepo();
  git(a, 'remote', 'add', 'origin', url);
  expect((await cli(a, ['init', '--publish', 'push'])).code).toBe(0);
  git(a, 'push', '-q', 'origin', 'main');
  const id = (await cli(a, ['start', 'real goal', '--json'])).json().id as string;
  await cli(a, ['record', 'prompt', 'p1']);
  await cli(a, ['record', 'note', 'n1']);
  await cli(a, ['record', 'note', 'n2']);
  const p = await cli(a, ['push', '--json']);
  expect(p.code, p.stderr).toBe(0);
  const tip = git(bare, 'rev-parse', `refs/sessions/${id}/meta`);
  return { url, bare, a, id, tip, events: eventsAt(bare, tip) };
}

const at2000 = Date.parse('2000-01-01T00:00:00Z');

describe('a hostile remote', () => {
  it('cannot erase events by fast-forward: the child that drops them is refused, merged as a union, nothing lost', async () => {
    const { bare, a, id, tip, events } = await shared('drop');
    const forged = { ...events[0], id: ulidAt(at2000), ts: '2000-01-01T00:00:00.000Z', goal: 'pwned', target: 'evil' };
    setRef(bare, `refs/sessions/${id}/meta`, metaCommit(bare, [forged], summaryOf(id, forged, 1), [tip]));

    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json().refused).toEqual([{ id, reason: expect.stringMatching(/drops 4 events/) }]);
    expect(r.json().merged).toEqual([id]);
    const text = await cli(a, ['pull']);
    expect(text.code).toBe(0); // nothing new: the hostile tip is now behind ours
    const s = (await cli(a, ['show', id, '--json'])).json();
    expect(s.session).toMatchObject({ goal: 'real goal', target: 'main', state: 'open', events: 5 });
    expect(s.events.map((e: any) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    expect(s.session.flagged).toEqual([{ id: forged.id, kind: 'start', reason: expect.stringMatching(/second start/) }]);
    // Landing still goes where the session's own start says.
    writeFile(a, 'f.txt', 'x\n');
    expect((await cli(a, ['snapshot'])).code).toBe(0);
    expect((await cli(a, ['land', '--dry-run', '--json'])).json().target).toBe('main');
    // And the union goes back: the remote now has every event again.
    expect((await cli(a, ['push'])).code).toBe(0);
    expect(eventsAt(bare, git(bare, 'rev-parse', `refs/sessions/${id}/meta`)).map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  });

  it('cannot hijack a union merge: an injected start dated 2000 and a forged land change nothing', async () => {
    const { bare, a, id, tip, events } = await shared('hijack');
    await cli(a, ['record', 'note', 'only here', '--session', id]); // diverge: A has an event the remote lacks
    const elsewhere = git(a, 'commit-tree', git(a, 'rev-parse', 'HEAD^{tree}'), '-m', 'not on main');
    const start2000 = { ...events[0], id: ulidAt(at2000), ts: '2000-01-01T00:00:00.000Z', goal: 'pwned', target: 'evil' };
    const land = { id: ulidAt(Date.parse('2026-06-01T00:00:00Z'), 'f0rged1and00000'), ts: '2026-06-01T00:00:00.000Z', kind: 'land', commit: elsewhere, target: 'main', strategy: 'squash', previousTip: git(a, 'rev-parse', 'main') };
    const theirs = [...events, start2000, land];
    setRef(bare, `refs/sessions/${id}/meta`, metaCommit(bare, theirs, summaryOf(id, start2000, theirs.length, { state: 'landed' }), [tip]));

    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1); // events not obeyed are reported
    expect(r.json()).toMatchObject({ merged: [id], refused: [] });
    expect(r.json().flagged.map((f: any) => f.id).sort()).toEqual([start2000.id, land.id].sort());
    const s = (await cli(a, ['show', id, '--json'])).json().session;
    expect(s).toMatchObject({ goal: 'real goal', target: 'main', state: 'open', events: 7 });
    expect(s.landed).toBeUndefined();
    // The session is still open: it takes snapshots.
    writeFile(a, 'g.txt', 'y\n');
    const snap = await cli(a, ['snapshot', '--session', id]);
    expect(snap.code, snap.stderr).toBe(0);
    expect(new Scrub({ repo: a, bare }).run(await cli(a, ['log', id]))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "<time> start    started "real goal" on main at <oid1:12>
      <time> start    started "pwned" on evil at <oid1:12> [not obeyed: a second start: goal and target follow the session’s own start]
      <time> prompt   p1
      <time> note     n1
      <time> note     n2
      <time> note     only here
      <time> land     landed on main as <oid2:12> (squash) [not obeyed: its commit <oid2:12> is not on main (here or on origin)]
      <time> snapshot <oid3:12> snapshot: real goal (1 file)
      ",
      }
    `);
  });

  it('a clone pulling the session for the first time obeys the start of its first commit, not a forged one put first', async () => {
    const { url, bare, id, tip, events } = await shared('first-pull');
    const start2000 = { ...events[0], id: ulidAt(at2000), ts: '2000-01-01T00:00:00.000Z', goal: 'pwned', target: 'evil' };
    const forged = [start2000, ...events];
    setRef(bare, `refs/sessions/${id}/meta`, metaCommit(bare, forged, summaryOf(id, start2000, forged.length), [tip]));
    const b = makeRepo();
    git(b, 'remote', 'add', 'origin', url);
    const r = await cli(b, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json()).toMatchObject({ created: [id], refused: [{ id, reason: expect.stringMatching(/another event before the session.s own start/) }] });
    const s = (await cli(b, ['show', id, '--json'])).json();
    expect(s.session).toMatchObject({ goal: 'real goal', target: 'main', events: 5 });
    expect(s.events[0].id).toBe(events[0].id);
    expect(s.session.flagged).toEqual([{ id: start2000.id, kind: 'start', reason: expect.stringMatching(/second start/) }]);
  });

  it('a land whose commit is on the target is obeyed, even when only the remote-tracking branch has it', async () => {
    const { url, a, id } = await shared('real-land');
    const b = makeRepo();
    git(b, 'remote', 'add', 'origin', url);
    git(b, 'fetch', '-q', 'origin');
    writeFile(a, 'landed.txt', 'l\n');
    expect((await cli(a, ['land', id])).code).toBe(0);
    git(a, 'push', '-q', 'origin', 'main'); // the hook pushes the session too
    const r = await cli(b, ['pull', '--json']); // b's origin/main is stale: pull fetches it to check the land
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().created).toEqual([id]);
    expect((await cli(b, ['show', id, '--json'])).json().session.state).toBe('landed');
  });

  it('a session.json naming another session is corrected on pull, never shown as the victim', async () => {
    const { bare, a, id, events } = await shared('victim');
    const other = ulidAt(Date.now(), 'v1ct1m0000000000');
    const start = { ...events[0], id: ulidAt(Date.now() + 1, 's0000000000000'), goal: 'the thief' };
    setRef(bare, `refs/sessions/${other}/meta`, metaCommit(bare, [start], summaryOf(id, { ...start, goal: 'real goal' }, 1)));
    // And one whose session.json is not JSON at all: its events say what it is.
    const garbled = ulidAt(Date.now() + 2, 'garb1ed000000000');
    const gStart = { ...events[0], id: ulidAt(Date.now() + 3, 'gstart0000000000'), goal: 'garbled summary' };
    setRef(bare, `refs/sessions/${garbled}/meta`, metaCommit(bare, [gStart], '{"format": 1, "id": '));
    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().created.sort()).toEqual([other, garbled].sort());
    expect(r.json().corrected.sort()).toEqual([other, garbled].sort());
    const rows = (await cli(a, ['list', '--json'])).json().sessions;
    expect(rows.map((s: any) => [s.id, s.goal]).sort()).toEqual([[id, 'real goal'], [other, 'the thief'], [garbled, 'garbled summary']].sort());
    for (const cmd of [['status'], ['list'], ['show', garbled]]) expect((await cli(a, cmd)).code, cmd[0]).toBe(0);
    // The corrected summary sits on top of the remote's tip, which stays its parent.
    const tip = git(a, 'rev-parse', `refs/sessions/${other}/meta`);
    expect(git(a, 'rev-parse', `${tip}^`)).toBe(git(bare, 'rev-parse', `refs/sessions/${other}/meta`));
  });
});

describe('one bad session never blocks the others', () => {
  it('a diverged copy with a chunk that is not JSON is skipped and named; every other session pulls and pushes', async () => {
    const { bare, a, id, tip, events } = await shared('badchunk');
    await cli(a, ['record', 'note', 'local only', '--session', id]);
    setRef(bare, `refs/sessions/${id}/meta`, metaCommit(bare, [...events, '{"this is": not json'], summaryOf(id, events[0], 5), [tip]));
    const fresh = ulidAt(Date.now(), 'fresh00000000000');
    const start = { ...events[0], id: ulidAt(Date.now() + 1, 'fstart0000000000'), goal: 'arrives anyway' };
    setRef(bare, `refs/sessions/${fresh}/meta`, metaCommit(bare, [start], summaryOf(fresh, start, 1)));

    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json().skipped).toEqual([{ id, reason: expect.stringMatching(/damaged: events\/0000\/000000.jsonl line 5 is not valid JSON/) }]);
    expect(r.json().created).toEqual([fresh]);
    const scrub = new Scrub({ repo: a, bare });
    expect(scrub.run(await cli(a, ['pull']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "",
        "stdout": "from origin: 0 new, 0 updated, 0 merged, 1 unchanged
      skipped <id1:12>: damaged: events/0000/000000.jsonl line 5 is not valid JSON
      ",
      }
    `);
    // Our copy is untouched and readable.
    expect((await cli(a, ['show', id, '--json'])).json().events).toHaveLength(5);
    // push moves every other session and names the one it cannot.
    const next = (await cli(a, ['start', 'pushed anyway', '--json'])).json().id;
    const p = await cli(a, ['push', '--json']);
    expect(p.code, p.stderr).toBe(1);
    expect(p.json().skipped).toEqual([{ id, reason: expect.stringMatching(/cannot be merged: damaged/) }]);
    expect(p.json().sessions).toContain(next);
    expect(scrub.run(await cli(a, ['push']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "",
        "stdout": "pushed nothing to origin
      skipped <id1:12>: origin's copy cannot be merged: damaged: events/0000/000000.jsonl line 5 is not valid JSON
      ",
      }
    `);
    expect(git(bare, 'for-each-ref', `refs/sessions/${next}/`)).toContain('/meta');
  });

  it('a remote ref clashing with a local ref name skips that session only', async () => {
    const { bare, a, events } = await shared('clash');
    const clash = ulidAt(Date.now(), 'c1ash00000000000');
    const fine = ulidAt(Date.now(), 'f1ne000000000000');
    for (const [sid, goal, tail] of [[clash, 'clashing', 'c1ashstart000000'], [fine, 'fine', 'f1nestart0000000']]) {
      const start = { ...events[0], id: ulidAt(Date.now() + 3, tail), goal };
      setRef(bare, `refs/sessions/${sid}/meta`, metaCommit(bare, [start], summaryOf(sid, start, 1)));
    }
    git(a, 'update-ref', `refs/sessions/${clash}`, git(a, 'rev-parse', 'HEAD')); // a stray local ref: a file where a directory must go
    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json().created).toEqual([fine]);
    expect(r.json().skipped).toEqual([{ id: clash, reason: expect.stringContaining(`refs/sessions/${clash}`) }]);
    expect(new Scrub({ repo: a, bare }).rule(AGE, '<age>').run(await cli(a, ['list']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "warning: ignoring refs/sessions/<id3>: not a session ref (refs/sessions/<ULID>/meta or /work)
      ",
        "stdout": "  <id1:12>  open        <age>      1 ev    0 files  fine
      * <id2:12>  open        <age>      4 ev    0 files  real goal
      ",
      }
    `);
  });

  it('refs under refs/sessions/ that are not <ULID>/meta|work are ignored with a warning', async () => {
    const { bare, a, tip } = await shared('stray');
    setRef(bare, 'refs/sessions/not-a-ulid/meta', tip);
    setRef(bare, 'refs/sessions/01kc0000000000000000000000/other', tip);
    const r = await cli(a, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().ignored.sort()).toEqual(['refs/sessions/01kc0000000000000000000000/other', 'refs/sessions/not-a-ulid/meta']);
    expect(new Scrub({ repo: a, bare }).run(await cli(a, ['pull']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "warning: ignoring refs/sessions/<id1>/other: not a session ref (refs/sessions/<ULID>/meta or /work)
      warning: ignoring refs/sessions/not-a-ulid/meta: not a session ref (refs/sessions/<ULID>/meta or /work)
      ",
        "stdout": "from origin: 0 new, 0 updated, 0 merged, 1 unchanged
      ",
      }
    `);
    expect(git(a, 'for-each-ref', 'refs/sessions/not-a-ulid/')).toBe('');
  });
});
