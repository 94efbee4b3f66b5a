// The one installer and uninstaller of every git hook git-session uses (pre-push,
// post-rewrite and post-commit: OUR_HOOKS; pre-receive and post-receive in a server
// repository, `git session server init`: the `server` role). Why this shape:
// renaming a file another tool owns breaks it (husky v9's runner looks its hook up by
// `basename "$0"`), and a hooks dir may be shared (a global core.hooksPath serves every
// repository). So nothing of anyone else's is touched: this repository gets a LOCAL
// core.hooksPath pointing at a directory of ours under its git dir, holding a wrapper for
// every hook name git knows that first runs the previously effective hook of that name.
// What was there before (the local value, or its absence) is recorded before anything
// changes and restored exactly by `uninstallHooks`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GIT_HOOKS, HOT_HOOKS, OUR_HOOKS, type PreviousHooks, WRAPPER_MARK, wrapperScript } from '../core/hookscript.js';
import { SERVER_HOOKS, serverWrapperScript } from '../core/server-hookscript.js';
import { runGit } from '../git/exec.js';
import { linksPath } from './links.js';
import type { Repo } from './repo.js';

/** Marker of the pre-push hook older versions wrote into the hooks dir itself (migrated away). */
const LEGACY_MARK = '# git-session pre-push hook';
const LEGACY_SUFFIX = '.pre-git-session';

/** What the installer recorded before changing anything; the uninstaller's only input. */
interface HookState {
  version: 1;
  /** The directory core.hooksPath was pointed at. */
  dir: string;
  /** The local core.hooksPath before us, or null when there was none. */
  previousLocal: string | null;
  /** Who the wrappers act for: `client` (init: pre-push), `server` (server init: the receive hooks). Absent: client. */
  roles?: HookRole[];
}

/** What git-session does in a repository's hooks: a clone's (`init`) or a server's (`server init`). */
export type HookRole = 'client' | 'server';

function rolesOf(state: HookState | undefined): HookRole[] {
  return state ? (state.roles ?? ['client']) : [];
}

/** Where our wrappers live: per repository, never shared. */
export function ourHooksDir(repo: Repo): string {
  return join(repo.localDir, 'hooks');
}

function stateFile(repo: Repo): string {
  return join(repo.localDir, 'hooks-state.json');
}

/** bin/git-session of this install (what hook wrappers run). */
export function binPath(): string {
  // dist/bundle/main.js or dist/repo/hooks.js -> bin/git-session
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '../../bin/git-session');
}

async function localHooksPath(repo: Repo): Promise<string | undefined> {
  const r = await runGit(['config', '--local', '--get', 'core.hooksPath'], { cwd: repo.cwd, allowFail: true });
  return r.code === 0 ? r.stdout.replace(/\n$/, '') : undefined;
}

