// The first-parent commits of a branch that reconcile looks at: each with its tree, its
// parents, its whole message (a forge may bury a trailer anywhere in it) and the paths it
// changed against its first parent, in one `git log`.
import { runGit } from './exec.js';

/** One commit of a branch's first-parent history. */
export interface WalkedCommit {
  commit: string;
  parents: string[];
  tree: string;
  message: string;
  /** Paths changed against the first parent (a rename is both of its paths). */
  paths: string[];
}

const HEX = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The first-parent commits reachable from `tips` and not from `exclude`, oldest first,
 * at most `limit` (the newest ones). Merges count as their change against the first
 * parent; root commits are left out (nothing was landed onto them).
 */
export async function walkFirstParent(cwd: string, tips: string[], exclude: string[], limit: number): Promise<WalkedCommit[]> {
  if (!tips.length) return [];
  const r = await runGit(
    [
      'log', '--no-show-signature', '--no-color', '--no-notes', '--first-parent', '--diff-merges=first-parent', '--no-renames',
      '--name-only', '-z', `--max-count=${limit}`, '--format=%x01%H%x00%P%x00%T%x00%B%x00', '--end-of-options', ...tips, ...exclude.map((e) => `^${e}`), '--',
    ],
    { cwd },
  );
  const tok = r.stdout.split('\0');
  const out: WalkedCommit[] = [];
  let i = 0;
  const isHeader = (t: string) => t.startsWith('\x01') && HEX.test(t.slice(1).replace(/^\n+/, ''));
  while (i < tok.length) {
    const head = tok[i].replace(/^\n+/, '');
    if (!isHeader(head)) {
      i++;
      continue;
    }
    const [commit, parents, tree, message] = [head.slice(1), tok[i + 1] ?? '', tok[i + 2] ?? '', tok[i + 3] ?? ''];
    i += 4;
    const paths: string[] = [];
    for (; i < tok.length && !isHeader(tok[i].replace(/^\n+/, '')); i++) {
      const p = tok[i].replace(/^\n/, '');
      if (p) paths.push(p);
    }
    if (parents) out.push({ commit, parents: parents.split(' '), tree, message, paths });
  }
  return out.reverse();
}
