// The worktrees `eject` deals with: the session worktrees git-session added (under
// .git/session/worktrees/, or where `start --worktree <dir>` was told, remembered in
// .git/session/worktree-of/), which it removes when nothing in them would be lost, and
// every worktree's top (where project agent settings may sit).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { discoverRepo } from '../../git/discover.js';
import { runGit } from '../../git/exec.js';
import { treeOf, worktreeSnapshot } from '../../git/snapshot.js';
import { listWorktrees } from '../../git/worktrees.js';
import type { SettingsStep } from '../capture/eject-settings.js';
import type { Repo } from '../repo.js';

/** The repository's worktrees as eject sees them. */
export interface EjectWorktrees {
  /** Every worktree's top (the main one first), for project settings. */
  tops: string[];
  /** The session worktrees to remove. */
  sessions: string[];
  /** Session worktrees git still lists whose directory is gone (pruned). */
  missing: string[];
}

/** Finds the worktrees (nothing changes). */
export async function findWorktrees(repo: Repo): Promise<EjectWorktrees> {
  const all = (await listWorktrees(repo.cwd)).filter((w) => !w.bare);
  const registered = sessionsByWorktree(repo);
  const under = join(repo.localDir, 'worktrees') + sep;
  const main = all[0]?.path;
  const isSession = (p: string) => p !== main && (p.startsWith(under) || registered.has(p));
  const present = all.filter((w) => existsSync(w.path));
  return {
    tops: present.map((w) => w.path),
    sessions: present.filter((w) => isSession(w.path)).map((w) => w.path),
    missing: all.filter((w) => !existsSync(w.path) && isSession(w.path)).map((w) => w.path),
  };
}

/** Which session each registered worktree belongs to. */
function sessionsByWorktree(repo: Repo): Map<string, string> {
  const m = new Map<string, string>();
  const of = join(repo.localDir, 'worktree-of');
  if (existsSync(of)) for (const id of readdirSync(of)) m.set(readFileSync(join(of, id), 'utf8').trim(), id);
  return m;
}

/** Whether a session worktree's files are exactly its session's last snapshot, with no conflict in progress (nothing but ignored files would go). */
async function snapshotted(repo: Repo, top: string, id: string | undefined): Promise<boolean> {
  if (!id) return false;
  try {
    const s = await repo.store.readSummary(id);
    const tip = (await repo.store.workTip(id)) ?? s.base;
    // A conflict being resolved lives in the index's stages: removing it would lose them.
    if ((await runGit(['ls-files', '-u'], { cwd: top })).stdout.trim()) return false;
    const snap = await worktreeSnapshot(top, discoverRepo(top, {}).gitDir, { scratchOver: join(repo.paths.commonDir, 'objects') });
    return snap.skipped.length === 0 && snap.tree === (await treeOf(repo.cwd, tip));
  } catch {
    return false;
  }
}

/**
 * The session worktrees holding changes that removing them would lose: files that are
 * not the session's last snapshot, unless every status line (untracked files too) is a
 * settings file the plan gives back as it was committed (restored to HEAD's bytes, or
 * deleted when untracked).
 */
export async function dirtyWorktrees(repo: Repo, sessions: string[], steps: SettingsStep[]): Promise<string[]> {
  const dirty: string[] = [];
  const owner = sessionsByWorktree(repo);
  for (const top of sessions) {
    if (await snapshotted(repo, top, owner.get(top))) continue;
    const r = await runGit(['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all'], { cwd: top, allowFail: true });
    if (r.code !== 0) {
      dirty.push(top);
      continue;
    }
    const recs = r.stdout.split('\0');
    let lost = false;
    for (let i = 0; i < recs.length && !lost; i++) {
      const rec = recs[i];
      if (!rec) continue;
      const xy = rec.slice(0, 2);
      const path = rec.slice(3);
      if (xy[0] === 'R' || xy[0] === 'C') i++; // the rename's source follows
      if (!(await givenBackClean(top, path, xy, steps))) lost = true;
    }
    if (lost) dirty.push(top);
  }
  return dirty;
}

async function givenBackClean(top: string, path: string, xy: string, steps: SettingsStep[]): Promise<boolean> {
  const step = steps.find((s) => relative(top, s.file) === path);
  if (!step || step.action === 'strip') return false;
  if (step.action === 'delete') return xy === '??';
  if (xy[0] !== ' ') return false; // staged: the index holds something of the user's
  const head = await runGit(['rev-parse', '--verify', '-q', `HEAD:${path}`], { cwd: top, allowFail: true });
  const mine = await runGit(['hash-object', '--stdin', `--path=${path}`], { cwd: top, input: step.bytes!, allowFail: true });
  return head.code === 0 && head.stdout.trim() === mine.stdout.trim();
}

/** Removes the session worktrees (clean ones: checked before) and forgets those already gone. */
export async function removeWorktrees(repo: Repo, w: EjectWorktrees): Promise<void> {
  for (const p of w.sessions) await runGit(['worktree', 'remove', '--force', p], { cwd: repo.cwd });
  if (w.missing.length) await runGit(['worktree', 'prune'], { cwd: repo.cwd });
}
