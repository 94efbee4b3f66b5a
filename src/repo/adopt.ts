import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withIndexDb } from '../cache/db.js';
import { installHook } from './hooks.js';
import { addRefspecs } from './remotes.js';
import type { Repo } from './repo.js';

/** What `init` did (empty `changed` on a second run). */
export interface InitResult {
  changed: string[];
  index: string;
}

/**
 * Adopts sessions in a repository: the sessions fetch refspec on every remote, the
 * pre-push hook (chaining any hook already there), and the local index. Idempotent.
 */
export async function initRepo(repo: Repo): Promise<InitResult> {
  const changed: string[] = [];
  const index = join(repo.localDir, 'index');
  if (!existsSync(index)) changed.push('created the local index');
  await mkdir(repo.localDir, { recursive: true });
  await withIndexDb(repo.paths.commonDir, async () => undefined);
  changed.push(...(await addRefspecs(repo)));
  const hook = await installHook(repo);
  if (hook) changed.push(hook);
  return { changed, index };
}
