// Issue 8: `land` killed with SIGKILL at any of its git calls, then run again, loses
// nothing: every change on the target before the landing is on it after, the session's
// own changes are there exactly once, and its checkout ends clean at the new tip.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, makeRepo, spawnBin, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { GitKiller } from '../support/killer.js';

const killer = new GitKiller();
afterAll(() => killer.dispose());

type Files = Record<string, string>;

/** Every file of a commit (single-line files: their one line). */
function treeFiles(dir: string, rev: string): Files {
  const out: Files = {};
  for (const p of git(dir, 'ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean)) out[p] = git(dir, 'show', `${rev}:${p}`);
  return out;
}

/** A plain commit on main made elsewhere (as a push would): the branch moves under any checkout of it. */
function pushedCommit(dir: string, path: string, text: string): void {
  const index = join(dir, '.git', `push-index-${Math.random().toString(36).slice(2)}`);
  const env = { ...process.env, GIT_INDEX_FILE: index };
  const run = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', input: '' }).trim();
  const tip = git(dir, 'rev-parse', 'main');
  run('read-tree', tip);
  const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: `${text}\n`, encoding: 'utf8' }).trim();
  run('update-index', '--add', '--cacheinfo', `100644,${blob},${path}`);
  const commit = run('commit-tree', run('write-tree'), '-p', tip, '-m', `pushed ${path}`);
  git(dir, 'update-ref', 'refs/heads/main', commit, tip);
  rmSync(index, { force: true });
}

function applyEdits(files: Files, top: string, edits: { path: string; text: string | null }[]): void {
  for (const e of edits) {
    if (e.text === null) {
      rmSync(join(top, e.path), { force: true });
      delete files[e.path];
    } else {
      writeFile(top, e.path, `${e.text}\n`);
      files[e.path] = e.text;
    }
  }
}

