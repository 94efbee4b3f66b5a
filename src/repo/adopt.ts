import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withIndexDb } from '../index/db.js';
import type { Repo } from './repo.js';

/** What `init` did (empty `changed` on a second run). */
export interface InitResult {
  changed: string[];
  index: string;
}

/** Adopts sessions in a repository: local state dir and index. Idempotent. */
export async function initRepo(repo: Repo): Promise<InitResult> {
  const changed: string[] = [];
  const index = join(repo.localDir, 'index');
  if (!existsSync(index)) changed.push('created the local index');
  await mkdir(repo.localDir, { recursive: true });
  await withIndexDb(repo.paths.commonDir, async () => undefined);
  return { changed, index };
}
