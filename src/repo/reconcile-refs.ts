// The refs reconcile walks and reads: a branch and each remote's copy of it, an exported
// branch's tips, the branches walked when none is named, the floor of a first walk.
import type { SessionSummary } from '../core/types.js';
import { runGit } from '../git/exec.js';
import { listRefs } from '../git/refs.js';
import { remotes } from './remotes.js';
import type { Repo } from './repo.js';
import { currentBranch } from './target.js';

/** The refs a branch is found through: the local branch and each remote's copy of it, with their tips. */
export type RefsOf = (branch: string) => Promise<Map<string, string>>;

/** A RefsOf reading the remotes and their tracking refs once. */
export async function refsReader(repo: Repo): Promise<RefsOf> {
  const names = await remotes(repo);
  const tracking = listRefs(repo.paths.commonDir, 'refs/remotes/');
  return async (branch) => {
    const out = new Map<string, string>();
    const local = await repo.store.objects.resolve(`refs/heads/${branch}`);
    if (local) out.set(`refs/heads/${branch}`, local);
    for (const r of names) {
      const v = tracking.get(`refs/remotes/${r}/${branch}`);
      if (v) out.set(`refs/remotes/${r}/${branch}`, v);
    }
    return out;
  };
}

/** The branches a run walks when none is named: the open sessions' targets, else the current branch. */
export function defaultBranches(repo: Repo, open: SessionSummary[]): string[] {
  const targets = [...new Set(open.map((s) => s.target))];
  const here = currentBranch(repo);
  return targets.length || !here ? targets : [here];
}

/** A commit every given commit descends from (their octopus merge base), if they share one. */
export async function floorOf(repo: Repo, commits: string[]): Promise<string | undefined> {
  const unique = [...new Set(commits)];
  if (unique.length <= 1) return unique[0];
  const r = await runGit(['merge-base', '--octopus', ...unique], { cwd: repo.cwd, allowFail: true });
  return r.code === 0 ? r.stdout.trim().split('\n')[0] || undefined : undefined;
}

/** The tips of a session's exported branch as the refs show them now (the local branch, each remote's copy). */
export async function branchTips(refsOf: RefsOf, s: SessionSummary): Promise<string[]> {
  return s.exported ? [...(await refsOf(s.exported.branch)).values()] : [];
}
