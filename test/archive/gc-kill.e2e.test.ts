// Issue 12: `gc` killed with SIGKILL at any of its git calls (before or after git runs)
// leaves every session readable with every event, from its refs or its shard, and a
// second `gc` finishes the job; nothing is lost to `git gc --prune=now`.
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitKiller } from '../support/killer.js';
import { cli, git, makeRepo, spawnBin } from '../support/repo.js';
import { sessionWith } from '../support/sessions.js';

const killer = new GitKiller();
afterAll(() => killer.dispose());

/** What every session holds: id → its event ids, read through the CLI. */
async function everything(dir: string, ids: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const id of ids) {
    const r = await spawnBin(dir, ['log', id, '--json']);
    expect(r.code, `${id}: ${r.stderr}`).toBe(0);
    out[id] = r.json().events.map((e: { id: string }) => e.id);
  }
  return out;
}

describe('gc killed at any git call', () => {
  it('leaves every session readable, and gc again finishes', async () => {
    const base = makeRepo('gs-gckill-');
    git(base, 'config', 'session.archiveAfter', '0');
    const landed = await sessionWith(base, 'landed work', { 'a.txt': 'a\n' });
    expect((await cli(base, ['land', landed.id])).code).toBe(0);
    const ids = [landed.id];
    for (let i = 0; i < 2; i++) {
      const id = (await cli(base, ['start', `abandoned ${i}`, '--json'])).json().id as string;
      await cli(base, ['record', 'note', `n${i}`]);
      await cli(base, ['abandon', id]);
      ids.push(id);
    }
    // One archived already and brought back with a new event: gc re-archives it over its old entry.
    expect((await cli(base, ['gc'])).code).toBe(0);
    await cli(base, ['record', 'note', 'again', '--session', ids[1]]);
    const third = (await cli(base, ['start', 'abandoned later', '--json'])).json().id as string;
    await cli(base, ['abandon', third]);
    ids.push(third);
    const want = await everything(base, ids);

    const probe = realpathSync(mkdtempSync(join(tmpdir(), 'gs-gckill-probe-')));
    cpSync(base, probe, { recursive: true });
    const calls = (await killer.run(probe, ['gc'])).calls.length;
    expect(calls).toBeGreaterThan(2);
    for (let at = 1; at <= calls; at++) {
      for (const when of ['before', 'after'] as const) {
        const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-gckill-run-')));
        cpSync(base, dir, { recursive: true });
        const r = await killer.run(dir, ['gc'], at, when);
        expect(r.code, `killed at ${at} ${when}`).not.toBe(0);
        expect(await everything(dir, ids)).toEqual(want);
        const again = await spawnBin(dir, ['gc', '--json']);
        expect(again.code, again.stderr).toBe(0);
        expect(git(dir, 'for-each-ref', '--format=%(refname)', 'refs/sessions/').split('\n').filter((x) => !x.includes('/archive/'))).toEqual([]);
        git(dir, 'gc', '-q', '--prune=now');
        expect(git(dir, 'fsck', '--no-dangling', '--no-progress')).toBe('');
        expect(await everything(dir, ids)).toEqual(want);
      }
    }
  });
});
