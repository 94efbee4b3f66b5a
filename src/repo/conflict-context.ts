// What a resolver needs beside the markers: for each conflicted path, why the other side
// changed it (the landed session's goal and the decisions that touched the path, or a
// plain commit's subject) and why this session did. No merge tool shows that.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { findMarkers, type MarkerHunk } from '../core/markers.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
import { blobsAt } from '../git/checkout.js';
import { runGit } from '../git/exec.js';
import { diffPaths } from '../git/snapshot.js';
import { landedHits } from './landed.js';
import type { Repo } from './repo.js';
import { lastConflict } from './resolution.js';
import { branchRef } from './target.js';
import { checkoutOf } from './view.js';

/** A decision as a resolver reads it. */
export interface DecisionView {
  chosen: string;
  rationale: string;
  rejected: { option: string; reason: string }[];
}

/** One landed change on the other side of a conflicted path. */
export interface OtherSide {
  commit: string;
  subject: string;
  /** The session that landed it, when it is known here. */
  session?: { id: string; goal: string; decisions: DecisionView[] };
}

/** One conflicted path: where its markers are, and both sides' reasoning. */
export interface ConflictedPath {
  path: string;
  /** Conflict regions in the file as it is now (line numbers, 1-based). */
  markers: MarkerHunk[];
  ours: { session: string; goal: string; decisions: DecisionView[] };
  theirs: OtherSide[];
}

/** A conflicted session, path by path. */
export interface ConflictView {
  session: string;
  /** The sync that conflicted: old base and the target tip it rebased onto. */
  range: { from: string; to: string };
  worktree: string | null;
  paths: ConflictedPath[];
}

// Decisions shown per path and side (the most recent ones).
const DECISIONS = 5;

const view = (d: Extract<SessionEvent, { kind: 'decision' }>): DecisionView => ({ chosen: d.chosen, rationale: d.rationale, rejected: d.rejected });

/**
 * The decisions of a session that touched `path`: those followed by a snapshot that
 * changed it (or by no snapshot: they shaped the whole landed change), and those naming
 * it. `changed` caches each snapshot's own paths (against the work before it).
 */
async function decisionsTouching(repo: Repo, events: StoredEvent[], path: string, changed: Map<string, Promise<Set<string>>>): Promise<DecisionView[]> {
  const out: DecisionView[] = [];
  const name = basename(path);
  for (let i = 0; i < events.length; i++) {
    const d = events[i];
    if (d.kind !== 'decision') continue;
    const text = [d.chosen, d.rationale, ...d.rejected.flatMap((r) => [r.option, r.reason])].join('\n');
    const next = events.slice(i + 1).find((e) => e.kind === 'snapshot');
    let touches = text.includes(path) || text.includes(name) || !next;
    if (!touches && next?.kind === 'snapshot') {
      const from = next.prevWork ?? next.parent;
      if (!changed.has(next.commit)) changed.set(next.commit, diffPaths(repo.cwd, from, next.commit).then((f) => new Set(f.map((x) => x.path)), () => new Set()));
      touches = (await changed.get(next.commit)!).has(path);
    }
    if (touches) out.push(view(d));
  }
  return out.slice(-DECISIONS);
}

/** Subjects of commits, in one `git log --no-walk`. */
async function subjects(repo: Repo, commits: string[]): Promise<Map<string, string>> {
  if (!commits.length) return new Map();
  const r = await runGit(['log', '--no-walk=unsorted', '--no-show-signature', '--format=%H%x00%s', ...commits, '--'], { cwd: repo.cwd, allowFail: true });
  return new Map(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
}

/** The conflicted paths of session `s` with markers and both sides' reasoning (undefined unless conflicted). */
export async function conflictView(repo: Repo, s: SessionSummary): Promise<ConflictView | undefined> {
  if (s.state !== 'conflicted') return undefined;
  const ev = await lastConflict(repo, s.id);
  if (!ev?.range) return undefined;
  const paths = s.conflicted ?? [];
  const c = await checkoutOf(repo, s.id);
  const inWork = c ? new Map<string, string>() : await blobsAt(repo.cwd, s.work ?? s.base, paths);
  const text = (p: string) => (c ? readFile(join(c.top, p), 'utf8').catch(() => '') : inWork.has(p) ? repo.store.objects.readText(inWork.get(p)!) : Promise.resolve(''));
  const { hits } = await landedHits(repo, branchRef(s.target), ev.range.from, ev.range.to, paths);
  const subj = await subjects(repo, [...new Set(hits.map((h) => h.commit))]);
  const sessions = new Map<string, { goal: string; events: StoredEvent[] } | null>();
  const loadSession = async (id: string) => {
    if (!sessions.has(id)) {
      const tip = await repo.store.metaTip(id).catch(() => undefined);
      const got = tip ? await Promise.all([repo.store.readSummary(id, tip), repo.store.readEvents(id, tip)]).catch(() => undefined) : undefined;
      sessions.set(id, got ? { goal: got[0].goal, events: got[1] } : null);
    }
    return sessions.get(id)!;
  };
  const ownEvents = await repo.store.readEvents(s.id);
  const changed = new Map<string, Promise<Set<string>>>();
  const out: ConflictedPath[] = [];
  for (const p of paths) {
    const touching = hits.filter((h) => h.overlapping.some((o) => o === p || o.startsWith(`${p}/`) || p.startsWith(`${o}/`)));
    const theirs: OtherSide[] = [];
    for (const h of touching) {
      const side: OtherSide = { commit: h.commit, subject: subj.get(h.commit) ?? '' };
      const other = h.sessionId ? await loadSession(h.sessionId) : null;
      if (other && h.sessionId) side.session = { id: h.sessionId, goal: other.goal, decisions: await decisionsTouching(repo, other.events, p, changed) };
      theirs.push(side);
    }
    out.push({
      path: p,
      markers: findMarkers(await text(p)),
      ours: { session: s.id, goal: s.goal, decisions: await decisionsTouching(repo, ownEvents, p, changed) },
      theirs,
    });
  }
  return { session: s.id, range: ev.range, worktree: c?.top ?? null, paths: out };
}
