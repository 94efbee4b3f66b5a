// Issue 12: closed sessions folded into the archive read exactly as before (ids, show,
// log, list, why, export --notes), lose nothing to `git gc --prune=now`, come back to
// their refs on new activity, and `gc --dry-run` writes nothing.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { cli, git, makeRepo, refsSnapshot } from '../support/repo.js';
import { sessionWith } from '../support/sessions.js';
import { reason } from '../bridges/helpers.js';

const sessionRefs = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname)', 'refs/sessions/').split('\n').filter(Boolean);
const json = async (dir: string, args: string[]) => {
  const r = await cli(dir, [...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
};

/** A repository with a landed, an abandoned, an open and a private closed session. */
async function fourSessions() {
  const dir = makeRepo();
  const landed = await sessionWith(dir, 'Add a', { 'a.txt': 'a\n' });
  await reason(dir, landed.id, 'add a file named a', 'plain text');
  expect((await cli(dir, ['land', landed.id])).code).toBe(0);
  const abandoned = (await json(dir, ['start', 'Try b'])).id as string;
  await cli(dir, ['record', 'note', 'b is not needed']);
  expect((await cli(dir, ['abandon', abandoned])).code).toBe(0);
  const secret = (await json(dir, ['start', 'Private c'])).id as string;
  expect((await cli(dir, ['private', secret])).code).toBe(0);
  expect((await cli(dir, ['abandon', secret])).code).toBe(0);
  const open = (await json(dir, ['start', 'Still open'])).id as string;
  git(dir, 'config', 'session.archiveAfter', '0');
  return { dir, landed: landed.id, abandoned, secret, open };
}

describe('git session gc', () => {
  it('archives closed sessions, which read the same from the archive, and loses nothing to git gc', async () => {
    const { dir, landed, abandoned, secret, open } = await fourSessions();
    const before = {
      list: (await json(dir, ['list'])).sessions,
      show: await json(dir, ['show', landed]),
      log: await json(dir, ['log', abandoned]),
      why: await json(dir, ['why', 'a.txt:1']),
    };
    const snap = refsSnapshot(dir);
    const dry = await json(dir, ['gc', '--dry-run']);
    expect(dry.archived.map((a: { id: string }) => a.id).sort()).toEqual([landed, abandoned].sort());
    expect(dry.kept).toEqual({ open: 1, private: 1 });
    expect(refsSnapshot(dir)).toBe(snap);

    const r = await json(dir, ['gc']);
    expect(r.archived).toHaveLength(2);
    const refs = sessionRefs(dir);
    expect(refs.some((ref) => ref.includes(landed) || ref.includes(abandoned))).toBe(false);
    expect(refs.filter((ref) => ref.startsWith('refs/sessions/archive/'))).toEqual(['refs/sessions/archive/2026-03']);
    expect(refs.some((ref) => ref.includes(open))).toBe(true);
    expect(refs.some((ref) => ref.includes(secret))).toBe(true);
    // The shard is plain JSON in a fan-out tree, readable with git show.
    const bucket = git(dir, 'show', `refs/sessions/archive/2026-03:catalog/${landed.slice(10, 11)}.jsonl`);
    expect(bucket).toContain(`"id":"${landed}"`);
    expect(git(dir, 'show', `refs/sessions/archive/2026-03:${landed.slice(10, 12)}/${landed}/session.json`)).toContain('"state": "landed"');

    git(dir, 'gc', '-q', '--prune=now');
    expect(git(dir, 'fsck', '--no-dangling', '--no-progress')).toBe('');
    const after = {
      list: (await json(dir, ['list'])).sessions,
      show: await json(dir, ['show', landed.slice(0, 12)]),
      log: await json(dir, ['log', abandoned]),
      why: await json(dir, ['why', 'a.txt:1']),
    };
    expect(after.list).toEqual(before.list);
    expect(after.show).toEqual({ ...before.show, archived: '2026-03' });
    expect(after.log).toEqual(before.log);
    expect(after.why).toEqual(before.why);
    expect((await cli(dir, ['show', landed])).stdout).toContain('archived: refs/sessions/archive/2026-03');
    // Landed reasoning as notes covers archived sessions.
    const notes = await json(dir, ['export', '--notes']);
    expect(notes).toMatchObject({ written: 1, sessions: 1 });
    expect(git(dir, 'log', '--notes=sessions', '-1', '--format=%N', 'main')).toContain(`Session: ${landed}`);
  });

  it('feeds the terminal browser the same for archived sessions: list, timeline, files, diff, search', async () => {
    const { dir, landed } = await fourSessions();
    const repo = Repo.open({ cwd: dir, clock: () => Date.now(), env: process.env });
    const before = browseData(repo);
    const view = { list: await before.listSessions(), events: await before.loadEvents(landed), files: await before.changedFiles(landed), diff: await before.fileDiff(landed, 'a.txt'), hits: await before.search('file named a') };
    await json(dir, ['gc']);
    const after = browseData(Repo.open({ cwd: dir, clock: () => Date.now(), env: process.env }));
    expect(await after.listSessions()).toEqual(view.list);
    expect(await after.loadEvents(landed)).toEqual(view.events);
    expect(await after.changedFiles(landed)).toEqual(view.files);
    expect(await after.fileDiff(landed, 'a.txt')).toBe(view.diff);
    expect(await after.search('file named a')).toEqual(view.hits);
    expect(view.hits.has(landed)).toBe(true);
  });

  it('brings an archived session back to its refs on activity, and archives the newer copy after', async () => {
    const { dir, abandoned } = await fourSessions();
    await json(dir, ['gc']);
    const bucket = git(dir, 'show', `refs/sessions/archive/2026-03:catalog/${abandoned.slice(10, 11)}.jsonl`);
    const meta = JSON.parse(bucket.split('\n').find((l) => l.includes(abandoned))!).meta as string;
    expect((await cli(dir, ['record', 'feedback', 'looked again', '--session', abandoned])).code).toBe(0);
    const tip = git(dir, 'rev-parse', `refs/sessions/${abandoned}/meta`);
    expect(git(dir, 'rev-parse', `${tip}^`)).toBe(meta);
    expect((await json(dir, ['log', abandoned])).events.at(-1).text).toBe('looked again');
    expect((await json(dir, ['gc'])).archived.map((a: { id: string }) => a.id)).toEqual([abandoned]);
    expect(sessionRefs(dir).some((r) => r.includes(abandoned))).toBe(false);
    expect((await json(dir, ['log', abandoned])).events.at(-1).text).toBe('looked again');
    expect(git(dir, 'fsck', '--no-dangling', '--no-progress')).toBe('');
  });

  it('takes a session made private after archiving out of an archive no remote has', async () => {
    const { dir, abandoned, landed } = await fourSessions();
    await json(dir, ['gc']);
    const r = await json(dir, ['private', abandoned]);
    expect(r).toMatchObject({ private: true, changed: true, archived: 'withdrawn' });
    const all = git(dir, 'log', '--format=%T', 'refs/sessions/archive/2026-03');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'refs/sessions/archive/2026-03')).not.toContain(abandoned);
    for (const tree of all.split('\n')) expect(git(dir, 'ls-tree', '-r', '--name-only', tree)).not.toContain(abandoned);
    expect((await json(dir, ['show', landed])).archived).toBe('2026-03');
    expect((await json(dir, ['show', abandoned])).session.private).toBe(true);
    git(dir, 'gc', '-q', '--prune=now');
    expect(git(dir, 'fsck', '--no-dangling', '--no-progress')).toBe('');
    expect((await json(dir, ['log', landed])).events.length).toBeGreaterThan(1);
  });

  it('lists an archived entry whose summary is damaged as damaged; every other session reads', async () => {
    const { dir, landed, abandoned } = await fourSessions();
    await json(dir, ['gc']);
    const shard = 'refs/sessions/archive/2026-03';
    const path = `catalog/${abandoned[10]}.jsonl`;
    const text = git(dir, 'show', `${shard}:${path}`).split('\n');
    const bad = text.map((l) => (l.includes(abandoned) ? l.replace('"state":"abandoned"', '"state":"exploded"') : l)).join('\n') + '\nnot json at all\n';
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: bad, encoding: 'utf8' }).trim();
    const idx = join(dir, '.git', 'tmp-index');
    const env = { ...process.env, GIT_INDEX_FILE: idx };
    execFileSync('git', ['read-tree', shard], { cwd: dir, env });
    execFileSync('git', ['update-index', '--cacheinfo', `100644,${blob},${path}`], { cwd: dir, env });
    const tree = execFileSync('git', ['write-tree'], { cwd: dir, env, encoding: 'utf8' }).trim();
    git(dir, 'update-ref', shard, git(dir, 'commit-tree', tree, '-p', shard, '-m', 'tampered'));
    const list = await json(dir, ['list']);
    expect(list.damaged.map((d: { id: string }) => d.id)).toEqual([abandoned]);
    expect(list.damaged[0].reason).toMatch(/archive: session.json: state/);
    expect(list.sessions.map((x: { id: string }) => x.id)).toContain(landed);
    const show = await cli(dir, ['show', abandoned]);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('damaged');
    expect((await cli(dir, ['show', landed])).code).toBe(0);
  });

  it('refuses a session.archiveAfter that is not a duration, writing nothing', async () => {
    const { dir } = await fourSessions();
    git(dir, 'config', 'session.archiveAfter', 'soon');
    const snap = refsSnapshot(dir);
    const r = await cli(dir, ['gc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('session.archiveAfter');
    expect(refsSnapshot(dir)).toBe(snap);
  });

  it('keeps sessions that are not quiet long enough (the default is a day)', async () => {
    const { dir } = await fourSessions();
    git(dir, 'config', '--unset', 'session.archiveAfter');
    const r = await json(dir, ['gc', '--dry-run']);
    expect(r.after).toBe('1d');
    expect(r.archived).toEqual([]);
    expect(r.kept).toMatchObject({ recent: 2 });
  });
});

