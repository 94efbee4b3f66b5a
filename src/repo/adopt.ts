import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withIndexDb } from '../cache/db.js';
import { installHooks } from './hooks.js';
import { refreshLinks } from './links.js';
import { policyKey, readPolicy, type SessionsPolicy, writePolicy } from './publish.js';
import { addRefspecs, remotes } from './remotes.js';
import type { Repo } from './repo.js';

/** What `init` did (empty `changed` on a second run). */
export interface InitResult {
  changed: string[];
  index: string;
  /** Each remote's publishing choice after init. */
  publish: Record<string, SessionsPolicy>;
}

/** Asks the user for a remote's publishing choice (undefined when nobody can be asked). */
export type ChoosePolicy = (remote: string) => Promise<SessionsPolicy | undefined>;

/**
 * Adopts sessions in a repository: the sessions fetch refspec on every remote, each
 * remote's publishing choice (asked through `choose`; `never` when nobody can be asked),
 * the git hooks (chaining whatever ran before), and the local index. Idempotent.
 */
export async function initRepo(repo: Repo, choose: ChoosePolicy = async () => undefined): Promise<InitResult> {
  const changed: string[] = [];
  const index = join(repo.localDir, 'index');
  if (!existsSync(index)) changed.push('created the local index');
  await mkdir(repo.localDir, { recursive: true });
  await withIndexDb(repo.paths.commonDir, async () => undefined);
  changed.push(...(await addRefspecs(repo)));
  const publish: Record<string, SessionsPolicy> = {};
  for (const r of await remotes(repo)) {
    const had = await readPolicy(repo, r);
    if (had) {
      publish[r] = had;
      continue;
    }
    const p = (await choose(r)) ?? 'never';
    await writePolicy(repo, r, p);
    publish[r] = p;
    changed.push(`set ${policyKey(r)} = ${p}`);
  }
  const hook = await installHooks(repo);
  if (hook) changed.push(hook);
  // The commits sessions are linked to, which the post-rewrite and post-commit hooks follow.
  await refreshLinks(repo);
  return { changed, index, publish };
}
