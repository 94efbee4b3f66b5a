// `git session resolve [<path>...] [--take ours|theirs]`: recording that conflicted paths
// of a session are resolved.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { findMarkers } from '../core/markers.js';
import type { ResolutionHow } from '../core/types.js';
import { checkRepoPath } from '../core/validate.js';
import { blobsAt } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import type { Repo } from './repo.js';
import { lastConflict } from './resolution.js';
import { settle } from './settle.js';
import { checkoutOf } from './view.js';
import { snapshot, type SnapshotResult } from './work.js';

/** What `resolve` did. */
export interface ResolveResult {
  session: string;
  resolved: { path: string; how: ResolutionHow }[];
  remaining: string[];
  snapshot?: SnapshotResult;
}

/**
 * `git session resolve [<path>...] [--take ours|theirs]`: marks conflicted paths (all
 * of them by default) resolved once their files hold no markers, recording a
 * `resolution` event with the snapshot of the checkout; `--take` first writes the
 * session's (ours) or the target's (theirs) version. A named path that still has markers
 * is refused (exit 1) with its marker lines; nothing is recorded then.
 */
export async function resolvePaths(repo: Repo, id: string, named: string[], take?: 'ours' | 'theirs'): Promise<ResolveResult> {
  const s = await repo.store.readSummary(id);
  if (s.state !== 'conflicted') throw new GsError('policy', `session ${shortId(id)} is ${s.state}, not conflicted: nothing to resolve`);
  const c = await checkoutOf(repo, id);
  if (!c) throw new GsError('policy', `no worktree holds session ${shortId(id)}: resolve it where it is current`);
  const conflicted = s.conflicted ?? [];
  for (const p of named) {
    checkRepoPath(p);
    if (!conflicted.includes(p)) throw new GsError('bad-input', `${p} is not a conflicted path of ${shortId(id)} (conflicted: ${conflicted.join(', ')})`);
  }
  const paths = named.length ? named : conflicted;
  const ev = await lastConflict(repo, id);
  if (!ev) throw new GsError('damaged', `session ${shortId(id)} is conflicted but has no conflict event`);
  // A sync killed before its files moved is finished first, so what --take writes lands on
  // the moved checkout, and the snapshot below does not mistake the session's own (ours)
  // version for files an interrupted sync left behind.
  const settled = await settle(repo, s, c);
  if (take) {
    const side = take === 'ours' ? (ev.prevWork ?? ev.range!.from) : ev.range!.to;
    const present = await blobsAt(repo.cwd, side, paths);
    const write = paths.filter((p) => present.has(p));
    if (write.length) await runGit(['checkout', side, '--', ...write], { cwd: c.top, env: { GIT_LITERAL_PATHSPECS: '1' } });
    for (const p of paths.filter((q) => !present.has(q))) await rm(join(c.top, p), { force: true, recursive: true });
  }
  const marked: string[] = [];
  for (const p of paths) {
    const left = findMarkers(await readFile(join(c.top, p), 'utf8').catch(() => ''));
    if (left.length) marked.push(`${p}:${left.map((h) => h.start).join(',')}`);
  }
  if (marked.length) throw new GsError('conflict', `conflict markers remain in ${marked.join(' ')}: edit them out first (nothing recorded)`, { session: id, marked });
  const snap = await snapshot(repo, id, undefined, false, { resolve: paths, reused: settled.reused, settled: true });
  const res = snap?.resolution;
  return { session: id, resolved: res?.paths ?? [], remaining: res?.remaining ?? conflicted, snapshot: snap };
}