describe('list', () => {
  it('prints the newest page and says how many more; --all and --json list every one', async () => {
    const dir = makeRepo();
    for (let i = 0; i < 55; i++) expect((await cli(dir, ['start', `goal ${i}`])).code).toBe(0);
    const page = await cli(dir, ['list']);
    const lines = page.stdout.trim().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toContain('goal 54');
    expect(lines[50]).toBe('… 5 more (git session list --all)');
    expect((await cli(dir, ['list', '--all'])).stdout.trim().split('\n')).toHaveLength(55);
    expect((await json(dir, ['list'])).sessions).toHaveLength(55);
  });
});

describe('large events', () => {
  it('keep every chunk within its limit: long strings are stored apart, shown by prefix, whole with --full', async () => {
    const dir = makeRepo();
    const id = (await json(dir, ['start', 'big output'])).id as string;
    const big = Array.from({ length: 40_000 }, (_, i) => `line ${i} of a long tool output`).join('\n');
    expect((await cli(dir, ['record', 'message', '--role', 'tool', '-'], { stdin: big })).code).toBe(0);
    expect((await cli(dir, ['record', 'note', 'after'])).code).toBe(0);
    const files = git(dir, 'ls-tree', '-r', '-l', `refs/sessions/${id}/meta`).split('\n');
    for (const f of files.filter((l) => l.includes('events/'))) expect(Number(f.split(/\s+/)[3])).toBeLessThanOrEqual(64 * 1024);
    const stored = files.find((l) => l.includes('large/'))!;
    expect(Number(stored.split(/\s+/)[3])).toBe(Buffer.byteLength(big));
    const log = await cli(dir, ['log']);
    expect(log.stdout).toContain('line 0 of a long tool output');
    expect(log.stdout).not.toContain('line 39999');
    expect(log.stdout).toMatch(/bytes in all: git cat-file blob [0-9a-f]{40}/);
    const full = await json(dir, ['log', '--full']);
    expect(full.events[1].text).toBe(big);
    expect(full.events[1].large).toBeUndefined();
    const exact = await json(dir, ['log']);
    expect(exact.events[1].large[0]).toMatchObject({ path: '/text', bytes: Buffer.byteLength(big) });
    git(dir, 'gc', '-q', '--prune=now');
    expect((await json(dir, ['log', '--full'])).events[1].text).toBe(big);
  });
});
