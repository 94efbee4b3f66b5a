// src/cache holds the local, always-rebuildable LevelDB under <common-git-dir>/session/index:
// the session catalog (catalog.ts: summaries by id, so `list` need not read every session)
// and the landed-change index (landed.ts: a Bloom-filter tree over each target branch's
// first-parent history). Nothing here is the source of truth, and nothing is shared:
// refs/sessions/ and the branches are; deleting the directory only costs a rebuild.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Level } from 'level';
import { GsError } from '../core/errors.js';

/** The local LevelDB (a cache: rebuildable from refs) under `<common-git-dir>/session/index`. */
export type IndexDb = Level<string, unknown>;

/** Where the index lives for a repository whose common git dir is `commonDir`. */
export function indexPath(commonDir: string): string {
  return join(commonDir, 'session', 'index');
}

/**
 * Opens the index. LevelDB allows one process at a time, so a locked database is
 * retried with jittered back-off for up to `waitMs` (landers and listers queue briefly
 * rather than fail); past that the caller gets a `contention` error.
 */
export async function openIndexDb(commonDir: string, waitMs = 30_000): Promise<IndexDb> {
  const { Level } = await import('level');
  const path = indexPath(commonDir);
  await mkdir(path, { recursive: true });
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    const db = new Level<string, unknown>(path, { valueEncoding: 'json' });
    try {
      await db.open();
      return db;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code !== 'LEVEL_LOCKED' || Date.now() > deadline) {
        if (cause?.code === 'LEVEL_LOCKED') throw new GsError('contention', 'the session index is busy (another git-session holds it); try again');
        throw e;
      }
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 200);
    }
  }
}

/** Runs `fn` with the index open and always closes it, so the lock is held only briefly. */
export async function withIndexDb<T>(commonDir: string, fn: (db: IndexDb) => Promise<T>): Promise<T> {
  const db = await openIndexDb(commonDir);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
