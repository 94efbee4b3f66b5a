import { gitHistory } from '../git/history.js';
import { withIndexDb } from '../cache/db.js';
import { type ConflictHit, LandedIndex, type QueryResult } from '../cache/landed.js';
import type { Repo } from './repo.js';

/** Full ref name of a target branch. */
export function branchRef(target: string): string {
  return target.startsWith('refs/') ? target : `refs/heads/${target}`;
}

/**
 * Opens the landed index of `targetRef`, brings it up to the branch's tip (only the
 * new commits; a rewritten history is rebuilt from the point of divergence) and runs
 * `fn`. The LevelDB lock is held only for this.
 */
export async function withLandedIndex<T>(repo: Repo, targetRef: string, tip: string, fn: (idx: LandedIndex) => Promise<T>): Promise<T> {
  return withIndexDb(repo.paths.commonDir, async (db) => {
    const idx = await LandedIndex.open(db, targetRef);
    await idx.catchUp(tip, gitHistory(repo.cwd));
    return fn(idx);
  });
}

/** Landed changes in (base, tip] of `targetRef` touching `paths`, through the bloom-filter tree. */
export async function landedConflicts(repo: Repo, targetRef: string, base: string, tip: string, paths: string[], limit?: number): Promise<QueryResult> {
  return withLandedIndex(repo, targetRef, tip, (idx) => idx.conflicts(base, tip, paths, { ancestry: gitHistory(repo.cwd), ...(limit ? { limit } : {}) }));
}

/** What `conflicts` reports for one landed change. */
export interface ConflictReport {
  commit: string;
  sessionId: string | null;
  paths: string[];
}

/** Shapes index hits for output. */
export function toReports(hits: ConflictHit[]): ConflictReport[] {
  return hits.map((h) => ({ commit: h.commit, sessionId: h.sessionId ?? null, paths: h.overlapping }));
}
