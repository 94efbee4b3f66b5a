import type { DamagedSession, FileChange, SessionSummary, StoredEvent } from '../core/types.js';
import { runGit } from '../git/exec.js';
import { diffPaths } from '../git/snapshot.js';
import type { Repo } from './repo.js';
import { listAll, listSessions, showSession } from './sessions.js';
import { hasSignedChecks, verifySession } from './verify.js';
import type { CheckVerdict } from '../core/attest/verify.js';
import { type ConflictView, conflictView } from './conflict-context.js';

/**
 * Read access for browsers: the terminal browser's data seam, implemented here over the
 * repository (and in tests over memory), so everything it shows comes through this.
 */
export interface BrowseData {
  /** Every session's summary, newest first (cheap: from the catalog, no events). */
  listSessions(): Promise<SessionSummary[]>;
  /** The sessions the last listSessions found damaged, with why (shown, never opened). */
  damaged?(): DamagedSession[];
  /** Full-text search over goals, prompts and messages; the matching ids (slower: call on Enter). */
  search(query: string): Promise<Set<string>>;
  /** The whole event timeline of one session, loaded on demand (events this version cannot obey come as ForeignEvent). */
  loadEvents(id: string): Promise<StoredEvent[]>;
  /** Files the session's work changes against its base. */
  changedFiles(id: string): Promise<FileChange[]>;
  /** Unified diff text (git diff output) of one file of the session's work. */
  fileDiff(id: string, path: string): Promise<string>;
  /** The session's signed checks judged, by event id (undefined when none is signed). */
  verifyChecks?(id: string): Promise<ReadonlyMap<string, CheckVerdict> | undefined>;
  /** While the session is conflicted: each path, its markers and both sides' reasoning (as `conflicts` shows them). */
  conflicts?(id: string): Promise<ConflictView | undefined>;
}

/**
 * Browse data over a repository: summaries from the catalog, events and diffs on
 * demand, and search through `git grep` over every session's data (goals in memory,
 * prompts and messages in the event chunks) without loading events into this process.
 */
export function browseData(repo: Repo): BrowseData {
  let summaries: SessionSummary[] | undefined;
  let damaged: DamagedSession[] = [];
  return {
    async listSessions() {
      const all = await listAll(repo);
      damaged = all.damaged;
      summaries = all.sessions;
      return summaries;
    },
    damaged: () => damaged,
    async search(query) {
      const q = query.trim().toLowerCase();
      const hits = new Set<string>();
      if (!q) return hits;
      const all = summaries ?? (await listSessions(repo));
      for (const s of all) if (s.goal.toLowerCase().includes(q)) hits.add(s.id);
      const rest = all.map((s) => s.id).filter((id) => !hits.has(id));
      for (const id of await repo.store.grep(rest, query.trim())) hits.add(id);
      return hits;
    },
    loadEvents: (id) => repo.store.readEvents(id),
    changedFiles: (id) => sessionFiles(repo, id),
    async verifyChecks(id) {
      const { summary, events } = await showSession(repo, id);
      if (!hasSignedChecks(events)) return undefined;
      return new Map((await verifySession(repo, summary, events)).checks.map((v) => [v.event, v]));
    },
    conflicts: async (id) => conflictView(repo, await repo.store.readSummary(id)),
    async fileDiff(id, path) {
      const { base, work } = await workEnds(repo, id);
      return (await runGit(['diff', '--no-color', base, work, '--', path], { cwd: repo.cwd })).stdout;
    },
  };
}

/** The session's current base and its work tip (the base itself before any work). */
async function workEnds(repo: Repo, id: string): Promise<{ base: string; work: string }> {
  const s = await repo.store.readSummary(id);
  return { base: s.base, work: (await repo.store.workTip(id)) ?? s.base };
}

/**
 * The files a session's work changes: the diff between its current base and its work
 * tip. The one source for every surface that lists them (the browser's files pane,
 * `show`): after a `sync` moved the base, the last snapshot's list, taken against the
 * old base, can name files whose change the new base already has.
 */
export async function sessionFiles(repo: Repo, id: string): Promise<FileChange[]> {
  const { base, work } = await workEnds(repo, id);
  return base === work ? [] : diffPaths(repo.cwd, base, work);
}
