// A session's view: the checkout holding its files and the commit those files reflect.
//
// The base of a session is the commit its checkout actually reflects, not whatever the
// target's tip was: `start` takes the checkout's HEAD, and a checkout that moved along
// the target since (a plain commit, merge, pull or checkout made there, so its index
// followed HEAD) moves the base with it. A branch moved *under* a checkout by someone
// else (another landing) leaves the index behind, and the base stays.
import type { SessionSummary } from '../core/types.js';
import { type Head, headOf, indexReflects } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import { isAncestor } from '../git/history.js';
import type { Repo } from './repo.js';
import { sessionWorktree } from './sessions.js';
import { branchRef } from './target.js';

/** The worktree holding a session's files, with its HEAD. */
export interface Checkout {
  top: string;
  gitDir: string;
  head: Head;
}

/** The session's checkout (see sessionWorktree); `explicit` falls back to this worktree. */
export async function checkoutOf(repo: Repo, id: string, explicit = false): Promise<Checkout | undefined> {
  const wt = (await sessionWorktree(repo, id)) ?? (explicit ? { top: repo.top, gitDir: repo.paths.gitDir } : undefined);
  if (!wt) return undefined;
  return { ...wt, head: await headOf(wt.gitDir, repo.paths.commonDir) };
}

// How far back along HEAD's first parents to look for the commit the index reflects.
const WALK = 8;

/**
 * The commit checkout `c` reflects for session `s`: HEAD (or, when HEAD's branch moved
 * on after the checkout did, the newest of HEAD's first-parent ancestors since the base
 * that it does reflect) when that commit is on the target and the index holds its
 * version of every path it changed since the recorded base; otherwise the recorded base.
 * Free when HEAD is the base (the common case: no spawn).
 */
export async function viewBase(repo: Repo, s: SessionSummary, c: Checkout): Promise<string> {
  const head = c.head.commit;
  if (!head || head === s.base || s.state === 'conflicted') return s.base;
  const tip = await repo.store.objects.resolve(branchRef(s.target));
  if (!tip) return s.base;
  const qualifies = async (k: string) => (await isAncestor(repo.cwd, k, tip)) && (await indexReflects(c.top, s.base, k));
  if (await qualifies(head)) return head;
  if (!(await isAncestor(repo.cwd, s.base, head))) return s.base;
  const r = await runGit(['rev-list', '--first-parent', `--max-count=${WALK}`, head, `^${s.base}`, '--'], { cwd: repo.cwd, allowFail: true });
  for (const k of r.stdout.split('\n').filter(Boolean).slice(1)) if (await qualifies(k)) return k;
  return s.base;
}
