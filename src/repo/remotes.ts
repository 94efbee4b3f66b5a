import { checkRefName } from '../core/validate.js';
import { runGit } from '../git/exec.js';
import type { Repo } from './repo.js';

/** Local namespace where a remote's session refs are fetched (never under refs/sessions/). */
export const TRACKING_PREFIX = 'refs/session-remotes/';

/** A session (by id; '' when the problem has no session) that a pull or push did not move, and why. */
export interface Skipped {
  id: string;
  reason: string;
}

/** Where `remote`'s session refs are tracked: `refs/session-remotes/<remote>/`. */
export function trackingPrefix(remote: string): string {
  return `${TRACKING_PREFIX}${remote}/`;
}

/** Refuses remote names that could escape the ref namespace. */
export function checkRemote(remote: string): string {
  return checkRefName(remote, 'remote');
}

/** Whether commit `a` is an ancestor of (or equal to) `b`; false when either is not a commit here. */
export async function isAncestor(repo: Repo, a: string, b: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', a, b], { cwd: repo.cwd, allowFail: true })).code === 0;
}

/** The fetch refspec that brings a remote's sessions into its tracking namespace. */
export function fetchRefspec(remote: string): string {
  return `+refs/sessions/*:${TRACKING_PREFIX}${remote}/*`;
}

/** Names of the configured remotes. */
export async function remotes(repo: Repo): Promise<string[]> {
  const r = await runGit(['remote'], { cwd: repo.cwd });
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

/** The fetch refspecs configured for `remote`. */
async function fetchSpecs(repo: Repo, remote: string): Promise<string[]> {
  const r = await runGit(['config', '--get-all', `remote.${remote}.fetch`], { cwd: repo.cwd, allowFail: true });
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Adds the sessions fetch refspec to every remote (idempotent). No push refspec is
 * configured on purpose: any `remote.<r>.push` replaces push.default, so plain
 * `git push` would stop pushing the current branch. The pre-push hook and
 * `git session push` carry sessions instead.
 */
export async function addRefspecs(repo: Repo): Promise<string[]> {
  const done: string[] = [];
  for (const r of await remotes(repo)) {
    if ((await fetchSpecs(repo, r)).includes(fetchRefspec(r))) continue;
    await runGit(['config', '--add', `remote.${r}.fetch`, fetchRefspec(r)], { cwd: repo.cwd });
    done.push(`added the sessions fetch refspec to ${r}`);
  }
  return done;
}

/** Removes exactly the refspecs `addRefspecs` added (`dryRun`: only says which). */
export async function removeRefspecs(repo: Repo, dryRun = false): Promise<string[]> {
  const done: string[] = [];
  for (const r of await remotes(repo)) {
    if (!(await fetchSpecs(repo, r)).includes(fetchRefspec(r))) continue;
    const pattern = '^' + fetchRefspec(r).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
    if (!dryRun) await runGit(['config', '--unset-all', `remote.${r}.fetch`, pattern], { cwd: repo.cwd });
    done.push(`removed the sessions fetch refspec from ${r}`);
  }
  return done;
}
