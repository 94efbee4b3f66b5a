// `git session server init|status|eject` (README "Landing through a server"): makes a bare
// repository land sessions itself, reports what it did, and walks it back. What init
// changes is recorded first (server-state.json), so eject puts back exactly what was
// there: the config file byte for byte when nobody changed it since, the hooks through
// the one installer (repo/hooks.ts), and the state folder removed when init made it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError } from '../../core/errors.js';
import { type LandRequest } from '../../core/land-request.js';
import { FORGE_MARK, forgeHookScript, SERVER_HOOKS } from '../../core/server-hookscript.js';
import { runGit } from '../../git/exec.js';
import { binPath, hooksStatus, installHooks, uninstallHooks } from '../hooks.js';
import { reindex } from '../landed.js';
import type { Repo } from '../repo.js';
import { lockOwner, lockPath, alive } from './lock.js';
import { readLog, type ServerLogEntry } from './log.js';
import { pendingRequests, readRequests, serverDir } from './queue.js';
import { serverSettings } from './receive.js';

interface ServerState {
  version: 1;
  /** The config file before init (restored as is when it is unchanged since init). */
  configBefore: string | null;
  /** The config file as init left it. */
  configAfter: string;
  /** Whether `<git-dir>/session` existed before init (removed by eject otherwise). */
  hadLocalDir: boolean;
  /** receive.advertisePushOptions before init (null: unset). */
  advertisePushOptions: string | null;
  /** A forge's hooks directory our `<name>.d/git-session` scripts went into (absent: core.hooksPath wrappers). */
  hooksDir?: string;
}

/** Our script in a forge's `<dir>/<hook>.d/` (the forge runs every script there itself). */
function forgeScriptPath(dir: string, hook: string): string {
  return join(dir, `${hook}.d`, 'git-session');
}

/** Writes (or refreshes) our two forge scripts; what changed, or undefined. */
async function installForgeHooks(dir: string): Promise<string | undefined> {
  let wrote = false;
  for (const name of SERVER_HOOKS) {
    const path = forgeScriptPath(dir, name);
    const text = forgeHookScript({ name, bin: binPath(), node: process.execPath });
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    if (existsSync(path) && !readFileSync(path, 'utf8').includes(FORGE_MARK)) throw new GsError('usage', `${path} exists and is not git-session's: move it, then run server init again`);
    await mkdir(join(dir, `${name}.d`), { recursive: true });
    // Temp file + rename: a push running now sees the old script or the new, never half.
    await writeFile(path + '.tmp', text, { mode: 0o755 });
    await rename(path + '.tmp', path);
    wrote = true;
  }
  return wrote ? `installed the receive hooks as ${join(dir, 'pre-receive.d', 'git-session')} and ${join(dir, 'post-receive.d', 'git-session')} (the forge runs them with its own)` : undefined;
}

/** Removes our forge scripts, and the `.d` folders when we left them empty. */
async function removeForgeHooks(dir: string): Promise<string | undefined> {
  let removed = false;
  for (const name of SERVER_HOOKS) {
    const path = forgeScriptPath(dir, name);
    if (!existsSync(path) || !readFileSync(path, 'utf8').includes(FORGE_MARK)) continue;
    await rm(path);
    removed = true;
    await rmdir(join(dir, `${name}.d`)).catch(() => undefined);
  }
  return removed ? `removed the receive hooks from ${dir}` : undefined;
}

function statePath(repo: Repo): string {
  return join(repo.localDir, 'server-state.json');
}

/** Whether `server init` ran in this repository (its record is there until server eject). */
export function isServer(repo: Repo): boolean {
  return existsSync(statePath(repo));
}

function configPath(repo: Repo): string {
  return join(repo.paths.commonDir, 'config');
}

