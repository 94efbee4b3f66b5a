// Keeps the last few sessions' events, files and diffs, so going back to the list and
// into the same session again does not reload it. Failed loads are not kept.
import type { BrowseData } from '../repo/browse.js';

export function cachedData(data: BrowseData, max = 8): BrowseData {
  const memo = new Map<string, Promise<unknown>>();
  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = memo.get(key);
    if (hit) {
      memo.delete(key);
      memo.set(key, hit); // most recently used last
      return hit as Promise<T>;
    }
    const p = load();
    memo.set(key, p);
    p.catch(() => memo.get(key) === p && memo.delete(key));
    while (memo.size > max * 3) memo.delete(memo.keys().next().value as string);
    return p;
  }
  return {
    listSessions: () => data.listSessions(),
    damaged: () => data.damaged?.() ?? [],
    search: (q) => data.search(q),
    loadEvents: (id) => once(`e\0${id}`, () => data.loadEvents(id)),
    changedFiles: (id) => once(`f\0${id}`, () => data.changedFiles(id)),
    fileDiff: (id, path) => once(`d\0${id}\0${path}`, () => data.fileDiff(id, path)),
    // never kept: markers leave the files as the user resolves them
    ...(data.conflicts ? { conflicts: (id: string) => data.conflicts!(id) } : {}),
    ...(data.verifyChecks ? { verifyChecks: (id: string) => once(`v\0${id}`, () => data.verifyChecks!(id)) } : {}),
  };
}
