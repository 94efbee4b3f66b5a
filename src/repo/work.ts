import { workRef } from '../core/layout.js';
import type { EventOf, SessionEvent, SessionSummary } from '../core/types.js';
import { sanitize } from '../core/sanitize.js';
import { ZERO } from '../git/refs.js';
import { redactText } from '../core/redact/index.js';
import { diffPaths, treeOfCommit, worktreeSnapshot } from '../git/snapshot.js';
import { type SecretFile, secretFilesBetween } from './secret-warnings.js';
import type { Repo } from './repo.js';
import { rerere, resetPaths } from '../git/checkout.js';
import { lastConflict, resolutionOf } from './resolution.js';
import { requireOpen } from './sessions.js';
import { settle } from './settle.js';
import { checkoutOf, viewBase } from './view.js';

/** What a snapshot did: the new work commit, or nothing when the tree had not changed. */
export interface SnapshotResult {
  summary: SessionSummary;
  event?: SessionEvent;
  /** The `resolution` recorded with it, while the session was conflicted. */
  resolution?: EventOf<'resolution'>;
  tree: string;
  /** Untracked files left out as likely secrets (core/secretfiles.ts). */
  skipped: string[];
  /** Tracked files this snapshot took whose content looks secret (kept: a tracked file is code). */
  secretFiles: SecretFile[];
}

/** Options of `snapshot` (for `resolve` and a sync's reused resolutions). */
export interface SnapshotOptions {
  /** Paths `resolve` names: resolved once no markers remain, whatever git wrote. */
  resolve?: string[];
  /** Paths git rerere resolved with an earlier resolution. */
  reused?: string[];
  /** The caller already finished any interrupted worktree move (and then changed files itself). */
  settled?: boolean;
}

/** Fails unless the session may take a snapshot (open, or conflicted while being resolved). */
function requireWritable(s: SessionSummary): void {
  if (s.state !== 'conflicted') requireOpen(s);
}

/**
 * Commits the session worktree's current state (tracked and untracked-not-ignored) onto
 * the session's work chain, moving the work ref and appending the `snapshot` event in
 * one transaction. The user's index and branches are not touched. No-op when unchanged.
 * When the checkout moved along the target (viewBase), the base follows it: the commit
 * gets the new base as first parent and the old work as second. While conflicted, paths
 * left without markers are recorded resolved in the same transaction (git rerere then
 * remembers them). First finishes a sync or undo that was killed before the files moved.
 * `explicit` (the `snapshot` command) falls back to this worktree when the session has
 * none of its own here; automatic snapshots (land, sync, check) then do nothing.
 */
export async function snapshot(repo: Repo, id: string, message?: string, explicit = false, o: SnapshotOptions = {}): Promise<SnapshotResult | undefined> {
  const c = await checkoutOf(repo, id, explicit);
  if (!c) return undefined;
  let s = await repo.store.readSummary(id);
  let { tree, skipped } = await worktreeSnapshot(c.top, c.gitDir);
  const settled = o.settled ? { moved: false, reused: [] } : await settle(repo, s, c, tree);
  if (settled.moved) {
    s = await repo.store.readSummary(id);
    ({ tree, skipped } = await worktreeSnapshot(c.top, c.gitDir));
  }
  const reused = [...(o.reused ?? []), ...settled.reused];
  const view = await viewBase(repo, s, c);
  const ident = await repo.ident();
  let event: SessionEvent | undefined;
  let resolution: EventOf<'resolution'> | undefined;
  let from: string | undefined;
  const summary = await repo.store.append(id, ident, async (cur) => {
    requireWritable(cur);
    event = resolution = undefined;
    // Another writer moved the base meanwhile: keep theirs, follow nothing.
    const base = cur.base === s.base ? view : cur.base;
    const follow = base !== cur.base;
    const workTip = await repo.store.workTip(id);
    const parent = workTip ?? cur.base;
    const events: SessionEvent[] = [];
    if (follow || (await treeOfCommit(repo.cwd, repo.paths.commonDir, parent)) !== tree) {
      const parents = follow ? [base, ...(workTip ? [workTip] : [])] : [parent];
      // The message goes into the work commit too: redacted before either is written.
      const red = redactText(message?.trim() || `snapshot: ${cur.goal}`);
      const msg = red.text;
      from = parent;
      const commit = await repo.store.objects.writeCommit({ tree, parent: parents, message: sanitize(`${msg}\n\nSession-Id: ${id}\n`), author: ident });
      const files = await diffPaths(repo.cwd, base, tree);
      event = repo.event({ kind: 'snapshot', commit, parent: parents[0], message: msg, files, ...(follow ? { base } : {}), prevWork: workTip ?? null }, { redacted: red.kinds });
      events.push(event);
    }
    if (cur.state === 'conflicted') {
      const ev = await lastConflict(repo, id);
      const check = ev ? await resolutionOf(repo, cur, ev, tree, o.resolve) : undefined;
      if (check?.resolved.length) {
        resolution = repo.event({
          kind: 'resolution',
          paths: check.resolved,
          remaining: check.remaining,
          ...(event ? { snapshot: event.id } : {}),
          ...(reused.length && check.resolved.every((r) => reused.includes(r.path)) ? { reused: true } : {}),
        }) as EventOf<'resolution'>;
        events.push(resolution);
      }
    }
    const updates = event?.kind === 'snapshot' ? [{ ref: workRef(id), new: event.commit, old: workTip ?? ZERO }] : [];
    return { events, updates };
  });
  if (resolution) {
    // git rerere records each resolution (it reads the files), then the index leaves its stages.
    await rerere(c.top);
    await resetPaths(c.top, summary.base, resolution.paths.map((p) => p.path));
  }
  const secretFiles = event && from ? await secretFilesBetween(repo.cwd, from, tree) : [];
  return { summary, event, resolution, tree, skipped, secretFiles };
}