const edit = fc.record({ path: fc.constantFrom('a', 'b', 'c', 'd/e', 'README.md'), text: fc.option(fc.constantFrom('1', '2'), { nil: null }) });
const pushed = fc.record({ path: fc.constantFrom('a', 'b', 'x', 'y'), text: fc.constantFrom('p', 'q') });
const scenario = fc.record({
  mode: fc.constantFrom('worktree', 'here', 'branch', 'detached'),
  edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
  selfCommit: fc.boolean(),
  during: fc.array(pushed, { maxLength: 2 }),
  more: fc.array(edit, { maxLength: 2 }),
  snapshot: fc.boolean(),
  killAt: fc.integer({ min: 1, max: 36 }),
  when: fc.constantFrom('before' as const, 'after' as const),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function check(sc: Scenario): Promise<void> {
  const dir = makeRepo('gs-kill-');
  for (const p of ['a', 'b', 'c']) writeFile(dir, p, 'init\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'files');
  let top = dir;
  if (sc.mode === 'branch') {
    git(dir, 'checkout', '-q', '-b', 'feat');
    writeFile(dir, 'f', 'feat\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'feat');
  } else if (sc.mode === 'detached') git(dir, 'checkout', '-q', '--detach', 'main~1');
  const start = await cli(dir, ['start', 'property', '--onto', 'main', '--json', ...(sc.mode === 'worktree' ? ['--worktree', ''] : [])]);
  expect(start.code, start.stderr).toBe(0);
  const id: string = start.json().id;
  if (sc.mode === 'worktree') top = start.json().worktree;
  let view = git(top, 'rev-parse', 'HEAD');
  const work = treeFiles(dir, view);
  applyEdits(work, top, sc.edits);
  if (sc.mode === 'here' && sc.selfCommit) {
    // A plain commit on the target from the session's own checkout: part of its view.
    git(top, 'commit', '-q', '-a', '--allow-empty', '-m', 'plain commit from the checkout');
    view = git(top, 'rev-parse', 'HEAD');
  }
  for (const p of sc.during) pushedCommit(dir, p.path, p.text);
  applyEdits(work, top, sc.more);
  if (sc.snapshot) expect((await cli(top, ['snapshot'])).code).toBe(0);
  const viewFiles = treeFiles(dir, view);
  const tip = git(dir, 'rev-parse', 'main');
  const tipFiles = treeFiles(dir, tip);

  const killed = await killer.run(top, ['land'], sc.killAt, sc.when);
  let last = killed;
  for (let i = 0; i < 3 && last.code !== 0 && last.code !== 1 && last.code !== 2; i++) last = await spawnBin(top, ['land', id]);
  const state = (await cli(dir, ['show', id, '--json'])).json().session.state;
  const paths = [...new Set([...Object.keys(viewFiles), ...Object.keys(work), ...Object.keys(tipFiles)])];
  const clash = paths.filter((p) => work[p] !== viewFiles[p] && tipFiles[p] !== viewFiles[p] && work[p] !== tipFiles[p]);
  const want: Files = {};
  for (const p of paths) {
    const v = work[p] !== viewFiles[p] ? work[p] : tipFiles[p];
    if (v !== undefined) want[p] = v;
  }
  if (state !== 'landed') {
    // Only a real conflict, or nothing left to land, stops a landing; the target did not move.
    expect(clash.length > 0 || JSON.stringify(want) === JSON.stringify(tipFiles), `${last.code} ${last.stderr}`).toBe(true);
    // A conflict exits 1; nothing to land exits 1 (or 2 when nothing was ever snapshotted).
    expect(clash.length ? [1] : [1, 2]).toContain(last.code);
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
    return;
  }
  expect(clash).toEqual([]);
  const landed = git(dir, 'rev-parse', 'main');
  if (landed === tip) {
    expect(want).toEqual(tipFiles); // nothing to commit: the work was already there
    return;
  }
  expect(git(dir, 'rev-parse', 'main^')).toBe(tip);
  expect(treeFiles(dir, landed)).toEqual(want);
  expect(git(dir, 'log', '--format=%(trailers:key=Session-Id,valueonly)', 'main').split('\n').filter((l) => l === id)).toHaveLength(1);
  if (sc.mode === 'branch') {
    expect(git(top, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'feat'));
  } else {
    expect(git(top, 'status', '--porcelain', '--untracked-files=all'), `killed at ${sc.killAt} ${sc.when}: ${killed.calls[sc.killAt - 1]}`).toBe('');
    expect(git(top, 'rev-parse', 'HEAD')).toBe(landed);
  }
}

describe('land killed at its git calls', () => {
  it('killed right after its ref transaction, land again finishes the job (8.3)', async () => {
    const setup = async () => {
      const dir = makeRepo();
      writeFile(dir, 'app.py', 'print(1)\n');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'app');
      expect((await cli(dir, ['start', 'edit app'])).code).toBe(0);
      writeFile(dir, 'app.py', 'print(2)\n');
      writeFile(dir, 'new.py', 'new\n');
      return dir;
    };
    const probe = await killer.run(await setup(), ['land']);
    expect(probe.code, probe.stderr).toBe(0);
    const at = probe.calls.map((c) => c.startsWith('update-ref --stdin')).lastIndexOf(true) + 1;
    const dir = await setup();
    await killer.run(dir, ['land'], at, 'after');
    expect(git(dir, 'log', '-1', '--format=%s', 'main')).toBe('edit app');
    expect(git(dir, 'status', '--porcelain')).not.toBe('');
    expect(new Scrub({ repo: dir }).run(await spawnBin(dir, ['land']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "finished landing <id1:12> (landed as <oid1>): its checkout is now at the new tip
        worktree <repo>: held this session's changes: now clean at the new tip
      ",
      }
    `);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('3');
  }, 120_000);

  it('random sessions and plain commits, killed at a random git call of land: nothing on the target is lost', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: Number(process.env.GS_PROPERTY_RUNS ?? 24), endOnFailure: true });
  }, 600_000);
});
