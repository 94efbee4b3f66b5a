// The local archive catalog follows the summary schema: rows written under another row
// tag (an older or newer git-session) are read again from the shards, never dropped from
// `list` until a shard happens to move.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withIndexDb } from '../../src/cache/db.js';
import { ROW_TAG } from '../../src/cache/catalog.js';
import { cli, git, makeRepo } from '../support/repo.js';

describe('archive catalog rows of another schema', () => {
  it('are read again from the shards', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'Try b', '--json'])).json().id as string;
    expect((await cli(dir, ['abandon', id])).code).toBe(0);
    git(dir, 'config', 'session.archiveAfter', '0');
    expect((await cli(dir, ['gc'])).code).toBe(0);
    const listed = async () => (await cli(dir, ['list', '--json'])).json().sessions.map((s: { id: string; state: string }) => [s.id, s.state]);
    expect(await listed()).toEqual([[id, 'abandoned']]);
    // What a git-session with another row tag left in the cache.
    await withIndexDb(join(dir, '.git'), async (db) => {
      const rows = db.sublevel<string, string>('archived', { valueEncoding: 'utf8' });
      const old = await rows.iterator().all();
      expect(old.map(([k]) => k)).toEqual([id]);
      for (const [k, v] of old) await rows.put(k, v.slice(0, 40) + 'x0' + v.slice(40 + ROW_TAG.length));
      await db.sublevel<string, string>('archive-state', { valueEncoding: 'utf8' }).put('tag', 'x0');
    });
    expect(await listed()).toEqual([[id, 'abandoned']]);
    expect((await cli(dir, ['list', '--state', 'abandoned'])).stdout).toContain('Try b');
  });
});
