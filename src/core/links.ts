// Which session a commit carries (pure): the rules reconcile and the hooks follow when
// history is rewritten. A commit is tied to a session, in this order, by a `Session-Id:`
// line anywhere in its message (a forge's squash merge buries it under its own text), by
// being a commit already recorded as one of the session's landings (a rewrite or a
// cherry-pick the hooks saw), by the exact tree the session's work merged onto the
// commit's parent gives, or by the same patch-id as the session's change. Never a guess:
// two sessions matching one tree or patch-id, or a near match, is reported, not linked.
import { isId } from './ids.js';
import type { LandVia, SessionSummary } from './types.js';

/** Every session id a commit message names on a `Session-Id:` line, anywhere in it, in order, once each. */
export function sessionIdsIn(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/^[ \t]*Session-Id:[ \t]*(\S+)[ \t]*$/gim)) {
    const id = m[1].toLowerCase();
    if (isId(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/** A subject without the pull-request number a forge appends: "Greet by name (#12)" is "Greet by name". */
export function withoutPrNumber(subject: string): string {
  return subject.replace(/\s*\((?:#|!)\d+\)\s*$/, '').trim();
}

/** The commits a session has landed as: its landed commit (and the one it first landed as) and every further landing. */
export function landedCommits(s: SessionSummary): string[] {
  const out = new Set<string>();
  if (s.landed) {
    out.add(s.landed.commit);
    if (s.landed.first) out.add(s.landed.first);
  }
  for (const l of s.landings ?? []) out.add(l.commit);
  return [...out];
}

/** Every commit whose rewrite the hooks follow: the landed commits and the exported tip. */
export function linkedCommits(s: SessionSummary): string[] {
  const out = landedCommits(s);
  if (s.exported && !out.includes(s.exported.tip)) out.push(s.exported.tip);
  return out;
}

/** The patch-ids a landed session's commits are known by (for cherry-picks found later). */
export function landedPatchIds(s: SessionSummary): string[] {
  const out = new Set<string>();
  if (s.landed?.patchId) out.add(s.landed.patchId);
  for (const l of s.landings ?? []) if (l.patchId) out.add(l.patchId);
  return [...out];
}

/** What matched one commit, each a list of session ids. */
export interface CommitMatches {
  /** Sessions named by a `Session-Id:` line (known here). */
  trailer: string[];
  /** Sessions that already hold this commit as a landing (recorded by a hook). */
  rewrite: string[];
  /** Sessions whose work merged onto the commit's parent gives exactly its tree. */
  tree: string[];
  /** Sessions whose change has the commit's patch-id. */
  patchId: string[];
  /** Sessions the commit nearly matches (the same files, or its subject is their goal), with neither tree nor patch-id. */
  partial: string[];
}

/** What reconcile does with one commit. */
export type LinkDecision =
  | { link: string[]; via: LandVia }
  | { ambiguous: string[]; via: 'tree' | 'patch-id' }
  | { partial: string[] }
  | undefined;

/**
 * The rule, in order: sessions a commit names or already holds are facts, each linked;
 * a tree match, then a patch-id match, links only when exactly one session matches (two
 * or more are reported as ambiguous); a near match is reported; otherwise nothing.
 */
export function decideLink(m: CommitMatches): LinkDecision {
  if (m.trailer.length) return { link: m.trailer, via: 'trailer' };
  if (m.rewrite.length) return { link: m.rewrite, via: 'rewrite' };
  for (const via of ['tree', 'patch-id'] as const) {
    const hits = [...new Set(via === 'tree' ? m.tree : m.patchId)];
    if (hits.length === 1) return { link: hits, via };
    if (hits.length > 1) return { ambiguous: hits, via };
  }
  const near = [...new Set(m.partial)];
  return near.length ? { partial: near } : undefined;
}

/**
 * What linking `commit`, found on `branch`, records for session `s`: a `land` when it
 * makes an open (or conflicted) session landed — only a commit on its own target does —
 * a `landing` otherwise (an already landed or abandoned session, another branch), and
 * nothing when the session already holds the commit.
 */
export function linkKind(s: SessionSummary, commit: string, branch: string): 'land' | 'landing' | undefined {
  if (s.state === 'landed' && landedCommits(s).includes(commit)) return undefined;
  if ((s.state === 'open' || s.state === 'conflicted') && branch === s.target) return 'land';
  if ((s.landings ?? []).some((l) => l.commit === commit && l.branch === branch)) return undefined;
  return 'landing';
}
