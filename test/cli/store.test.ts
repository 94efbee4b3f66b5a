import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/git/session-store.js';
import { Repo } from '../../src/repo/repo.js';
import { startSession } from '../../src/repo/sessions.js';
import { cli, git, makeRepo } from '../support/repo.js';

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
});
