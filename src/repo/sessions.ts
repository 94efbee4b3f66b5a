import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import type { AgentInfo, DamagedSession, SessionState, SessionSummary, StoredEvent } from '../core/types.js';
import { checkFsPath, checkGoal } from '../core/validate.js';
import { discoverRepo } from '../git/discover.js';
import { damaged } from '../git/session-store.js';
import { metaRef } from '../core/layout.js';
import { headOf } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import { ArchiveCatalog, type ShardSource } from '../cache/archive-catalog.js';
import { Catalog } from '../cache/catalog.js';
import { withIndexDb } from '../cache/db.js';
import type { Repo } from './repo.js';
import { resolveTarget } from './target.js';

/** Options of `start`. */
export interface StartOptions {
  goal: string;
  onto?: string;
  agent?: string;
  model?: string;
  /** undefined: no worktree; '' : default location; else the directory. */
  worktree?: string;
}

/** What `start` made. */
export interface Started {
  summary: SessionSummary;
  worktree?: string;
}

/**
 * Starts a session on a target branch and makes it current. Its base is the commit its
 * files will reflect: this checkout's HEAD (which may be another branch, or a detached
 * HEAD, when `--onto` names the target), or the target's tip for a new `--worktree`.
 * All or nothing: when `git worktree add` fails (a post-checkout hook exiting non-zero,
 * a missing blob) the worktree is removed and no session is created.
 */
export async function startSession(repo: Repo, o: StartOptions): Promise<Started> {
  const goal = checkGoal(o.goal);
  const { target, tip } = await resolveTarget(repo, o.onto);
  let wtDir: string | undefined;
  if (o.worktree !== undefined) {
    wtDir = o.worktree === '' ? undefined : resolve(repo.paths.top ?? repo.cwd, checkFsPath(o.worktree, 'worktree dir'));
    if (wtDir && existsSync(wtDir) && readdirSync(wtDir).length > 0) {
      throw new GsError('bad-input', `worktree dir ${wtDir} exists and is not empty`);
    }
  }
  const here = o.worktree === undefined && repo.paths.top ? await headOf(repo.paths.gitDir, repo.paths.commonDir) : {};
  const base = here.commit ?? tip;
  const agent: AgentInfo | undefined = o.agent || o.model ? { name: o.agent ?? 'agent', ...(o.model ? { model: o.model } : {}) } : undefined;
  const id = repo.newId();
  const dir = o.worktree !== undefined ? (wtDir ?? join(repo.localDir, 'worktrees', shortId(id))) : undefined;
  if (dir) await addWorktree(repo, dir, base);
  const start = repo.event({ kind: 'start', goal, target, base, author: await repo.author(), ...(agent ? { agent } : {}) });
  let summary: SessionSummary;
  try {
    summary = await repo.store.create(id, await repo.ident(), [start]);
  } catch (e) {
    if (dir) await removeWorktree(repo, dir, false);
    throw e;
  }
  if (dir) {
    await registerWorktree(repo, id, dir);
    await repo.setCurrent(id, discoverRepo(dir, {}).gitDir);
    return { summary, worktree: dir };
  }
  await repo.setCurrent(id);
  return { summary };
}

