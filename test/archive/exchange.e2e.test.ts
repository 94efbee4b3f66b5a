// Issue 12 across clones (a real `git daemon`): archiving travels as shards, the remote
// keeps refs only for what its archive does not hold whole, two clones archiving at once
// merge as a union, and a remote's ref that disappears is accepted only when its archive
// holds the session with every event (SPEC "Authority").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/core/layout.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { blob, commit, eventsAt, metaCommit, setRef, summaryOf, tree } from '../support/hostile.js';
import { cli, git, makeRepo } from '../support/repo.js';

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon?.stop());

const refsUnder = (dir: string, prefix = 'refs/sessions/') => git(dir, 'for-each-ref', '--format=%(refname)', prefix).split('\n').filter(Boolean);
const ok = async (dir: string, args: string[]) => {
  const r = await cli(dir, [...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
};

/** A clone of `url` with sessions adopted, publishing to origin, archiving at once. */
async function clone(url: string, first = false) {
  const dir = makeRepo();
  git(dir, 'remote', 'add', 'origin', url);
  if (first) git(dir, 'push', '-q', 'origin', 'main');
  else {
    git(dir, 'fetch', '-q', 'origin');
    git(dir, 'reset', '-q', '--hard', 'origin/main');
  }
  await ok(dir, ['init', '--publish', 'push']);
  git(dir, 'config', 'session.archiveAfter', '0');
  return dir;
}

/** Closed sessions made in `dir`: abandoned right away, one note each. */
async function closed(dir: string, n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = (await ok(dir, ['start', `${tag} ${i}`])).id as string;
    await ok(dir, ['record', 'note', `${tag} note ${i}`]);
    await ok(dir, ['abandon', id]);
    ids.push(id);
  }
  return ids;
}

describe('archives between clones', () => {
  it('a clone archiving and pushing leaves the remote with its shard only; another clone holding nothing more follows', async () => {
    const url = daemon.remote('follow');
    const a = await clone(url, true);
    const ids = await closed(a, 3, 'shared');
    await ok(a, ['push']);
    const b = await clone(url);
    expect((await ok(b, ['pull'])).created).toHaveLength(3);
    // b has one session with an event the remote does not have yet.
    await ok(b, ['record', 'feedback', 'only in b', '--session', ids[0]]);

    expect((await ok(a, ['gc'])).archived).toHaveLength(3);
    const pushed = await ok(a, ['push']);
    expect(pushed.shards).toEqual([shardOf(ids[0])]);
    expect(pushed.pruned.sort()).toEqual([...ids].sort());
    expect(refsUnder(daemon.dir('follow'))).toEqual([`refs/sessions/archive/${shardOf(ids[0])}`]);

    const pulled = await ok(b, ['pull']);
    expect(pulled.archived.sort()).toEqual([ids[1], ids[2]].sort());
    // The session with more events than the archive holds keeps its refs.
    expect(refsUnder(b).filter((r) => !r.includes('/archive/'))).toEqual([`refs/sessions/${ids[0]}/meta`]);
    for (const id of ids) expect((await ok(b, ['show', id])).session.events).toBeGreaterThan(2);
    // Its push brings it back on the remote, and a's pull back to a's refs.
    await ok(b, ['push']);
    expect(refsUnder(daemon.dir('follow'))).toContain(`refs/sessions/${ids[0]}/meta`);
    const back = await ok(a, ['pull']);
    expect(back.fastForwarded).toEqual([ids[0]]);
    expect((await ok(a, ['log', ids[0]])).events.at(-1).text).toBe('only in b');
    expect(git(a, 'fsck', '--no-dangling', '--no-progress')).toBe('');
  });

  it('two clones archiving at once merge their shards as a union, the same session too', async () => {
    const url = daemon.remote('union');
    const a = await clone(url, true);
    const both = await closed(a, 1, 'both');
    await ok(a, ['push']);
    const b = await clone(url);
    await ok(b, ['pull']);
    const onlyA = await closed(a, 2, 'a');
    const onlyB = await closed(b, 2, 'b');
    await ok(a, ['record', 'note', 'a saw it', '--session', both[0]]);
    await ok(b, ['record', 'note', 'b saw it', '--session', both[0]]);
    await ok(a, ['gc']);
    await ok(b, ['gc']);
    await ok(a, ['push']);
    const pb = await ok(b, ['push']); // rejected, pulls a's shard, merges, pushes again
    expect(pb.retried).toBe(true);
    await ok(a, ['pull']);
    for (const dir of [a, b]) {
      expect(refsUnder(dir).filter((r) => !r.includes('/archive/'))).toEqual([]);
      for (const id of [...onlyA, ...onlyB]) expect((await ok(dir, ['show', id])).archived).toBe(shardOf(id));
      const notes = (await ok(dir, ['log', both[0]])).events.filter((e: any) => e.kind === 'note').map((e: any) => e.text);
      expect(notes).toEqual(expect.arrayContaining(['both note 0', 'a saw it', 'b saw it']));
      expect(git(dir, 'rev-parse', `refs/sessions/archive/${shardOf(both[0])}`)).toBe(git(b, 'rev-parse', `refs/sessions/archive/${shardOf(both[0])}`));
      const listed = (await ok(dir, ['list'])).sessions.map((s: { id: string }) => s.id).sort();
      expect(listed).toEqual([...both, ...onlyA, ...onlyB].sort());
      git(dir, 'gc', '-q', '--prune=now');
      expect(git(dir, 'fsck', '--no-dangling', '--no-progress')).toBe('');
    }
  });

  it('a session whose remote refs vanish stays here unless the remote archive holds every event of it', async () => {
    const url = daemon.remote('vanish');
    const bare = daemon.dir('vanish');
    const a = await clone(url, true);
    const [gone, forged] = await closed(a, 2, 'v');
    await ok(a, ['push']);
    const b = await clone(url);
    await ok(b, ['pull']);
    // The remote drops both sessions' refs; its archive gets a copy of `forged` that lost events.
    const tip = git(bare, 'rev-parse', `refs/sessions/${forged}/meta`);
    const events = eventsAt(bare, tip);
    const start = events[0];
    const fewer = metaCommit(bare, [start], summaryOf(forged, start, 1), [tip]);
    const fan = forged.slice(10, 12);
    const line = JSON.stringify({ id: forged, meta: fewer, summary: summaryOf(forged, start, 1) });
    const shardTree = tree(bare, {
      catalog: ['040000', tree(bare, { [`${forged[10]}.jsonl`]: ['100644', blob(bare, line + '\n')] })],
      [fan]: ['040000', tree(bare, { [forged]: ['040000', git(bare, 'rev-parse', `${fewer}^{tree}`)] })],
    });
    setRef(bare, `refs/sessions/archive/${shardOf(forged)}`, commit(bare, shardTree, [fewer]));
    git(bare, 'update-ref', '-d', `refs/sessions/${gone}/meta`);
    git(bare, 'update-ref', '-d', `refs/sessions/${forged}/meta`);

    const r = await cli(b, ['pull', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json().archived).toEqual([]);
    expect(r.json().refused).toEqual([{ id: forged, reason: expect.stringMatching(/drops 2 events/) }]);
    expect(refsUnder(b).filter((x) => !x.includes('/archive/')).sort()).toEqual([`refs/sessions/${forged}/meta`, `refs/sessions/${gone}/meta`].sort());
    for (const id of [gone, forged]) expect((await ok(b, ['show', id])).session.events).toBe(3);
  });
});
