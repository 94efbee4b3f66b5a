// Shared set-up for the bridge tests: sessions in their own worktrees, as agents run them.
import { expect } from 'vitest';
import { cli, git, writeFile } from '../support/repo.js';

/** Starts a session in its own worktree, writes `files` there and snapshots; returns id and worktree. */
export async function sessionWith(dir: string, goal: string, files: Record<string, string>, extra: string[] = []): Promise<{ id: string; wt: string }> {
  const r = await cli(dir, ['start', goal, '--worktree', '', '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const { id, worktree } = r.json();
  for (const [p, text] of Object.entries(files)) writeFile(worktree, p, text);
  const s = await cli(worktree, ['snapshot', '--json']);
  expect(s.code, s.stderr).toBe(0);
  return { id, wt: worktree };
}

/** Records a prompt and a decision with two rejected alternatives in session `id`. */
export async function reason(dir: string, id: string, prompt: string, chosen: string): Promise<void> {
  const env = { GIT_SESSION: id };
  expect((await cli(dir, ['record', 'prompt', prompt], { env })).code).toBe(0);
  const d = await cli(dir, ['decide', chosen, '--because', `${chosen} is simplest`, '--rejected', 'json: too heavy', '--rejected', 'yaml: nobody asked'], { env });
  expect(d.code, d.stderr).toBe(0);
}

/** Commits everything in `dir` with `message` (plain git). */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
