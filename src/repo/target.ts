import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { checkRefName } from '../core/validate.js';
import type { Repo } from './repo.js';

/** Full ref name of a target branch. */
export function branchRef(target: string): string {
  return target.startsWith('refs/') ? target : `refs/heads/${target}`;
}

/** The branch HEAD of this worktree points at, or undefined when detached. */
export function currentBranch(repo: Repo): string | undefined {
  const head = readFileSync(join(repo.paths.gitDir, 'HEAD'), 'utf8').trim();
  const m = /^ref: refs\/heads\/(.+)$/.exec(head);
  return m ? m[1] : undefined;
}

/** A target branch as a command names it: short name, full ref and its tip. */
export interface Target {
  target: string;
  ref: string;
  tip: string;
}

/**
 * The branch a command works against: `onto` (validated), else the current branch; exit
 * 2 when HEAD is detached and no branch was named, or the branch has no commits.
 */
export async function resolveTarget(repo: Repo, onto?: string): Promise<Target> {
  const target = onto !== undefined ? checkRefName(onto) : currentBranch(repo);
  if (!target) throw new GsError('detached-head', 'HEAD is detached: say which branch to use with --onto <branch>');
  const ref = branchRef(target);
  const tip = await repo.store.objects.resolve(ref);
  if (!tip) throw new GsError('unknown-ref', `no branch '${target}' with commits`);
  return { target, ref, tip };
}