async function readState(repo: Repo): Promise<ServerState | undefined> {
  try {
    const s = JSON.parse(await readFile(statePath(repo), 'utf8')) as ServerState;
    return s && s.version === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

function requireBare(repo: Repo): void {
  if (repo.paths.top) throw new GsError('usage', 'a landing server is a bare repository (git init --bare, or the repository a forge serves); this one has a worktree');
}

/** What `server init` did. */
export interface ServerInitResult {
  changed: string[];
  protect: string[];
}

/**
 * Installs the receive hooks (chaining any already there), sets
 * receive.advertisePushOptions, builds the landed index of each protected branch that
 * exists. Idempotent.
 */
export async function serverInit(repo: Repo, o: { hooksDir?: string } = {}): Promise<ServerInitResult> {
  requireBare(repo);
  const changed: string[] = [];
  let state = await readState(repo);
  if (!state) {
    const configBefore = await readFile(configPath(repo), 'utf8').catch(() => null);
    const adv = await runGit(['config', '--local', '--get', 'receive.advertisePushOptions'], { cwd: repo.cwd, allowFail: true });
    state = { version: 1, configBefore, configAfter: '', hadLocalDir: existsSync(repo.localDir), advertisePushOptions: adv.code === 0 ? adv.stdout.trim() : null, ...(o.hooksDir ? { hooksDir: o.hooksDir } : {}) };
    // Recorded before anything changes: a crash after this leaves what eject needs.
    await mkdir(repo.localDir, { recursive: true });
    await writeFile(statePath(repo), JSON.stringify(state) + '\n');
  }
  if (o.hooksDir && state.hooksDir !== o.hooksDir) throw new GsError('usage', `server init already ran here with ${state.hooksDir ? `--hooks-dir ${state.hooksDir}` : 'the repository\'s own hooks'}: git session server eject first`);
  const hooks = state.hooksDir ? await installForgeHooks(state.hooksDir) : await installHooks(repo, 'server');
  if (hooks) changed.push(hooks);
  const adv = await runGit(['config', '--local', '--get', 'receive.advertisePushOptions'], { cwd: repo.cwd, allowFail: true });
  if (adv.stdout.trim() !== 'true') {
    await runGit(['config', '--local', 'receive.advertisePushOptions', 'true'], { cwd: repo.cwd });
    changed.push('set receive.advertisePushOptions (pushers may send -o options)');
  }
  const { protect } = await serverSettings(repo);
  for (const ref of protect) {
    if (ref.includes('*') || ref.includes('?')) continue;
    const name = ref.replace(/^refs\/heads\//, '');
    if (!(await repo.store.objects.resolve(`refs/heads/${name}`))) continue;
    const r = await reindex(repo, { onto: name });
    if (r.indexed) changed.push(`indexed ${r.indexed} landed change${r.indexed === 1 ? '' : 's'} of ${name}`);
  }
  state.configAfter = await readFile(configPath(repo), 'utf8');
  await writeFile(statePath(repo), JSON.stringify(state) + '\n');
  return { changed, protect: protect.map((p) => p.replace(/^refs\/heads\//, '')) };
}

/** Undoes `server init`: hooks, config (byte for byte when unchanged since), the server's local state. */
export async function serverEject(repo: Repo): Promise<{ changed: string[]; pending: number }> {
  requireBare(repo);
  const state = await readState(repo);
  const changed: string[] = [];
  const configNow = await readFile(configPath(repo), 'utf8').catch(() => null);
  const hooks = state?.hooksDir ? await removeForgeHooks(state.hooksDir) : await uninstallHooks(repo, 'server');
  if (hooks) changed.push(hooks);
  if (state) {
    if (configNow === state.configAfter && state.configBefore !== null) {
      await writeFile(configPath(repo), state.configBefore);
    } else if (state.advertisePushOptions === null) {
      await runGit(['config', '--local', '--unset', 'receive.advertisePushOptions'], { cwd: repo.cwd, allowFail: true });
    } else {
      await runGit(['config', '--local', 'receive.advertisePushOptions', state.advertisePushOptions], { cwd: repo.cwd });
    }
    changed.push('restored receive.advertisePushOptions');
  }
  const pending = pendingRequests(repo).length;
  await rm(serverDir(repo), { recursive: true, force: true });
  await rm(statePath(repo), { force: true });
  if (state && !state.hadLocalDir && (await hooksStatus(repo, 'client')) === 'absent') {
    await rm(repo.localDir, { recursive: true, force: true });
    changed.push('removed the landed index and the server log');
  }
  return { changed, pending };
}

/** One pending request as `server status` shows it. */
export interface PendingView {
  session: string;
  target?: string;
  by?: string;
  at?: string;
  /** Why it cannot be read (it will be dropped by the worker). */
  problem?: string;
}

/** What `server status` reports. */
export interface ServerStatus {
  hooks: 'installed' | 'replaced' | 'absent';
  protect: string[];
  allowDirectPush: string[];
  worker: 'auto' | 'manual';
  /** Targets whose landing lock a live worker holds (pid). */
  landing: { target: string; pid: number }[];
  pending: PendingView[];
  recent: ServerLogEntry[];
}

/** The queue, the live workers and the recent landings, conflicts and refusals. */
export async function serverStatus(repo: Repo, recent = 20): Promise<ServerStatus> {
  requireBare(repo);
  const state = await readState(repo);
  const settings = await serverSettings(repo);
  const queue = pendingRequests(repo);
  const reads = await readRequests(repo.cwd, queue.map((q) => q.oid));
  const pending: PendingView[] = queue.map((q, i) => {
    const r = reads[i];
    if (!r.ok) return { session: q.id, problem: r.reason };
    const req: LandRequest = r.request;
    return { session: q.id, target: req.target, by: req.by, at: req.at };
  });
  const dir = serverDir(repo);
  const landing: { target: string; pid: number }[] = [];
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      const m = /^land-([0-9a-f]+)\.lock$/.exec(f);
      if (!m) continue;
      const target = Buffer.from(m[1], 'hex').toString('utf8');
      const pid = await lockOwner(lockPath(dir, target));
      if (pid !== undefined && alive(pid)) landing.push({ target, pid });
    }
  }
  return {
    hooks: state?.hooksDir ? (SERVER_HOOKS.size === [...SERVER_HOOKS].filter((n) => existsSync(forgeScriptPath(state.hooksDir!, n))).length ? 'installed' : 'replaced') : await hooksStatus(repo, 'server'),
    protect: settings.protect.map((p) => p.replace(/^refs\/heads\//, '')),
    allowDirectPush: settings.allowDirectPush,
    worker: settings.worker,
    landing,
    pending,
    recent: await readLog(dir, recent),
  };
}