/** `git worktree add --detach dir base`, or nothing at all: a failed add is undone before the error. */
async function addWorktree(repo: Repo, dir: string, base: string): Promise<void> {
  const existed = existsSync(dir);
  const r = await runGit(['worktree', 'add', '--detach', '--quiet', dir, base], { cwd: repo.cwd, allowFail: true });
  if (r.code === 0) return;
  await removeWorktree(repo, dir, existed);
  const why = r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.code}`;
  throw new GsError('git-failed', `git worktree add failed (${why}): no session was started`);
}

/** Removes a worktree this run added (and its directory, unless it was there, empty, before). */
async function removeWorktree(repo: Repo, dir: string, keepDir: boolean): Promise<void> {
  await runGit(['worktree', 'remove', '--force', '--force', dir], { cwd: repo.cwd, allowFail: true });
  await rm(dir, { recursive: true, force: true });
  if (keepDir) await mkdir(dir, { recursive: true });
  await runGit(['worktree', 'prune'], { cwd: repo.cwd, allowFail: true });
}

/** Remembers (locally) which worktree belongs to a session. */
async function registerWorktree(repo: Repo, id: string, dir: string): Promise<void> {
  await mkdir(join(repo.localDir, 'worktree-of'), { recursive: true });
  await writeFile(join(repo.localDir, 'worktree-of', id), dir + '\n');
}

/**
 * The worktree holding a session's files: its own (from `start --worktree`) while it
 * exists, else this worktree when the session is current here (pointer or
 * GIT_SESSION); undefined otherwise — then nothing on disk belongs to the session and
 * automatic snapshots must not take whatever happens to be checked out.
 */
export async function sessionWorktree(repo: Repo, id: string): Promise<{ top: string; gitDir: string } | undefined> {
  try {
    const dir = (await readFile(join(repo.localDir, 'worktree-of', id), 'utf8')).trim();
    if (dir && isAbsolute(dir) && existsSync(join(dir, '.git'))) {
      const p = discoverRepo(dir, {});
      if (p.top) return { top: p.top, gitDir: p.gitDir };
    }
  } catch {
    /* not registered */
  }
  if (!repo.paths.top) return undefined;
  const here = repo.env.GIT_SESSION ? await repo.resolveSession(repo.env.GIT_SESSION).catch(() => undefined) : await repo.current();
  return here === id ? { top: repo.paths.top, gitDir: repo.paths.gitDir } : undefined;
}

/** Fails unless the session is open (snapshot, land and sync need that). */
export function requireOpen(s: SessionSummary): void {
  if (s.state === 'conflicted') throw new GsError('conflict', `session ${shortId(s.id)} is conflicted in ${(s.conflicted ?? []).join(', ')}: resolve them first (git session resolve), or git session sync --abort`);
  if (s.state !== 'open') throw new GsError('session-closed', `session ${shortId(s.id)} is ${s.state}`);
}

/** Abandons a session (nothing is deleted); a landed session can't be abandoned. */
export async function abandonSession(repo: Repo, id: string, reason?: string): Promise<{ summary: SessionSummary; changed: boolean }> {
  let changed = false;
  const summary = await repo.store.append(id, await repo.ident(), (cur) => {
    if (cur.state === 'landed') throw new GsError('session-closed', `session ${shortId(id)} has landed; it can't be abandoned`);
    if (cur.state === 'abandoned') return { events: [] };
    changed = true;
    return { events: [repo.event({ kind: 'abandon', ...(reason ? { reason } : {}) })] };
  });
  if ((await repo.current()) === id) await repo.setCurrent(undefined);
  return { summary, changed };
}

/** Every session, newest first: those that read, those that are damaged (with why), and the refs ignored. */
export interface SessionList {
  sessions: SessionSummary[];
  damaged: DamagedSession[];
  /** Refs under refs/sessions/ that are not a session's (`<ULID>/meta|work`, or an archive shard): ignored. */
  ignored: string[];
  /** With a `limit`: how many more sessions there are (of the state asked). */
  more?: number;
}

/** What `listAll` lists. */
export interface ListOptions {
  /** Only the newest `limit` (archived sessions are read no further than needed). */
  limit?: number;
  /** Only sessions that have refs (open ones, closed ones not archived yet): no archive read. */
  refsOnly?: boolean;
}

// Ids are time-ordered: newest first is descending id order.
const newestFirst = (a: { id: string }, b: { id: string }) => (a.id < b.id ? 1 : -1);

/** The archive catalog's view of the shards, read through the store. */
function shardSource(repo: Repo): ShardSource {
  return { buckets: (tips) => repo.store.archive.shardBuckets(tips), blobs: (oids) => repo.store.archive.blobs(oids) };
}

/**
 * Every session's summary, newest first, through the LevelDB catalog: the refs are
 * read in-process (packed-refs + loose), then only sessions whose meta ref moved are
 * re-read (in one batch), each checked against the schema; archived sessions come from
 * the archive catalog, brought up to date bucket by bucket when a shard moved (a session
 * with refs shadows its archived copy). A damaged session is listed as damaged and never
 * stops the others. With `state`, damaged sessions are left out.
 */
