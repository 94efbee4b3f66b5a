import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';

/** Outcome of a three-way merge done by git without a worktree. */
export interface MergeOutcome {
  clean: boolean;
  /** The merged tree (with conflict markers when not clean). */
  tree: string;
  /** Conflicted paths, as the repository names them. */
  conflicts: string[];
  /** git's own CONFLICT lines, for people. */
  messages: string[];
}

/**
 * Three-way merge of two commits with `git merge-tree --write-tree` (git ≥ 2.38): git's
 * real merge machinery (renames, file/directory clashes, overlapping lines), no
 * worktree or index touched. The merge base is the commits' merge base.
 */
export async function mergeCommits(cwd: string, ours: string, theirs: string): Promise<MergeOutcome> {
  const r = await runGit(['merge-tree', '--write-tree', '--name-only', ours, theirs], { cwd, allowFail: true });
  if (r.code !== 0 && r.code !== 1) {
    throw new GsError('git-failed', `git merge-tree failed: ${r.stderr.trim().split('\n').pop()}`);
  }
  const [head, rest = ''] = splitOnce(r.stdout, '\n\n');
  const lines = head.split('\n');
  const tree = lines[0].trim();
  // A file/directory clash renames one side to `path~<commit>`: report the real path.
  const conflicts = [...new Set(lines.slice(1).filter(Boolean).map((p) => p.replace(new RegExp(`~(${ours}|${theirs})$`), '')))];
  const messages = rest.split('\n').filter((l) => l.startsWith('CONFLICT'));
  return { clean: r.code === 0, tree, conflicts, messages };
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}
