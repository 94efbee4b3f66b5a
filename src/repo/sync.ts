import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { workRef } from '../core/layout.js';
import { runGit } from '../git/exec.js';
import { mergeCommits } from '../git/merge.js';
import { treeOf } from '../git/snapshot.js';
import { moveWorktree } from '../git/worktrees.js';
import { branchRef } from './target.js';
import type { Repo } from './repo.js';
import { requireOpen, sessionWorktree } from './sessions.js';
import { snapshot } from './work.js';
import { shortOid } from '../core/text.js';

/** What `sync` did. */
export interface SyncResult {
  session: string;
  from: string;
  to: string;
  work: string | null;
  changed: boolean;
  conflicts: string[];
  worktreeUpdated: boolean;
}

/**
 * Moves the session's base to the target's tip, rebasing its work with git's three-way
 * merge: the new work commit has the tip as first parent (the new base) and the old
 * work as second, so no earlier work commit becomes unreachable. The session's worktree
 * is brought along. A conflict records a `conflict` event and exits 1; nothing moves.
 */
export async function syncSession(repo: Repo, id: string): Promise<SyncResult> {
  await snapshot(repo, id);
  const ident = await repo.ident();
  let r: SyncResult | undefined;
  let oldWork: string | undefined;
  await repo.store.append(id, ident, async (cur) => {
    requireOpen(cur);
    const tip = await repo.store.objects.resolve(branchRef(cur.target));
    if (!tip) throw new GsError('unknown-ref', `no branch '${cur.target}'`);
    oldWork = await repo.store.workTip(id);
    r = { session: id, from: cur.base, to: tip, work: oldWork ?? null, changed: false, conflicts: [], worktreeUpdated: false };
    if (tip === cur.base) return { events: [] };
    if (!oldWork) {
      r.changed = true;
      return { events: [repo.event({ kind: 'sync', from: cur.base, to: tip })] };
    }
    const merge = await mergeCommits(repo.cwd, tip, oldWork);
    if (!merge.clean) {
      r.conflicts = merge.conflicts;
      return { events: [repo.event({ kind: 'conflict', files: merge.conflicts, commits: [tip], during: 'sync', detail: merge.messages.join('\n') })] };
    }
    const work = await repo.store.objects.writeCommit({
      tree: merge.tree,
      parent: [tip, oldWork],
      message: `sync: rebase onto ${shortOid(tip)}\n\nSession-Id: ${id}\n`,
      author: ident,
    });
    r.work = work;
    r.changed = true;
    return {
      events: [repo.event({ kind: 'sync', from: cur.base, to: tip, work })],
      updates: [{ ref: workRef(id), new: work, old: oldWork }],
    };
  });
  const res = r!;
  if (res.conflicts.length) throw new GsError('conflict', `cannot sync ${shortId(id)} onto ${shortOid(res.to)}: conflict in ${res.conflicts.join(', ')}`, res);
  if (res.changed && res.work && oldWork) {
    // The worktree holds the old work (just snapshotted): move its files to the rebased
    // work and its index (and a detached HEAD) to the new base.
    const wt = await sessionWorktree(repo, id);
    if (!wt) return res;
    const [from, to, base] = await Promise.all([treeOf(wt.top, oldWork), treeOf(wt.top, res.work), treeOf(wt.top, res.to)]);
    res.worktreeUpdated = await moveWorktree(wt.top, from, to, base);
    const head = await runGit(['symbolic-ref', '-q', 'HEAD'], { cwd: wt.top, allowFail: true });
    if (res.worktreeUpdated && head.code !== 0) await runGit(['update-ref', '--no-deref', 'HEAD', res.to], { cwd: wt.top });
  }
  return res;
}