export async function listAll(repo: Repo, state?: SessionState, opts: ListOptions = {}): Promise<SessionList> {
  const { metas, strays } = repo.store.scan();
  const load = (stale: [string, string][]) => repo.store.readSummaries(stale.map(([id, meta]) => ({ id, meta })));
  const tips = opts.refsOnly ? new Map<string, string>() : repo.store.archive.shards();
  return withIndexDb(repo.paths.commonDir, async (db) => {
    const view = await new Catalog(db).reconcile(metas, load);
    const refRows = (state ? view.sessions.filter((s) => s.state === state) : view.sessions).sort(newestFirst);
    const refDamaged = state ? [] : view.damaged.sort(newestFirst);
    if (opts.refsOnly) return { sessions: refRows, damaged: refDamaged, ignored: strays };
    const archive = new ArchiveCatalog(db);
    await archive.sync(tips, shardSource(repo));
    const skip = new Set(metas.keys());
    const rows = opts.limit === undefined ? [...(await archive.all())].map(([id, r]) => ({ id, ...r })).filter((r) => !skip.has(r.id)) : await archive.newest(opts.limit, skip, state);
    const sessions = [...refRows, ...rows.flatMap((r) => (r.summary && (!state || r.summary.state === state) ? [r.summary] : []))].sort(newestFirst);
    const damaged = [...refDamaged, ...(state ? [] : rows.flatMap((r) => (r.damaged !== undefined ? [{ id: r.id, meta: r.meta, reason: r.damaged }] : [])))].sort(newestFirst);
    if (opts.limit === undefined) return { sessions, damaged, ignored: strays };
    // Counted, not read: every archived row by state, less those a ref shadows.
    const counts = await archive.counts();
    const countOf = (k?: string) => (k ? (counts[k] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0));
    // Nothing archived (the counts say so): no session with refs can shadow an archived copy.
    const shadowed = countOf() ? await archive.some([...skip]) : new Map();
    let total = refRows.length + refDamaged.length + countOf(state);
    for (const r of shadowed.values()) if (!state || r.summary?.state === state) total--;
    const page = sessions.slice(0, opts.limit);
    return { sessions: page, damaged, ignored: strays, more: Math.max(0, total - page.length - damaged.length) };
  });
}

/** The readable sessions' summaries, newest first (see listAll). */
export async function listSessions(repo: Repo, state?: SessionState): Promise<SessionSummary[]> {
  return (await listAll(repo, state)).sessions;
}

/** What `status` shows: this worktree's current session (or why it is damaged), the open ones, every damaged one. */
export interface StatusView {
  current?: SessionSummary;
  currentDamaged?: DamagedSession;
  open: SessionSummary[];
  damaged: DamagedSession[];
  ignored: string[];
}

/** What `status` shows: this worktree's current session (when it still resolves) and the open (or conflicted) ones. */
export async function sessionStatus(repo: Repo): Promise<StatusView> {
  // $GIT_SESSION is checked as every command checks it (a bad one is an error); a
  // pointer to a session deleted since (eject --purge) just means "none".
  const pointer = repo.env.GIT_SESSION ? await repo.resolveSession() : await repo.current();
  const currentId = pointer && (await repo.store.metaTip(pointer)) ? pointer : undefined;
  const list = await listAll(repo, undefined, { refsOnly: true });
  const open = list.sessions.filter((s) => s.state === 'open' || s.state === 'conflicted');
  const currentDamaged = list.damaged.find((d) => d.id === currentId);
  const current = currentId && !currentDamaged ? await repo.store.readSummary(currentId).catch(() => undefined) : undefined;
  return { current, currentDamaged, open, damaged: list.damaged, ignored: list.ignored };
}

/** One session whole: summary and events (those this version cannot obey as ForeignEvent), and the shard when it is archived. */
export async function showSession(repo: Repo, id: string, opts: { full?: boolean } = {}): Promise<{ summary: SessionSummary; events: StoredEvent[]; archived?: string }> {
  const ref = await repo.store.objects.resolve(metaRef(id));
  const entry = ref ? undefined : await repo.store.archived(id);
  const tip = ref ?? (entry && !entry.damaged ? entry.meta : undefined);
  if (entry?.damaged) throw damaged(id, entry.damaged);
  if (!tip) throw new GsError('unknown-session', `no session ${id}`);
  const { summary, events } = await repo.store.readSession(id, tip);
  return { summary, events: opts.full ? await repo.store.inflate(events) : events, ...(entry ? { archived: entry.shard } : {}) };
}
