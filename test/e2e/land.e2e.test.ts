import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gitHistory } from '../../src/git/history.js';
import { withIndexDb } from '../../src/cache/db.js';
import { LandedIndex } from '../../src/cache/landed.js';
import { BIN, HERMETIC, cli, git, makeRepo, spawnBin } from '../support/repo.js';
import { sessionWith } from '../support/sessions.js';

describe('landing under concurrency and crashes', () => {
  it('6 processes landing disjoint sessions at once: all land exactly once, linear history', async () => {
    const dir = makeRepo();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await sessionWith(dir, `session ${i}`, { [`s${i}/file.txt`]: `session ${i}\n` })).id);
    const results = await Promise.all(ids.map((id) => spawnBin(dir, ['land', id, '--json'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const trailers = git(dir, 'log', '--format=%(trailers:key=Session-Id,valueonly)', 'main').split('\n').filter(Boolean);
    expect([...trailers].sort()).toEqual([...ids].sort());
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('7');
    expect(git(dir, 'rev-list', '--count', '--merges', 'main')).toBe('0');
    for (const id of ids) expect((await cli(dir, ['show', id, '--json'])).json().session.state).toBe('landed');
    expect(git(dir, 'ls-tree', '--name-only', 'main').split('\n').sort()).toEqual(['README.md', 's0', 's1', 's2', 's3', 's4', 's5']);
    git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
  }, 240_000);

  it('a lander killed with SIGKILL at random points leaves all or nothing, and land finishes the job (20 trials)', async () => {
    const dir = makeRepo();
    const ids: string[] = [];
    for (let t = 0; t < 20; t++) {
      const { id } = await sessionWith(dir, `trial ${t}`, { [`t${t}.txt`]: `trial ${t}\n` });
      ids.push(id);
      const delay = Math.floor(Math.random() * 450);
      await new Promise<void>((res) => {
        const child = spawn(process.execPath, [BIN, 'land', id], { cwd: dir, env: { PATH: process.env.PATH!, ...HERMETIC }, stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('close', () => {
          clearTimeout(timer);
          res();
        });
      });
      // git children of the killed process may still be finishing their transaction.
      await new Promise((r) => setTimeout(r, 150));
      const onTarget = git(dir, 'log', '--format=%(trailers:key=Session-Id,valueonly)', 'main').includes(id);
      const state = (await cli(dir, ['show', id, '--json'])).json().session.state;
      expect(state).toBe(onTarget ? 'landed' : 'open');
      if (!onTarget) {
        const again = await cli(dir, ['land', id]);
        expect(again.code, again.stderr).toBe(0);
      }
      expect(git(dir, 'log', '--format=%(trailers:key=Session-Id,valueonly)', 'main').split('\n').filter((l) => l === id)).toHaveLength(1);
    }
    expect(git(dir, 'rev-list', '--count', '--merges', 'main')).toBe('0');
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('21');
    // The index answers the same after a rebuild, and finds every trial.
    const root = git(dir, 'rev-list', '--max-parents=0', 'main');
    const tip = git(dir, 'rev-parse', 'main');
    const paths = Array.from({ length: 20 }, (_, t) => `t${t}.txt`);
    const query = () =>
      withIndexDb(join(dir, '.git'), async (db) => {
        const idx = await LandedIndex.open(db, 'refs/heads/main');
        await idx.catchUp(tip, gitHistory(dir));
        return idx.query(root, tip, paths);
      });
    const before = await query();
    expect((await cli(dir, ['index', 'rebuild'])).code).toBe(0);
    const after = await query();
    expect(after).toEqual(before);
    expect(before.map((h) => h.sessionId).sort()).toEqual([...ids].sort());
  }, 600_000);
});
