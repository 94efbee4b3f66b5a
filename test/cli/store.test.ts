import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/cli/exit.js';
import { ObjectStore } from '../../src/git/objects.js';
import { packedRef, packedRefsUnder } from '../../src/git/packed-refs.js';
import { listRefs, transact, ZERO } from '../../src/git/refs.js';
import { SessionStore } from '../../src/git/session-store.js';
import { withIndexDb } from '../../src/cache/db.js';
import { Repo } from '../../src/repo/repo.js';
import { startSession } from '../../src/repo/sessions.js';
import { cli, git, makeRepo, refsSnapshot } from '../support/repo.js';

function openRepo(dir: string): Repo {
  let t = Date.parse('2026-02-01T00:00:00Z');
  return Repo.open({ cwd: dir, clock: () => (t += 7), env: process.env });
}

describe('session store', () => {
  it('appends across chunk boundaries and reads every event back in order', async () => {
    const dir = makeRepo();
    const repo = openRepo(dir);
    const { summary } = await startSession(repo, { goal: 'many events' });
    const id = summary.id;
    const big = 'x'.repeat(3000); // ~22 of these fill a 64 KiB chunk before 128 events do
    for (let i = 0; i < 300; i++) {
      const batch = [repo.event({ kind: 'note', text: i % 50 === 0 ? big : `note ${i}` })];
      if (i % 3 === 0) batch.push(repo.event({ kind: 'prompt', text: `p${i}` }));
      await repo.append(id, batch);
    }
    const events = await repo.store.readEvents(id);
    expect(events).toHaveLength(1 + 300 + 100);
    expect(events[0].kind).toBe('start');
    const notes = events.filter((e) => e.kind === 'note').map((e) => (e.kind === 'note' ? e.text : ''));
    expect(notes.slice(0, 3)).toEqual([big, 'note 1', 'note 2']);
    expect(notes[299]).toBe('note 299');
    const summaryNow = await repo.store.readSummary(id);
    expect(summaryNow.events).toBe(401);
    const files = git(dir, 'ls-tree', '-r', '--name-only', `refs/sessions/${id}/meta`).split('\n');
    const chunks = files.filter((f) => f.startsWith('events/'));
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect([...chunks].sort()).toEqual(chunks);
    // Each chunk respects the limits.
    for (const c of chunks.slice(0, -1)) {
      const text = git(dir, 'show', `refs/sessions/${id}/meta:${c}`);
      expect(text.split('\n').length).toBeLessThanOrEqual(128);
    }
    expect(git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling')).toBe('');
  });

  it('keeps everything after git gc --prune=now', async () => {
    const dir = makeRepo();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await cli(dir, ['start', `goal ${i}`, '--json'])).json().id);
      await cli(dir, ['record', 'prompt', `prompt ${i}`]);
      await cli(dir, ['decide', 'a', '--because', 'b', '--rejected', 'c: d']);
      await cli(dir, ['snapshot']); // nothing to snapshot yet: no-op
    }
    const before = await Promise.all(ids.map(async (id) => (await cli(dir, ['show', id, '--json'])).stdout));
    git(dir, 'gc', '--prune=now', '--quiet');
    git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    const after = await Promise.all(ids.map(async (id) => (await cli(dir, ['show', id, '--json'])).stdout));
    expect(after).toEqual(before);
    const listed = (await cli(dir, ['list', '--json'])).json().sessions;
    expect(listed).toHaveLength(3);
    // Ids still resolve by prefix once refs are packed.
    expect((await cli(dir, ['show', ids[1].slice(0, 13), '--json'])).json().session.goal).toBe('goal 1');
    const store = new SessionStore(`${dir}/.git`, dir);
    expect(store.listIds()).toEqual(new Set(ids));
  });

  it('the catalog notices sessions changed behind its back', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'cached', '--json'])).json().id;
    expect((await cli(dir, ['list', '--json'])).json().sessions[0].events).toBe(1);
    // Another tool moves the ref (as a fetch would): list must reflect it.
    await cli(dir, ['record', 'note', 'x']);
    expect((await cli(dir, ['list', '--json'])).json().sessions[0].events).toBe(2);
    git(dir, 'update-ref', '-d', `refs/sessions/${id}/meta`);
    expect((await cli(dir, ['list', '--json'])).json().sessions).toEqual([]);
  });

  it('re-reads through the schema any catalog row it did not write (older layout, another schema, tampered)', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'the real goal', '--json'])).json().id;
    expect((await cli(dir, ['list', '--json'])).json().sessions[0].goal).toBe('the real goal');
    const meta = git(dir, 'rev-parse', `refs/sessions/${id}/meta`);
    for (const row of [`${meta}{"id":"${id}","goal":"forged"}`, `${meta}s0{"id":"${id}","goal":"forged"}`, `${meta}s1{"id":`]) {
      await withIndexDb(join(dir, '.git'), (db) => db.sublevel<string, string>('catalog', { valueEncoding: 'utf8' }).put(id, row));
      const l = (await cli(dir, ['list', '--json'])).json();
      expect(l.sessions.map((s: any) => s.goal)).toEqual(['the real goal']);
      expect(l.damaged).toEqual([]);
    }
  });

  it('reads packed and loose refs as git does, and sees packed-refs rewritten', async () => {
    const dir = makeRepo();
    const head = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'tag', '-a', '-m', 'annotated', 'v1'); // packs with a peeled `^` line after it
    for (const n of ['a', 'b/c', 'b/d']) git(dir, 'update-ref', `refs/sessions/${n}/meta`, head);
    git(dir, 'pack-refs', '--all');
    const common = join(dir, '.git');
    expect(packedRef(common, 'refs/sessions/b/c/meta')).toBe(head);
    expect(packedRef(common, 'refs/sessions/b/c')).toBeUndefined();
    expect(packedRef(common, 'refs/tags/v1')).toBe(git(dir, 'rev-parse', 'refs/tags/v1'));
    expect([...packedRefsUnder(common, 'refs/sessions/b/').keys()]).toEqual(['refs/sessions/b/c/meta', 'refs/sessions/b/d/meta']);
    // A loose ref wins over its packed value; a deletion rewrites packed-refs (new size: re-read).
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'next');
    const next = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'update-ref', 'refs/sessions/a/meta', next);
    git(dir, 'update-ref', '-d', 'refs/sessions/b/d/meta');
    const all = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/sessions/').split('\n').map((l) => l.split(' '));
    expect(listRefs(common, 'refs/sessions/')).toEqual(new Map(all as [string, string][]));
    expect(await new ObjectStore(common).resolve('refs/sessions/a/meta')).toBe(next);
    // Only refs named like sessions (<ULID>/meta|work) are sessions; the rest are strays, ignored.
    expect(new SessionStore(common, dir).listIds()).toEqual(new Set());
    const ulid = '01kc0000000000000000000000';
    git(dir, 'update-ref', `refs/sessions/${ulid}/meta`, head);
    git(dir, 'update-ref', `refs/sessions/${ulid}/work`, head);
    git(dir, 'pack-refs', '--all');
    git(dir, 'update-ref', `refs/sessions/${ulid.replace(/0$/, '1')}/meta`, head);
    const store = new SessionStore(common, dir);
    expect(store.listIds()).toEqual(new Set([ulid, ulid.replace(/0$/, '1')]));
    expect(store.scan().strays.sort()).toEqual(['refs/sessions/a/meta', 'refs/sessions/b/c/meta']);
  });

  it('retries only when a compare-and-swap lost, and throws on any other update-ref failure', async () => {
    const dir = makeRepo();
    const head = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'next');
    const next = git(dir, 'rev-parse', 'HEAD');
    // Lost: moved, already there, vanished, locked.
    expect(await transact(dir, [{ ref: 'refs/heads/main', new: head, old: head }])).toBe(false);
    expect(await transact(dir, [{ ref: 'refs/heads/main', new: head, old: ZERO }])).toBe(false);
    expect(await transact(dir, [{ ref: 'refs/heads/gone', new: head, old: next }])).toBe(false);
    writeFileSync(join(dir, '.git/refs/heads/main.lock'), '');
    expect(await transact(dir, [{ ref: 'refs/heads/main', new: head, old: next }])).toBe(false);
    git(dir, 'update-ref', 'refs/heads/x', head);
    // Not a race: a directory/file clash between names, an object that does not exist.
    await expect(transact(dir, [{ ref: 'refs/heads/x/y', new: head }])).rejects.toMatchObject({ code: 'git-failed' });
    await expect(transact(dir, [{ ref: 'refs/heads/y', new: '1'.repeat(40) }])).rejects.toMatchObject({ code: 'git-failed' });
    expect(await transact(dir, [{ ref: 'refs/heads/y', new: next, old: ZERO }])).toBe(true);
  });

  it('creates a session with its extra refs in one transaction, or not at all', async () => {
    const dir = makeRepo();
    const repo = openRepo(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const events = () => [
      repo.event({ kind: 'start', goal: 'one shot', target: 'main', base: head, author: 'A <a@example.com>' }),
      repo.event({ kind: 'snapshot', commit: head, parent: head, message: 'm', files: [] }),
    ];
    const id = repo.newId();
    const s = await repo.store.create(id, await repo.ident(), events(), [{ ref: `refs/sessions/${id}/work`, new: head, old: ZERO }]);
    expect(s).toMatchObject({ id, goal: 'one shot', events: 2, work: head, counts: { start: 1, snapshot: 1 } });
    expect(await repo.store.workTip(id)).toBe(head);
    // The work ref of the next id is taken: its meta ref must not appear either.
    const other = repo.newId();
    git(dir, 'update-ref', `refs/sessions/${other}/work`, head);
    const before = refsSnapshot(dir);
    await expect(repo.store.create(other, await repo.ident(), events(), [{ ref: `refs/sessions/${other}/work`, new: head, old: ZERO }])).rejects.toMatchObject({ code: 'contention' });
    expect(refsSnapshot(dir)).toBe(before);
  });

  it('reports damaged stored data as damaged (exit 1), not as bad input or a crash', async () => {
    const dir = makeRepo();
    const repo = openRepo(dir);
    const { summary } = await startSession(repo, { goal: 'to be damaged' });
    const objects = new ObjectStore(join(dir, '.git'));
    const blob = await objects.writeText('{not json\n');
    const tree = await objects.writeTree([{ mode: '100644', path: 'session.json', oid: blob, type: 'blob' }]);
    const commit = await objects.writeCommit({ tree, parent: [], message: 'broken\n', author: await repo.ident() });
    git(dir, 'update-ref', `refs/sessions/${summary.id}/meta`, commit);
    const e = await repo.store.readSummary(summary.id).catch((x) => x);
    expect(e).toMatchObject({ code: 'damaged' });
    expect(exitCode(e.code)).toBe(1);
    await expect(objects.readText(tree)).rejects.toMatchObject({ code: 'damaged' });
    await expect(objects.readText('1'.repeat(40))).rejects.toMatchObject({ code: 'damaged' });
    // Listing skips the damaged session instead of failing.
    expect((await cli(dir, ['list', '--json'])).json().sessions).toEqual([]);
  });
});
