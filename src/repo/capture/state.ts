// Local bookkeeping of live capture, never pushed: for each agent session, which
// git-session session it feeds and how far its transcript was read
// (<common-dir>/session/agents/<agent>-<hash>/state.json), the source ids already
// stored (one empty file each under seen/: claimed with O_EXCL, so two deliveries of
// the same event racing each other store it once), and a lock for the work that must
// not run twice at once (starting the session, reading the transcript's delta).
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentName } from '../../core/agents/agents.js';
import { sourceId } from '../../core/agents/payload.js';

/** What we remember about one agent session. */
export interface AgentState {
  agent: AgentName;
  /** The agent's own session id. */
  agentSession: string;
  /** The git-session session it feeds, once there is one. */
  session?: string;
  /** The git dir of the worktree it was bound in. */
  gitDir?: string;
  transcript?: string;
  /** Bytes of the transcript already read. */
  offset?: number;
  model?: string;
  /** "Name <email>" for the commits, remembered so later events need not ask git. */
  author?: string;
  /** The text key of a last message stored from a payload before the transcript had it. */
  stored?: string;
  /** Set once a hook (not Codex's notify) delivered an event: notify then adds nothing. */
  hooks?: boolean;
  updated?: string;
}

/** The directory of one agent session's state. */
export function stateDir(commonDir: string, agent: AgentName, agentSession: string): string {
  return join(commonDir, 'session', 'agents', `${agent}-${sourceId(agentSession)}`);
}

/** The state, or undefined when there is none (or it is unreadable: it is rebuilt). */
export async function readState(dir: string): Promise<AgentState | undefined> {
  try {
    const v = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as AgentState;
    return typeof v === 'object' && v !== null && typeof v.agentSession === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the state atomically (a reader sees the old or the new file, never half). */
export async function writeState(dir: string, st: AgentState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `state.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  await writeFile(tmp, JSON.stringify(st) + '\n');
  await rename(tmp, join(dir, 'state.json'));
}

/**
 * Claims a source id: true the first time, false when it was claimed before (the event
 * is stored already, or being stored by a process racing this one).
 */
export async function claim(dir: string, src: string): Promise<boolean> {
  const seen = join(dir, 'seen');
  for (let i = 0; i < 2; i++) {
    try {
      await (await open(join(seen, src), constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY)).close();
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'ENOENT' || i > 0) throw e;
      await mkdir(seen, { recursive: true });
    }
  }
  return false;
}

/** Gives claims back (the append failed: a later delivery may store them). */
export async function unclaim(dir: string, srcs: string[]): Promise<void> {
  await Promise.all(srcs.map((s) => rm(join(dir, 'seen', s), { force: true })));
}

/**
 * Forgets claims older than `ageMs` (at the end of an agent session: a delivery that late
 * is not a re-delivery), so a long-lived agent session does not pile up files.
 */
export async function pruneClaims(dir: string, ageMs: number, now: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'seen'));
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    const st = await stat(join(dir, 'seen', name)).catch(() => undefined);
    if (st && now - st.mtimeMs > ageMs) {
      await rm(join(dir, 'seen', name), { force: true });
      n++;
    }
  }
  return n;
}

const STALE_MS = 60_000;

/**
 * Runs `fn` holding the agent session's lock, waiting at most `waitMs` for it (a lock
 * older than a minute is a crashed holder's and is taken over). Undefined when the wait
 * ran out: the caller skips the work rather than block the agent.
 */
export async function withLock<T>(dir: string, waitMs: number, fn: () => Promise<T>): Promise<T | undefined> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, 'lock');
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      await (await open(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY)).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await stat(lock).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline) return undefined;
      else await new Promise((r) => setTimeout(r, delay));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/** Which agent works in a worktree, for `decide` to attribute decisions (<git-dir>/session/agent). */
export interface WorktreeAgent {
  agent: AgentName;
  model?: string;
  session: string;
  /** True between a prompt and the end of that turn. */
  active: boolean;
  updated: string;
}

/** Records the worktree's agent (atomically). */
export async function writeWorktreeAgent(gitDir: string, w: WorktreeAgent): Promise<void> {
  const dir = join(gitDir, 'session');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `agent.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(w) + '\n');
  await rename(tmp, join(dir, 'agent'));
}

/** The worktree's agent, if a hook recorded one. */
export async function readWorktreeAgent(gitDir: string): Promise<WorktreeAgent | undefined> {
  try {
    const v = JSON.parse(await readFile(join(gitDir, 'session', 'agent'), 'utf8')) as WorktreeAgent;
    return typeof v?.session === 'string' && typeof v.agent === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
