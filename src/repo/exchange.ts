// `push` and the pre-push hook: local sessions out to a remote, session by session. A
// session the remote will not take (it diverged and cannot be merged, a remote hook
// declined it) is skipped and named; every other one is pushed. Pulling is pull.ts.
import { GsError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { parseSessionRef, SESSIONS_PREFIX } from '../core/layout.js';
import { runGit } from '../git/exec.js';
import { listRefs, transact } from '../git/refs.js';
import { pullSessions } from './pull.js';
import type { Repo } from './repo.js';
import { outgoingBytes, type OutgoingSession, publishable } from './publish.js';
import { checkRemote, type Skipped, trackingPrefix } from './remotes.js';
import { type ExchangeOptions, type RefOutcome, simpleGitTransport } from './transport.js';

export { checkRemote } from './remotes.js';
export { pullSessions, type PullResult } from './pull.js';

export type { ExchangeOptions } from './transport.js';

/** What a push did. */
export interface PushResult {
  remote: string;
  pushed: number;
  sessions: string[];
  retried: boolean;
  /** Sessions not pushed, and why. */
  skipped: Skipped[];
  dryRun?: boolean;
  /** Each ref sent (with --dry-run: would be sent): its new value and what the remote is known to have (null: nothing). */
  refs?: { ref: string; new: string; old: string | null }[];
  /** The sessions sent, with goal and event count. */
  details?: OutgoingSession[];
  /** Private sessions that would have gone and were held back. */
  withheld?: string[];
  /** On-disk size of the objects the remote lacks (what the pack carries, before compression). */
  bytes?: number;
}

// Refspecs per `git push`: the argv of one process is bounded (E2BIG near 2 MB with
// 25,000 sessions on one line), so many sessions go in several pushes.
const ARGV_BUDGET = 256 * 1024;

function batches(specs: string[]): string[][] {
  const out: string[][] = [[]];
  let size = 0;
  for (const s of specs) {
    if (size + s.length + 1 > ARGV_BUDGET && out[out.length - 1].length) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1].push(s);
    size += s.length + 1;
  }
  return out;
}

/**
 * Which sessions a push carries: the `Session-Id:` trailers of the commits being pushed
 * (pre-push hook input: `<local ref> <local sha> <remote ref> <remote sha>` lines). Cost
 * follows the pushed commits, not the number of sessions in the repository.
 */
export async function sessionsInPush(repo: Repo, remote: string, input: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const line of input.split('\n')) {
    const [localRef, localSha, , remoteSha] = line.trim().split(/\s+/);
    if (!localRef || !localSha || /^0+$/.test(localSha) || localRef.startsWith(SESSIONS_PREFIX)) continue;
    const range = remoteSha && !/^0+$/.test(remoteSha) ? [`${remoteSha}..${localSha}`] : [localSha, '--not', `--remotes=${remote}`];
    const r = await runGit(['log', '--format=%(trailers:key=Session-Id,valueonly)', ...range], { cwd: repo.cwd, allowFail: true });
    for (const t of r.stdout.split('\n')) if (isId(t.trim())) ids.add(t.trim());
  }
  const known = [];
  for (const id of ids) if (await repo.store.metaTip(id)) known.push(id);
  return known;
}

const DIVERGED = /fetch first|non-fast-forward|stale info/;

/**
 * Pushes every session ref (of `ids`, or all) that differs from what the remote is known
 * to have, in as few `git push`es as argv allows; refs the remote accepts are recorded as
 * its, refs it rejects because it has events we lack are pulled (merged as a union under
 * the append-only rule) and pushed again, up to three times; anything else the remote
 * refuses is skipped and named. A push that fails as a whole (unreachable) exits 3.
 */
