// Sessions as agents run them: each in its own worktree, with files written and snapshotted.
import { expect } from 'vitest';
import { cli, git, writeFile } from './repo.js';

/**
 * Starts a session in its own worktree (`extra`: more `start` arguments), writes `files`
 * there (null removes a path) and snapshots; returns the session id and the worktree.
 */
export async function sessionWith(dir: string, goal: string, files: Record<string, string | null>, extra: string[] = []): Promise<{ id: string; wt: string }> {
  const r = await cli(dir, ['start', goal, '--worktree', '', '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const { id, worktree } = r.json();
  for (const [p, text] of Object.entries(files)) {
    if (text === null) git(worktree, 'rm', '-q', '-r', p);
    else writeFile(worktree, p, text);
  }
  const s = await cli(worktree, ['snapshot', '--json']);
  expect(s.code, s.stderr).toBe(0);
  return { id, wt: worktree };
}
