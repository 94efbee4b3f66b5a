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
 * that it does reflect) when HEAD is on the target and the index holds that commit's
 * version of every path it changed since the recorded base; otherwise the recorded
 * base. Free when HEAD is the base (the common case: no spawn).
 */
export async function viewBase(repo: Repo, s: SessionSummary, c: Checkout): Promise<string> {
  const head = c.head.commit;
  if (!head || head === s.base || s.state === 'conflicted') return s.base;
  const tip = await repo.store.objects.resolve(branchRef(s.target));
  if (!tip || !(await isAncestor(repo.cwd, head, tip))) return s.base;
  if (await indexReflects(c.top, s.base, head)) return head;
  if (!(await isAncestor(repo.cwd, s.base, head))) return s.base;
  // One walk gives the older candidates and the paths each changed since the base.
  const log = await runGit(['log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--name-only', '-z', '--format=%x01%H', `--max-count=${WALK}`, head, `^${s.base}`, '--'], { cwd: repo.cwd, allowFail: true });
  const commits = log.stdout.split('\x01').filter(Boolean).map((rec) => {
    const [oid, ...paths] = rec.split(/[\n\0]/).filter(Boolean);
    return { oid, paths };
  });
  // A cheap filter (the paths of the walked commits below each candidate), then the exact
  // test for the one that passes: a walk cut short can only let too many through.
  for (let i = 1; i < commits.length; i++) {
    const since = new Set(commits.slice(i).flatMap((x) => x.paths));
    const r = await runGit(['diff-index', '--cached', '--no-renames', '--name-only', '-z', commits[i].oid, '--'], { cwd: c.top, allowFail: true });
    if (r.code !== 0 || r.stdout.split('\0').some((p) => p && since.has(p))) continue;
    if (await indexReflects(c.top, s.base, commits[i].oid)) return commits[i].oid;
  }
  return s.base;
}
