// `eject`: the walk back to plain Git. Everything is found and planned first (what
// `--dry-run` prints, and what a refusal leaves untouched), then undone in an order
// where each step still has what it needs: notes while sessions are readable, agent
// settings while their records exist, worktrees, git hooks and config, refs, and the
// local state (index, catalog, records, pointers, logs) last.
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GsError } from '../../core/errors.js';
import { LAND_PREFIX } from '../../core/land-request.js';
import { SESSIONS_PREFIX } from '../../core/layout.js';
import { plural } from '../../core/text.js';
import { RERERE_CREATED } from '../../git/checkout.js';
import { discoverRepo } from '../../git/discover.js';
import { runGit } from '../../git/exec.js';
import { listRefs, transact, ZERO } from '../../git/refs.js';
import { applySettingsStep, instructionsKept, planProjectSettings, type SettingsKept, type SettingsStep, userSettingsKept } from '../capture/eject-settings.js';
import { hasOurs } from '../capture/install.js';
import { uninstallHooks } from '../hooks.js';
import { isServer } from '../server/setup.js';
import { clearPolicies } from '../publish.js';
import { removeRefspecs, TRACKING_PREFIX } from '../remotes.js';
import type { Repo } from '../repo.js';
import { dirtyWorktrees, findWorktrees, removeWorktrees } from './eject-worktrees.js';
import { NOTES_REF } from './notes.js';

/** Options of `eject`. */
export interface EjectOptions {
  /** Write each landed session's reasoning as git notes first. */
  notes?: (repo: Repo) => Promise<{ written: number }>;
  purge?: boolean;
  /** Find and list everything, change nothing. */
  dryRun?: boolean;
  /** The user's home (user-level agent settings are reported from there). */
  home?: string;
}

/** Something eject leaves in place on purpose, and how to remove it if wanted. */
export interface EjectKept {
  what: string;
  reason: string;
  command?: string;
}

/** What `eject` did (or, with `dryRun`, would do: the same lines). */
export interface EjectResult {
  dryRun: boolean;
  changed: string[];
  kept: EjectKept[];
  notes: number;
  purgedRefs: number;
}

const PRESENT: Record<string, string> = { removed: 'remove', deleted: 'delete', restored: 'restore', wrote: 'write', gave: 'give' };

/** A past-tense line as a dry run says it ("would remove ..."). */
function would(line: string): string {
  const [first, ...rest] = line.split(' ');
  return ['would', PRESENT[first] ?? first, ...rest].join(' ');
}

function settingsLine(repo: Repo, s: SettingsStep): string {
  const f = repo.paths.top ? relative(repo.paths.top, s.file) : s.file;
  const shown = f.startsWith('..') ? s.file : f;
  if (s.action === 'delete') return `deleted ${shown} (created by hooks install${s.dirs.length ? `, with ${s.dirs.map((d) => (repo.paths.top ? relative(repo.paths.top, d) : d) + '/').join(', ')} when left empty` : ''})`;
  if (s.action === 'restore') return `restored ${shown} byte for byte as it was before hooks install`;
  return `removed the git-session entries from ${shown} (edited since hooks install: your edits stay)`;
}

/**
 * Walks back to plain Git: optional notes first, then project agent settings, session
 * worktrees, the git hooks (restoring core.hooksPath exactly), fetch refspecs,
 * publishing choices, tracking refs, `refs/sessions/` with `purge`, and the local state.
 * Branches, tags, commits and other config are untouched. Refuses (exit 1, nothing
 * changed) while a session worktree holds changes that removing it would lose.
 */
