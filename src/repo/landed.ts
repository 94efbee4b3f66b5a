import { withIndexDb } from '../cache/db.js';
import { type ConflictHit, type IndexStats, LandedIndex } from '../cache/landed.js';
import { GsError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import type { FileChange, SessionSummary } from '../core/types.js';
import { gitHistory } from '../git/history.js';
import { diffPaths, treeOfCommit, worktreeTree } from '../git/snapshot.js';
import type { Repo } from './repo.js';
import { branchRef, resolveTarget } from './target.js';
import { checkoutOf, viewBase } from './view.js';
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

/**
 * The landed changes in (base, tip] of `targetRef` touching `paths`, through the
 * bloom-filter index (caught up to the tip first). A base off the target's first-parent
 * history is replaced by its newest ancestor there (`baseSubstituted`).
 */
export async function landedHits(repo: Repo, targetRef: string, base: string, tip: string, paths: string[]): Promise<{ hits: ConflictHit[]; baseSubstituted: boolean }> {
  if (!paths.length) return { hits: [], baseSubstituted: false };
  const q = await withLandedIndex(repo, targetRef, tip, (idx) => idx.conflicts(base, tip, paths, { ancestry: gitHistory(repo.cwd) }));
  return { hits: q.hits, baseSubstituted: q.baseSubstituted };
}

/** A session's work against its target: what it changes and which landed changes touch the same paths. */
export interface SessionConflicts {
  target: string;
  targetRef: string;
  /** The target's tip now. */
  tip: string;
  /** The base the answer is for: the commit the session's checkout reflects. */
  base: string;
  /** The tree of the work: the checkout as it is now, else the last snapshot (undefined: none). */
  workTree?: string;
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
 * them. `view` answers for a checkout as it is (its tree and the commit it reflects)
 * instead of the last snapshot.
 */
export async function sessionConflicts(repo: Repo, s: SessionSummary, target = s.target, view?: { base: string; tree?: string }): Promise<SessionConflicts> {
  const targetRef = branchRef(target);
  const tip = await repo.store.objects.resolve(targetRef);
  if (!tip) throw new GsError('unknown-ref', `no branch '${target}'`);
  const base = view?.base ?? s.base;
  // A view's tree is a tree already (worktreeTree wrote it); a work tip is a commit.
  const work = view?.tree ? undefined : await repo.store.workTip(s.id);
  const workTree = view?.tree ?? (work ? await treeOfCommit(repo.cwd, repo.paths.commonDir, work) : undefined);
  const files = workTree ? await diffPaths(repo.cwd, base, workTree) : [];
  const q = await landedHits(repo, targetRef, base, tip, files.map((f) => f.path));
  return { target, targetRef, tip, base, workTree, files, hits: q.hits, baseSubstituted: q.baseSubstituted };
}

/**
 * `conflicts` and `land --dry-run`: the answer for the session's checkout as it is now
 * (its tree computed, the base it reflects), recording nothing: no ref moves, no event
 * (only loose objects may be written).
 */
export async function currentConflicts(repo: Repo, id: string, target?: string): Promise<SessionConflicts & { summary: SessionSummary }> {
  const summary = await repo.store.readSummary(id);
  let view: { base: string; tree?: string } | undefined;
  if (summary.state === 'open') {
    const c = await checkoutOf(repo, id);
    if (c) view = { tree: await worktreeTree(c.top, c.gitDir), base: await viewBase(repo, summary, c) };
  }
  return { ...(await sessionConflicts(repo, summary, target ?? summary.target, view)), summary };
}

/** Shapes index hits for output. */
export function toReports(hits: ConflictHit[]): ConflictReport[] {
  return hits.map((h) => ({ commit: h.commit, sessionId: h.sessionId ?? null, paths: h.overlapping }));
}

// How many commits, sessions and message lines a `conflict` event lists (it counts the rest).
const LISTED = 10;
const DETAIL_LINES = 20;

/**
 * The bounded part of a `conflict` event: of the landed changes that overlap (those
 * touching a conflicted path when any do), the first few commits and sessions and how
 * many there are, the range searched, and the first lines of git's messages. A sync
 * over thousands of landed commits stores a few hundred bytes, not every id.
 */
export function conflictSummary(hits: ConflictHit[], conflicts: string[], range: { from: string; to: string }, messages: string[]) {
  const touches = (p: string) => conflicts.some((c) => c === p || c.startsWith(`${p}/`) || p.startsWith(`${c}/`));
  const clashing = hits.filter((h) => h.overlapping.some(touches));
  const chosen = clashing.length ? clashing : hits;
  // Trailers are anyone's text: only real session ids are stored.
  const sessions = [...new Set(chosen.map((h) => h.sessionId).filter((x): x is string => Boolean(x) && isId(x!)))];
  const detail = messages.slice(0, DETAIL_LINES).join('\n') + (messages.length > DETAIL_LINES ? `\n… ${messages.length - DETAIL_LINES} more` : '');
  return {
    files: conflicts,
    commits: chosen.slice(0, LISTED).map((h) => h.commit),
    count: chosen.length,
    range,
    ...(sessions.length ? { sessions: sessions.slice(0, LISTED) } : {}),
    ...(detail ? { detail } : {}),
  };
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
