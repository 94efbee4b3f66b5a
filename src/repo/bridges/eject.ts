import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError } from '../../core/errors.js';
import { runGit } from '../../git/exec.js';
import { listRefs, transact, ZERO } from '../../git/refs.js';
import { isClean, listWorktrees } from '../../git/worktrees.js';
import { uninstallHooks } from '../hooks.js';
import { clearPolicies } from '../publish.js';
import { removeRefspecs, TRACKING_PREFIX } from '../remotes.js';
import type { Repo } from '../repo.js';
import { plural } from '../../core/text.js';
import { SESSIONS_PREFIX } from '../../core/layout.js';

/** Options of `eject`. */
export interface EjectOptions {
  /** Write each landed session's reasoning as git notes first. */
  notes?: (repo: Repo) => Promise<{ written: number }>;
  purge?: boolean;
}

/** What `eject` did. */
export interface EjectResult {
  changed: string[];
  notes: number;
  purgedRefs: number;
}

/**
 * Walks back to plain Git: optional notes first, then the hook (restoring the user's
 * own exactly), the refspecs, tracking refs, local index and pointers; `purge` also
 * deletes `refs/sessions/`. Branches, tags, commits and other config are untouched.
 * Session worktrees with uncommitted changes stop it before anything changes.
 */
export async function eject(repo: Repo, o: EjectOptions = {}): Promise<EjectResult> {
  const sessionWts = (await listWorktrees(repo.cwd)).filter((w) => w.path.startsWith(join(repo.localDir, 'worktrees') + '/'));
  const dirty: string[] = [];
  for (const w of sessionWts) if (!(await isClean(w.path)) || (await runGit(['status', '--porcelain'], { cwd: w.path })).stdout.trim()) dirty.push(w.path);
  if (dirty.length) throw new GsError('policy', `session worktrees hold uncommitted changes (snapshot or remove them first): ${dirty.join(', ')}`);
  const changed: string[] = [];
  let notes = 0;
  if (o.notes) {
    notes = (await o.notes(repo)).written;
    changed.push(`wrote ${plural(notes, 'session note')} to refs/notes/sessions`);
  }
  for (const w of sessionWts) {
    await runGit(['worktree', 'remove', '--force', w.path], { cwd: repo.cwd });
    changed.push(`removed session worktree ${w.path}`);
  }
  const hook = await uninstallHooks(repo);
  if (hook) changed.push(hook);
  changed.push(...(await removeRefspecs(repo)));
  const cleared = await clearPolicies(repo);
  if (cleared.length) changed.push(`removed the sessions publishing choice of ${cleared.join(', ')}`);
  const tracking = listRefs(repo.paths.commonDir, TRACKING_PREFIX);
  if (tracking.size) {
    await transact(repo.cwd, [...tracking].map(([ref, old]) => ({ ref, new: ZERO, old })));
    changed.push(`deleted ${tracking.size} remote-tracking session refs`);
  }
  let purgedRefs = 0;
  if (o.purge) {
    // Everything under refs/sessions/: sessions, archive shards, and refs we do not know.
    const refs = listRefs(repo.paths.commonDir, SESSIONS_PREFIX);
    if (refs.size && !(await transact(repo.cwd, [...refs].map(([ref, old]) => ({ ref, new: ZERO, old }))))) {
      throw new GsError('contention', 'session refs moved during eject --purge; run it again');
    }
    purgedRefs = refs.size;
    if (purgedRefs) changed.push(`deleted ${plural(purgedRefs, 'ref')} under refs/sessions/`);
  }
  // Local state: the shared dir and every worktree's pointer dir.
  const dirs = [repo.localDir, join(repo.paths.gitDir, 'session')];
  const wtRoot = join(repo.paths.commonDir, 'worktrees');
  if (existsSync(wtRoot)) for (const d of readdirSync(wtRoot)) dirs.push(join(wtRoot, d, 'session'));
  let removed = false;
  for (const d of new Set(dirs)) {
    if (existsSync(d)) {
      await rm(d, { recursive: true, force: true });
      removed = true;
    }
  }
  if (removed) changed.push('removed the local index and current-session pointers');
  return { changed, notes, purgedRefs };
}
