import { existsSync, readFileSync } from 'node:fs';
import { chmod, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitOut } from '../git/exec.js';
import type { Repo } from './repo.js';

/** Marker line that identifies our hook (and only ours). */
export const HOOK_MARK = '# git-session pre-push hook';
/** Suffix under which a hook that was there before ours is kept (and chained). */
export const CHAINED_SUFFIX = '.pre-git-session';

/** The hooks directory git uses (honours core.hooksPath, as husky and lefthook set it). */
export async function hooksDir(repo: Repo): Promise<string> {
  const p = await gitOut(['rev-parse', '--git-path', 'hooks'], { cwd: repo.cwd });
  return isAbsolute(p) ? p : resolve(repo.cwd, p);
}

function binPath(): string {
  // dist/repo/hooks.js -> bin/git-session
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/git-session');
}

/** The hook script: runs the chained original first (its exit code counts), then ours. */
export function hookScript(bin = binPath()): string {
  return `#!/bin/sh
${HOOK_MARK} (installed by \`git session init\`; \`git session eject\` removes it and restores any hook it chained).
input=$(cat)
orig="$0${CHAINED_SUFFIX}"
if [ -x "$orig" ]; then
  printf '%s\\n' "$input" | "$orig" "$@" || exit $?
fi
gs=${JSON.stringify(bin)}
if [ -x "$gs" ]; then set -- "$gs" hook pre-push "$@"; else set -- git session hook pre-push "$@"; fi
printf '%s\\n' "$input" | "$@"
`;
}

/** True when the file at `path` is our hook. */
export function isOurHook(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(HOOK_MARK);
  } catch {
    return false;
  }
}

/** Installs the pre-push hook, keeping and chaining one that was already there. Idempotent. */
export async function installHook(repo: Repo): Promise<string | undefined> {
  const dir = await hooksDir(repo);
  const path = join(dir, 'pre-push');
  if (isOurHook(path)) return undefined;
  await mkdir(dir, { recursive: true });
  let note = 'installed the pre-push hook';
  if (existsSync(path)) {
    await rename(path, path + CHAINED_SUFFIX);
    note = 'installed the pre-push hook (chaining the existing one)';
  }
  await writeFile(path, hookScript());
  await chmod(path, 0o755);
  return note;
}

/** Removes our hook and puts back the one it chained, byte for byte. */
export async function removeHook(repo: Repo): Promise<string | undefined> {
  const dir = await hooksDir(repo);
  const path = join(dir, 'pre-push');
  if (!isOurHook(path)) return undefined;
  await rm(path);
  if (existsSync(path + CHAINED_SUFFIX)) {
    await rename(path + CHAINED_SUFFIX, path);
    return 'removed the pre-push hook and restored the original';
  }
  return 'removed the pre-push hook';
}
