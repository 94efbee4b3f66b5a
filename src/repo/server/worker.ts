// The landing worker of a server repository (`git session server-hook work`, started
// detached by post-receive, or run by hand / cron with `session.serverWorker = manual`):
// drains the queue of request refs, one landing at a time per target (a lock per target),
// oldest request first. It re-reads the queue after each pass, so a request that arrived
// while another worker held its target's lock is never stranded: either that worker sees
// it after releasing the lock, or this one takes the lock after the release.
import { isGsError } from '../../core/errors.js';
import { VERDICT_PREFIX, type Verdict } from '../../core/land-request.js';
import { runGit } from '../../git/exec.js';
import { transact, ZERO } from '../../git/refs.js';
import { checkSettings } from '../attest.js';
import type { Repo } from '../repo.js';
import { landQueued, type Queued } from './land.js';
import { tryLock } from './lock.js';
import { appendLog, type ServerLogEntry } from './log.js';
import { pendingRequests, readRequests, serverDir } from './queue.js';

/** How long a verdict ref is kept for a client that did not wait for it. */
export const VERDICT_DAYS = 7;

/** What one worker run did. */
export interface WorkResult {
  verdicts: Verdict[];
  /** Requests left for later: their target's lock was held, or a transient failure (named). */
  deferred: { session: string; reason: string }[];
  /** Malformed requests removed from the queue. */
  dropped: string[];
}

function logEntry(v: Verdict, by: string, askedAt: string): ServerLogEntry {
  const waitedMs = Math.max(0, Date.parse(v.at) - Date.parse(askedAt)) || undefined;
  const base = { at: v.at, session: v.session, target: v.target, by, ...(waitedMs ? { waitedMs } : {}) };
  if (v.outcome === 'landed') return { ...base, kind: 'landed', commit: v.commit };
  if (v.outcome === 'conflict') return { ...base, kind: 'conflict', paths: v.conflicts };
  return { ...base, kind: 'refused', reason: v.reason };
}

/** Drains the queue (see the file header). */
export async function runWorker(repo: Repo): Promise<WorkResult> {
  const dir = serverDir(repo);
  const settings = await checkSettings(repo);
  const out: WorkResult = { verdicts: [], deferred: [], dropped: [] };
  const failed = new Set<string>();
  for (;;) {
    const pending = pendingRequests(repo).filter((p) => !failed.has(p.oid));
    if (!pending.length) break;
    const reads = await readRequests(repo.cwd, pending.map((p) => p.oid));
    const byTarget = new Map<string, Queued[]>();
    for (const [i, p] of pending.entries()) {
      const r = reads[i];
      if (!r.ok || r.request.session !== p.id) {
        // Only pre-receive lets requests in, so this was written some other way: out of the queue.
        if (await transact(repo.cwd, [{ ref: `refs/session-land/request/${p.id}`, new: ZERO, old: p.oid }])) out.dropped.push(p.id);
        continue;
      }
      byTarget.set(r.request.target, [...(byTarget.get(r.request.target) ?? []), { request: r.request, oid: p.oid }]);
    }
    let progressed = false;
    for (const [target, queue] of byTarget) {
      const held = await tryLock(dir, target);
      if (!held) continue;
      try {
        queue.sort((a, b) => (a.request.at < b.request.at ? -1 : a.request.at > b.request.at ? 1 : a.request.session < b.request.session ? -1 : 1));
        for (const q of queue) {
          try {
            const v = await landQueued(repo, q, settings);
            progressed = true;
            if (!v) continue;
            out.verdicts.push(v);
            await appendLog(dir, [logEntry(v, q.request.by, q.request.at)]);
          } catch (e) {
            // Transient (git failed, the index busy) or a bug: the request stays queued for the next run.
            failed.add(q.oid);
            out.deferred.push({ session: q.request.session, reason: isGsError(e) ? e.message : String((e as Error)?.message ?? e) });
          }
        }
      } finally {
        await held.release();
      }
    }
    if (!progressed) break;
  }
  await pruneVerdicts(repo);
  return out;
}

/** Deletes verdict refs older than VERDICT_DAYS (compare-and-swap: a fresh one written meanwhile stays). */
async function pruneVerdicts(repo: Repo): Promise<void> {
  const r = await runGit(['for-each-ref', '--format=%(objectname) %(committerdate:unix) %(refname)', VERDICT_PREFIX], { cwd: repo.cwd, allowFail: true });
  const cutoff = repo.clock() / 1000 - VERDICT_DAYS * 86400;
  const old = r.stdout.split('\n').map((l) => l.split(' ')).filter(([oid, t, ref]) => oid && ref && Number(t) < cutoff);
  if (old.length) await transact(repo.cwd, old.map(([oid, , ref]) => ({ ref, new: ZERO, old: oid }))).catch(() => false);
}
