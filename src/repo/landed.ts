import { withIndexDb } from '../cache/db.js';
import { type ConflictHit, type IndexStats, LandedIndex } from '../cache/landed.js';
import { GsError } from '../core/errors.js';
import type { FileChange, SessionSummary } from '../core/types.js';
import { gitHistory } from '../git/history.js';
import { diffPaths } from '../git/snapshot.js';
import type { Repo } from './repo.js';
import { branchRef, resolveTarget } from './target.js';
import { snapshot } from './work.js';
import type { OnProgress } from '../core/progress.js';

/**
 * Opens the landed index of `targetRef`, brings it up to the branch's tip (only the
 * new commits; a rewritten history is rebuilt from the point of divergence) and runs
 * `fn`. The LevelDB lock is held only for this.
 */
async function withLandedIndex<T>(repo: Repo, targetRef: string, tip: string, fn: (idx: LandedIndex) => Promise<T>): Promise<T> {
  return withIndexDb(repo.paths.commonDir, async (db) => {
    const idx = await LandedIndex.open(db, targetRef);
    await idx.catchUp(tip, gitHistory(repo.cwd));
    return fn(idx);
  });
}

/** What `conflicts` reports for one landed change. */
export interface ConflictReport {
  commit: string;
  sessionId: string | null;
  paths: string[];
}

/** A session's work against its target: what it changes and which landed changes touch the same paths. */
export interface SessionConflicts {
  target: string;
  targetRef: string;
  /** The target's tip now. */
  tip: string;
  /** The session's work tip (undefined before its first snapshot). */
  work?: string;
  /** Paths the work changes since its base. */
  files: FileChange[];
  /** Landed changes in (base, tip] touching those paths, oldest first. */
  hits: ConflictHit[];
  /** The base was not on the target's first-parent history; the index used its nearest ancestor there. */
  baseSubstituted: boolean;
}

/**
 * The pre-merge steps `land` and `conflicts` share: the target's tip, the paths the
 * session's work changes since its base, and the landed changes since that base touching
 * them (through the bloom-filter index, caught up to the tip first).
 */
export async function sessionConflicts(repo: Repo, s: SessionSummary, target = s.target): Promise<SessionConflicts> {
  const targetRef = branchRef(target);
  const tip = await repo.store.objects.resolve(targetRef);
  if (!tip) throw new GsError('unknown-ref', `no branch '${target}'`);
  const work = await repo.store.workTip(s.id);
  const files = work ? await diffPaths(repo.cwd, s.base, work) : [];
  const paths = files.map((f) => f.path);
  const q = await withLandedIndex(repo, targetRef, tip, (idx) => idx.conflicts(s.base, tip, paths, { ancestry: gitHistory(repo.cwd) }));
  return { target, targetRef, tip, work, files, hits: q.hits, baseSubstituted: q.baseSubstituted };
}

/**
 * Whether anything landed on the target in (base, tip] touches `paths` (the moved-target
 * rule of trusted checks, for an attestation made on another base than the session's).
 */
export async function touchedSince(repo: Repo, targetRef: string, tip: string, base: string, paths: string[]): Promise<boolean> {
  const q = await withLandedIndex(repo, targetRef, tip, (idx) => idx.conflicts(base, tip, paths, { ancestry: gitHistory(repo.cwd), limit: 1 }));
  return q.hits.length > 0;
}

/** `conflicts`: an open session is snapshotted first (as land does), so the answer is about its files as they are now. */
export async function currentConflicts(repo: Repo, id: string): Promise<SessionConflicts & { summary: SessionSummary }> {
  let summary = await repo.store.readSummary(id);
  if (summary.state === 'open') summary = (await snapshot(repo, id))?.summary ?? summary;
  return { ...(await sessionConflicts(repo, summary)), summary };
}

/** Shapes index hits for output. */
export function toReports(hits: ConflictHit[]): ConflictReport[] {
  return hits.map((h) => ({ commit: h.commit, sessionId: h.sessionId ?? null, paths: h.overlapping }));
}

/** What `index rebuild|stats` did. */
export interface ReindexResult {
  branch: string;
  /** Changes indexed by this run. */
  indexed: number;
  ms: number;
  stats: IndexStats;
}

/**
 * Brings the landed index of a branch (`onto`, default the current branch) up to its tip
 * (`rebuild`: from scratch) and reports its shape.
 */
export async function reindex(repo: Repo, o: { onto?: string; rebuild?: boolean; onProgress?: OnProgress } = {}): Promise<ReindexResult> {
  const { target, ref, tip } = await resolveTarget(repo, o.onto);
  const history = gitHistory(repo.cwd);
  const t0 = performance.now();
  return withIndexDb(repo.paths.commonDir, async (db) => {
    const idx = await LandedIndex.open(db, ref);
    const { added } = o.rebuild ? await idx.rebuild(tip, history, o.onProgress) : await idx.catchUp(tip, history, o.onProgress);
    return { branch: target, indexed: added, ms: Math.round(performance.now() - t0), stats: await idx.stats() };
  });
}
