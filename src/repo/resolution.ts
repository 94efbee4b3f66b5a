// Which conflicted paths of a session a tree resolves (no markers left) and how: the
// session's version, the target's, or an edit. Pure reads; nothing is recorded here.
import { findMarkers, hasMarkers } from '../core/markers.js';
import type { EventOf, ResolutionHow, SessionSummary } from '../core/types.js';
import { blobsAt } from '../git/checkout.js';
import type { Repo } from './repo.js';

/** The `conflict` event that made the session conflicted (the last sync that wrote markers). */
export async function lastConflict(repo: Repo, id: string): Promise<EventOf<'conflict'> | undefined> {
  const events = await repo.store.readEvents(id);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind === 'conflict' && e.work && e.range) return e;
  }
  return undefined;
}

/** Which conflicted paths a tree resolves. */
export interface ResolutionCheck {
  resolved: { path: string; how: ResolutionHow }[];
  remaining: string[];
  /** Named paths that still hold markers, with the lines of their `<<<<<<<` markers. */
  marked: { path: string; lines: number[] }[];
}

/**
 * Which of session `s`'s conflicted paths `tree` resolves. By default only a path git
 * wrote markers into and that has none left counts (a snapshot records it); `named`
 * (what `resolve` names) counts any path without markers, as a modify/delete conflict
 * needs. `how` compares the result with the session's pre-sync version (ours) and the
 * target's (theirs).
 */
export async function resolutionOf(repo: Repo, s: SessionSummary, ev: EventOf<'conflict'>, tree: string, named?: string[]): Promise<ResolutionCheck> {
  const paths = s.conflicted ?? [];
  const [now, marked, ours, theirs] = await Promise.all(
    [tree, ev.work!, ev.prevWork ?? ev.range!.from, ev.range!.to].map((t) => blobsAt(repo.cwd, t, paths)),
  );
  const text = async (oid?: string) => (oid ? await repo.store.objects.readText(oid).catch(() => '') : '');
  const out: ResolutionCheck = { resolved: [], remaining: [], marked: [] };
  for (const p of paths) {
    const wanted = named ? named.includes(p) : hasMarkers(await text(marked.get(p)));
    const current = await text(now.get(p));
    const left = findMarkers(current);
    if (!wanted || left.length) {
      out.remaining.push(p);
      if (wanted) out.marked.push({ path: p, lines: left.map((h) => h.start) });
      continue;
    }
    const oid = now.get(p);
    const how: ResolutionHow = oid === ours.get(p) ? 'ours' : oid === theirs.get(p) ? 'theirs' : 'edited';
    out.resolved.push({ path: p, how });
  }
  return out;
}

