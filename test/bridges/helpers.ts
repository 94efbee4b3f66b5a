// Shared set-up for the bridge tests: reasoning recorded in a session, plain commits.
import { expect } from 'vitest';
import { cli, git } from '../support/repo.js';

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
