import { it, expect } from 'vitest';
import { join } from 'node:path';
import { gitHistory } from '../../src/git/history.js';
import { withIndexDb } from '../../src/cache/db.js';
import { LandedIndex } from '../../src/cache/landed.js';
import { git, makeRepo, writeFile, spawnBin } from '../support/repo.js';
it('rebuild via cli after incremental catch-ups in other processes', async () => {
  const dir = makeRepo();
  for (let t = 0; t < 20; t++) { writeFile(dir, `t${t}.txt`, 'x'); git(dir, 'add', '-A'); git(dir, 'commit', '-qm', `c${t}`); if (t % 3 === 0) await spawnBin(dir, ['index', 'stats']); }
  const root = git(dir, 'rev-list', '--max-parents=0', 'main');
  const tip = git(dir, 'rev-parse', 'main');
  const paths = Array.from({ length: 20 }, (_, t) => `t${t}.txt`);
  const q = () => withIndexDb(join(dir, '.git'), async (db) => {
    const idx = await LandedIndex.open(db, 'refs/heads/main');
    await idx.catchUp(tip, gitHistory(dir));
    return idx.query(root, tip, paths);
  });
  const a = await q();
  expect((await spawnBin(dir, ['index', 'rebuild'])).code).toBe(0);
  const b = await q();
  expect(a).toHaveLength(20);
  expect(b).toEqual(a);
});