export async function eject(repo: Repo, o: EjectOptions = {}): Promise<EjectResult> {
  const dry = Boolean(o.dryRun);
  // A landing server's hooks, queue and index are server eject's to walk back (it says what it leaves pending).
  if (isServer(repo)) throw new GsError('policy', 'this repository lands sessions as a server (git session server init): run git session server eject first');
  const wts = await findWorktrees(repo);
  const inside = wts.sessions.find((p) => repo.paths.top === p);
  if (inside) throw new GsError('policy', `eject removes this session worktree (${inside}): run it from another worktree of the repository`);
  const gitDirs = new Map(wts.sessions.map((p) => [p, discoverRepo(p, {}).gitDir]));
  const plan = await planProjectSettings(repo.paths.commonDir, wts.tops);
  const dirty = await dirtyWorktrees(repo, wts.sessions, plan.steps);
  if (dirty.length) throw new GsError('policy', `session worktrees hold uncommitted changes (snapshot or remove them first): ${dirty.join(', ')}`);

  const hadLocal = localDirs(repo).length > 0;
  const changed: string[] = [];
  const say = (line: string) => changed.push(dry ? would(line) : line);
  let notes = 0;
  if (o.notes) {
    if (dry) say(`wrote each landed session's reasoning as git notes to ${NOTES_REF}`);
    else {
      notes = (await o.notes(repo)).written;
      say(`wrote ${plural(notes, 'session note')} to ${NOTES_REF}`);
    }
  }
  for (const s of plan.steps) {
    const committed = await committedWithOurs(s, wts.tops);
    if (!dry) await applySettingsStep(s);
    say(settingsLine(repo, s) + (committed ? `; ${committed} holds it with our entries (a snapshot took it): commit this change to take them out of the branch` : ''));
  }
  if (!dry) await removeWorktrees(repo, wts);
  for (const p of wts.sessions) say(`removed session worktree ${p}`);
  for (const p of wts.missing) say(`removed the record of session worktree ${p} (its directory was gone)`);
  const hook = await uninstallHooks(repo, 'client', dry);
  if (hook) say(hook);
  for (const line of await removeRefspecs(repo, dry)) say(line);
  const cleared = await clearPolicies(repo, dry);
  if (cleared.length) say(`removed the sessions publishing choice (remote.<name>.sessions) of ${cleared.join(', ')}`);
  const tracking = listRefs(repo.paths.commonDir, TRACKING_PREFIX);
  if (tracking.size) {
    if (!dry) await transact(repo.cwd, [...tracking].map(([ref, old]) => ({ ref, new: ZERO, old })));
    say(`deleted ${plural(tracking.size, 'remote-tracking session ref')} (${TRACKING_PREFIX})`);
  }
  const landing = listRefs(repo.paths.commonDir, LAND_PREFIX);
  if (landing.size) {
    if (!dry) await transact(repo.cwd, [...landing].map(([ref, old]) => ({ ref, new: ZERO, old })));
    say(`deleted ${plural(landing.size, 'landing request and verdict ref')} (${LAND_PREFIX}, from land --remote)`);
  }
  const refs = listRefs(repo.paths.commonDir, SESSIONS_PREFIX);
  let purgedRefs = 0;
  if (o.purge && refs.size) {
    // Everything under refs/sessions/: sessions (requests are sessions), archive shards, refs we do not know.
    if (!dry && !(await transact(repo.cwd, [...refs].map(([ref, old]) => ({ ref, new: ZERO, old }))))) {
      throw new GsError('contention', 'session refs moved during eject --purge; run it again');
    }
    purgedRefs = dry ? 0 : refs.size;
    say(`deleted ${plural(refs.size, 'ref')} under ${SESSIONS_PREFIX} (sessions, requests, archive shards)`);
  }
  const rr = await rerereCache(repo);
  if (rr) {
    // With it, the state rerere keeps beside each remaining worktree's index (MERGE_RR).
    const states = [repo.paths.commonDir, ...wts.tops.filter((t) => !gitDirs.has(t)).map((t) => discoverRepo(t, {}).gitDir)].map((d) => join(d, 'MERGE_RR'));
    if (!dry) for (const f of [rr, ...states]) await rm(f, { recursive: true, force: true });
    say(`removed ${relative(repo.paths.commonDir, rr)}/ and rerere's MERGE_RR (created by git-session's conflict resolution; plain git would go on recording resolutions while rr-cache exists)`);
  }
  // A removed session worktree took its pointer dir with it (a dry run leaves them out too).
  const gone = new Set([...gitDirs.values()].map((g) => join(g, 'session')));
  const dirs = localDirs(repo).filter((d) => !gone.has(d));
  if (!dry) for (const d of dirs) await rm(d, { recursive: true, force: true });
  // Said only when it was there before this run (writing notes opens the store, which makes it again).
  if (hadLocal) {
    say(`removed the local state: index and archive catalog, links, reconcile state, hook and capture records, logs, current-session pointers (${dirs.map((d) => relative(repo.paths.commonDir, d) || d).join(', ')})`);
  }
  const left = [...plan.kept, ...(await instructionsKept(wts.tops.filter((t) => !gitDirs.has(t))))];
  return { dryRun: dry, changed, kept: await kept(repo, o, refs.size, left), notes, purgedRefs };
}

/** The commit (`HEAD` of the worktree holding the file) that tracks a settings file with our entries, if any. */
async function committedWithOurs(s: SettingsStep, tops: string[]): Promise<string | undefined> {
  const top = tops.filter((t) => s.file.startsWith(t + '/')).sort((a, b) => b.length - a.length)[0];
  if (!top) return undefined;
  const r = await runGit(['cat-file', 'blob', `HEAD:./${relative(top, s.file)}`], { cwd: top, allowFail: true });
  try {
    return r.code === 0 && hasOurs(s.agent, r.stdout, s.file) ? 'HEAD' : undefined;
  } catch {
    return undefined; // not readable as settings: not ours to judge
  }
}

/** git's rr-cache when git-session's rerere created it and the user has not switched rerere on since. */
async function rerereCache(repo: Repo): Promise<string | undefined> {
  const dir = join(repo.paths.commonDir, 'rr-cache');
  if (!existsSync(join(repo.localDir, RERERE_CREATED)) || !existsSync(dir)) return undefined;
  const on = await runGit(['config', '--type=bool', '--get', 'rerere.enabled'], { cwd: repo.cwd, allowFail: true });
  return on.stdout.trim() === 'true' ? undefined : dir;
}

/** The local state dirs: the shared one and every worktree's pointer dir. */
function localDirs(repo: Repo): string[] {
  const dirs = [repo.localDir, join(repo.paths.gitDir, 'session')];
  const wtRoot = join(repo.paths.commonDir, 'worktrees');
  if (existsSync(wtRoot)) for (const d of readdirSync(wtRoot)) dirs.push(join(wtRoot, d, 'session'));
  return [...new Set(dirs)].filter((d) => existsSync(d));
}

async function kept(repo: Repo, o: EjectOptions, sessionRefs: number, settings: SettingsKept[]): Promise<EjectKept[]> {
  const out: EjectKept[] = [];
  if (!o.purge && sessionRefs) out.push({ what: `${plural(sessionRefs, 'ref')} under ${SESSIONS_PREFIX}`, reason: 'the sessions themselves, readable again after a new init', command: 'git session eject --purge' });
  if ((await runGit(['rev-parse', '--verify', '-q', NOTES_REF], { cwd: repo.cwd, allowFail: true })).code === 0) out.push({ what: NOTES_REF, reason: 'notes on landed commits (git log --notes=sessions)', command: `git update-ref -d ${NOTES_REF}` });
  const user = o.home ? await userSettingsKept({ commonDir: repo.paths.commonDir, home: o.home, env: repo.env }) : [];
  for (const s of [...settings, ...user]) out.push({ what: s.file, reason: s.reason, ...(s.command ? { command: s.command } : {}) });
  return out;
}