export async function pushSessions(repo: Repo, remote: string, ids?: Iterable<string>, opts: ExchangeOptions & { dryRun?: boolean } = {}): Promise<PushResult> {
  checkRemote(remote);
  const transport = opts.transport ?? simpleGitTransport(opts.onProgress);
  const prefix = trackingPrefix(remote);
  const trackOf = (ref: string) => prefix + ref.slice(SESSIONS_PREFIX.length);
  const idOf = (ref: string) => parseSessionRef(ref)!.id;
  const skipped = new Map<string, string>();
  const sessions = new Set<string>();
  const withheld = new Set<string>();
  const details = new Map<string, OutgoingSession>();
  let pushed = 0;
  let retried = false;
  for (let attempt = 0; ; attempt++) {
    const mine = await repo.store.refs(ids);
    // With a few ids (the hook), look up just their tracking refs: cost follows the push.
    const known = ids ? new Map(await Promise.all([...mine.keys()].map(async (r) => [trackOf(r), await repo.store.objects.resolve(trackOf(r))] as const))) : listRefs(repo.paths.commonDir, prefix);
    // The one place consent is applied: a `never` remote refuses, private sessions stay home.
    const out = await publishable(repo, remote, [...mine].filter(([ref, oid]) => known.get(trackOf(ref)) !== oid && !skipped.has(idOf(ref))));
    out.privateIds.forEach((id) => withheld.add(id));
    out.sessions.forEach((d) => details.set(d.id, d));
    for (const d of out.damaged) skipped.set(d.id, d.reason);
    const changed = out.refs;
    if (opts.dryRun) {
      const refs = changed.map(([ref, oid]) => ({ ref, new: oid, old: known.get(trackOf(ref)) ?? null }));
      const bytes = await outgoingBytes(repo, refs.map((r) => r.new), [...known.values()].filter((x): x is string => Boolean(x)));
      return { remote, pushed: 0, sessions: out.sessions.map((d) => d.id), retried, skipped: [...skipped].map(([id, reason]) => ({ id, reason })), dryRun: true, refs, details: out.sessions, bytes, ...(withheld.size ? { withheld: [...withheld] } : {}) };
    }
    if (changed.length === 0) break;
    const outcome = new Map<string, RefOutcome | undefined>();
    for (const batch of batches(changed.map(([ref]) => `${ref}:${ref}`))) {
      const r = await transport.push(repo, remote, ['--no-verify'], batch);
      if (!r.ok && r.refs.size === 0) throw new GsError('git-failed', `git push to ${remote} failed: ${r.message}`);
      for (const spec of batch) {
        const ref = spec.slice(0, spec.indexOf(':'));
        outcome.set(ref, r.ok ? undefined : (r.refs.get(ref) ?? { flag: '!', summary: r.message }));
      }
    }
    const ok: [string, string][] = [];
    const rejected = new Set<string>();
    for (const [ref, oid] of changed) {
      const st = outcome.get(ref);
      if (!st || st.flag !== '!') ok.push([ref, oid]);
      else if (DIVERGED.test(st.summary)) rejected.add(idOf(ref));
      else skipped.set(idOf(ref), `${remote} refused it: ${st.summary}`);
    }
    if (ok.length) {
      // Record what the remote now has (git does this itself only with our fetch refspec).
      await transact(repo.cwd, ok.map(([ref, oid]) => ({ ref: trackOf(ref), new: oid }))).catch(() => false);
      pushed += ok.length;
      for (const [ref] of ok) sessions.add(idOf(ref));
    }
    if (!rejected.size) break;
    if (attempt >= 3) {
      for (const id of rejected) skipped.set(id, `${remote} kept rejecting it: its copy moved on while we merged`);
      break;
    }
    retried = true;
    const pulled = await pullSessions(repo, remote, opts);
    for (const s of pulled.skipped) if (rejected.has(s.id)) skipped.set(s.id, `${remote}'s copy cannot be merged: ${s.reason}`);
  }
  return {
    remote, pushed, sessions: [...sessions], retried, skipped: [...skipped].map(([id, reason]) => ({ id, reason })),
    details: [...sessions].flatMap((id) => details.get(id) ?? []), ...(withheld.size ? { withheld: [...withheld] } : {}),
  };
}