async function readState(repo: Repo): Promise<HookState | undefined> {
  try {
    const s = JSON.parse(await readFile(stateFile(repo), 'utf8')) as HookState;
    return s && s.version === 1 && typeof s.dir === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

function isOurs(repo: Repo, value: string | undefined): boolean {
  return value !== undefined && resolve(repo.cwd, value) === ourHooksDir(repo);
}

/** The hooks dir in effect when ours is not: the previous local value, else global/system, else the default. */
async function previousDir(repo: Repo, prev: PreviousHooks): Promise<string> {
  if ('local' in prev) return resolve(repo.cwd, prev.local.replace(/^~(?=\/)/, repo.env.HOME ?? '~'));
  const r = await runGit(['config', '--type=path', '--show-scope', '--get-all', 'core.hooksPath'], { cwd: repo.cwd, allowFail: true });
  let v: string | undefined;
  for (const line of r.stdout.split('\n')) {
    const [scope, ...rest] = line.split('\t');
    if (scope === 'global' || scope === 'system') v = rest.join('\t');
  }
  return v ? resolve(repo.cwd, v) : join(repo.paths.commonDir, 'hooks');
}

function isExecutable(path: string): boolean {
  try {
    return (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Installs (or refreshes) the wrappers and points this repository's local core.hooksPath
 * at them. Idempotent; when another tool took core.hooksPath back since (husky's
 * `prepare` does on every `npm install`), that tool's value becomes the one chained.
 */
export async function installHooks(repo: Repo, role: HookRole = 'client', only?: HookRole[]): Promise<string | undefined> {
  const legacy = await removeLegacyHook(repo);
  const current = await localHooksPath(repo);
  const state = await readState(repo);
  const roles = only ?? [...new Set<HookRole>([...rolesOf(state), role])].sort();
  const dir = ourHooksDir(repo);
  const already = isOurs(repo, current);
  const previousLocal = already ? (state?.previousLocal ?? null) : (current ?? null);
  const prev: PreviousHooks = previousLocal !== null ? { local: previousLocal } : { inherited: true };
  const prevDir = await previousDir(repo, prev);
  // Recorded first: a crash after this point leaves what eject needs to undo it.
  await mkdir(repo.localDir, { recursive: true });
  await writeFile(stateFile(repo), JSON.stringify({ version: 1, dir, previousLocal, ...(roles.join() === 'client' ? {} : { roles }) } satisfies HookState) + '\n');
  await mkdir(dir, { recursive: true });
  const names = GIT_HOOKS.filter((n) => !HOT_HOOKS.has(n) || isExecutable(join(prevDir, n)));
  let wrote = false;
  for (const name of GIT_HOOKS) {
    const path = join(dir, name);
    if (!names.includes(name)) {
      if (existsSync(path)) await rm(path);
      continue;
    }
    const o = { name, previous: prev, bin: binPath(), node: process.execPath, defaultDir: join(repo.paths.commonDir, 'hooks'), self: dir, links: linksPath(repo) };
    const text = roles.includes('server') && SERVER_HOOKS.has(name) ? serverWrapperScript(o) : wrapperScript({ ...o, acts: roles.includes('client') && OUR_HOOKS.has(name) });
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    // Temp file + rename: a hook running right now sees the old script or the new, never half.
    await writeFile(path + '.tmp', text, { mode: 0o755 });
    await chmod(path + '.tmp', 0o755);
    await rename(path + '.tmp', path);
    wrote = true;
  }
  if (!already) await runGit(['config', '--local', 'core.hooksPath', dir], { cwd: repo.cwd });
  if (already && !wrote && !legacy) return undefined;
  const chained = previousLocal !== null ? `core.hooksPath ${previousLocal}` : prevDir;
  const what = role === 'server' ? 'the receive hooks' : 'the git hooks';
  return `${legacy ? `${legacy}; ` : ''}${already ? 'refreshed' : 'installed'} ${what} (chaining ${chained})`;
}

/**
 * Removes `role`'s part of the hooks: when the other role still uses them, the wrappers are
 * rewritten without it; otherwise they go and core.hooksPath is put back exactly as it was
 * (value, or absence). With `dryRun`, only says what it would do.
 */
export async function uninstallHooks(repo: Repo, role: HookRole = 'client', dryRun = false): Promise<string | undefined> {
  const before = await readState(repo);
  if (before && !rolesOf(before).includes(role)) return undefined;
  const rest = rolesOf(before).filter((r) => r !== role);
  if (before && rest.length && isOurs(repo, await localHooksPath(repo))) {
    if (!dryRun) await installHooks(repo, rest[0], rest);
    return role === 'server' ? 'removed the receive hooks (the git hooks of init stay)' : 'removed the pre-push part of the git hooks (the receive hooks of server init stay)';
  }
  const legacy = await removeLegacyHook(repo, dryRun);
  const state = before;
  const current = await localHooksPath(repo);
  let note = legacy;
  if (state && isOurs(repo, current)) {
    if (!dryRun && state.previousLocal === null) await runGit(['config', '--local', '--unset', 'core.hooksPath'], { cwd: repo.cwd });
    else if (!dryRun) await runGit(['config', '--local', 'core.hooksPath', state.previousLocal!], { cwd: repo.cwd });
    note = state.previousLocal === null ? 'removed the git hooks (core.hooksPath unset again)' : `removed the git hooks (core.hooksPath back to ${state.previousLocal})`;
  } else if (state) {
    note = `removed the git hooks (core.hooksPath had been changed to ${current ?? 'nothing'} since; left as it is)`;
  } else if (isOurs(repo, current)) {
    // Our path without the record of what was before (deleted by hand): unset, the one safe answer.
    if (!dryRun) await runGit(['config', '--local', '--unset', 'core.hooksPath'], { cwd: repo.cwd });
    note = 'removed the git hooks (core.hooksPath unset: what it was before init was not recorded)';
  } else if (existsSync(ourHooksDir(repo))) note ??= 'removed the git hook wrappers (not in use)';
  if (dryRun) return note;
  await rm(ourHooksDir(repo), { recursive: true, force: true });
  await rm(stateFile(repo), { force: true });
  return note;
}

/** Whether our hooks are what git runs here ('replaced': another tool took core.hooksPath back). */
export async function hooksStatus(repo: Repo, role: HookRole = 'client'): Promise<'installed' | 'replaced' | 'absent'> {
  const state = await readState(repo);
  if (!state || !rolesOf(state).includes(role)) return 'absent';
  return isOurs(repo, await localHooksPath(repo)) ? 'installed' : 'replaced';
}

/** Undoes what versions before this installer did: our pre-push in the hooks dir, the user's renamed beside it. */
async function removeLegacyHook(repo: Repo, dryRun = false): Promise<string | undefined> {
  const state = await readState(repo);
  const dirs = new Set<string>([join(repo.paths.commonDir, 'hooks')]);
  const cur = await localHooksPath(repo);
  if (cur !== undefined && !isOurs(repo, cur)) dirs.add(resolve(repo.cwd, cur));
  if (state?.previousLocal) dirs.add(resolve(repo.cwd, state.previousLocal));
  for (const d of dirs) {
    const path = join(d, 'pre-push');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes(LEGACY_MARK) || text.includes(WRAPPER_MARK)) continue;
    if (dryRun) return `removed the pre-push hook of an older git-session from ${d}${existsSync(path + LEGACY_SUFFIX) ? ' and put the chained one back' : ''}`;
    await rm(path);
    if (existsSync(path + LEGACY_SUFFIX)) await rename(path + LEGACY_SUFFIX, path);
    return `removed the pre-push hook of an older git-session from ${d}${existsSync(path) ? ' and put the chained one back' : ''}`;
  }
  return undefined;
}

/** Hook names with a wrapper installed (for status and tests). */
export function installedWrappers(repo: Repo): string[] {
  const dir = ourHooksDir(repo);
  return existsSync(dir) ? readdirSync(dir).filter((f) => (GIT_HOOKS as readonly string[]).includes(f)).sort() : [];
}
