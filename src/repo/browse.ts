import { metaRef } from '../core/layout.js';
import type { FileChange, SessionEvent, SessionSummary } from '../core/types.js';
import { runGit } from '../git/exec.js';
import { diffPaths } from '../git/snapshot.js';
import type { Repo } from './repo.js';
import { listSessions } from './sessions.js';

/** Read access for browsers (the TUI's data seam, implemented over the repository). */
export interface BrowseData {
  listSessions(): Promise<SessionSummary[]>;
  search(query: string): Promise<Set<string>>;
  loadEvents(id: string): Promise<SessionEvent[]>;
  changedFiles(id: string): Promise<FileChange[]>;
  fileDiff(id: string, path: string): Promise<string>;
}

const GREP_BATCH = 500;

/**
 * Browse data over a repository: summaries from the catalog, events and diffs on
 * demand, and search through `git grep` over every session's data (goals in memory,
 * prompts and messages in the event chunks) without loading events into this process.
 */
export function browseData(repo: Repo): BrowseData {
  let summaries: SessionSummary[] | undefined;
  const ends = async (id: string) => {
    const s = await repo.store.readSummary(id);
    return { base: s.base, work: (await repo.store.workTip(id)) ?? s.base };
  };
  return {
    async listSessions() {
      summaries = await listSessions(repo);
      return summaries;
    },
    async search(query) {
      const q = query.trim().toLowerCase();
      const hits = new Set<string>();
      if (!q) return hits;
      const all = summaries ?? (await listSessions(repo));
      for (const s of all) if (s.goal.toLowerCase().includes(q)) hits.add(s.id);
      const ids = all.map((s) => s.id).filter((id) => !hits.has(id));
      for (let i = 0; i < ids.length; i += GREP_BATCH) {
        const revs = ids.slice(i, i + GREP_BATCH).map(metaRef);
        const r = await runGit(['grep', '-l', '-i', '-F', '-e', query.trim(), ...revs, '--', 'events/'], { cwd: repo.cwd, allowFail: true });
        for (const line of r.stdout.split('\n')) {
          const m = /^refs\/sessions\/([^/]+)\/meta:/.exec(line);
          if (m) hits.add(m[1]);
        }
      }
      return hits;
    },
    loadEvents: (id) => repo.store.readEvents(id),
    async changedFiles(id) {
      const { base, work } = await ends(id);
      return base === work ? [] : diffPaths(repo.cwd, base, work);
    },
    async fileDiff(id, path) {
      const { base, work } = await ends(id);
      return (await runGit(['diff', '--no-color', base, work, '--', path], { cwd: repo.cwd })).stdout;
    },
  };
}
