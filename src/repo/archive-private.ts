// A session marked private after it was archived: its copy sits in a shard, which is
// shared whole, and its history. While that copy has reached no remote (no remote's
// shard we know of reaches it), the shard's unpublished part is rewritten without it, so
// no later push carries it; once published, a copy stays where it went (privacy is not
// retroactive), and `private` says so.
import { archiveRef, metaRef, shardOf } from '../core/layout.js';
import { areAncestors } from '../git/ancestry.js';
import { writeShard } from '../git/archive.js';
import { withCatFile } from '../git/catfile.js';
import { runGit } from '../git/exec.js';
import { listRefs, transact, withRetry, ZERO } from '../git/refs.js';
import { TRACKING_PREFIX } from './remotes.js';
import type { Repo } from './repo.js';

/** What became of the archived copy of a session just marked private. */
export type ArchivedCopy = 'none' | 'withdrawn' | 'published';

/**
 * Takes session `id` (now private, with refs) out of its shard when no remote has the
 * archived copy: the shard is rebuilt on the remotes' shards it descends from (their tips
 * as parents), with every other entry whose commits only this history held kept as a
 * parent. `published` when a remote's shard already reaches the copy.
 */
export async function withdrawArchived(repo: Repo, id: string): Promise<ArchivedCopy> {
  const shard = shardOf(id);
  return withRetry(async () => {
    repo.store.archive.forget();
    const tip = repo.store.archive.shards().get(shard);
    const entry = tip ? (await repo.store.archive.lookup([id])).get(id) : undefined;
    if (!tip || !entry || !(await repo.store.objects.resolve(metaRef(id)))) return 'none' as const;
    const theirs = [...listRefs(repo.paths.commonDir, TRACKING_PREFIX)].filter(([ref]) => ref.endsWith(`/archive/${shard}`)).map(([, oid]) => oid);
    const reaches = await areAncestors(repo.cwd, theirs.map((t) => [entry.meta, t]));
    if (reaches.some(Boolean)) return 'published' as const;
    const isBase = await areAncestors(repo.cwd, theirs.map((b) => [b, tip]));
    const parents = [...new Set(theirs.filter((_, i) => isBase[i]))];
    const own = new Set((await runGit(['rev-list', tip, ...(parents.length ? ['--not', ...parents] : [])], { cwd: repo.cwd })).stdout.split('\n').filter(Boolean));
    const rest = await repo.store.archive.entries(tip);
    const keep = rest.filter((e) => e.id !== id).flatMap((e) => [e.meta, ...(e.work ? [e.work] : [])]).filter((c) => own.has(c));
    if (!parents.length && rest.every((e) => e.id === id)) {
      // It was the shard's only session: the shard goes (its refs hold the session).
      return (await transact(repo.cwd, [{ ref: archiveRef(shard), new: ZERO, old: tip }])) ? ('withdrawn' as const) : undefined;
    }
    const ident = await repo.ident();
    const next = await withCatFile(repo.cwd, (cf) =>
      writeShard(repo.store.objects, cf, { shard, old: parents[0], base: tip, put: [], remove: [id], keep, merge: parents.slice(1), message: `withdraw a private session from ${shard}` }, ident),
    );
    return (await transact(repo.cwd, [{ ref: archiveRef(shard), new: next, old: tip }])) ? ('withdrawn' as const) : undefined;
  }, `withdrawing ${id} from the archive`);
}
