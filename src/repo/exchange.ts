// `push` and the pre-push hook: local sessions out to a remote, session by session. A
// session the remote will not take (it diverged and cannot be merged, a remote hook
// declined it) is skipped and named; every other one is pushed. Pulling is pull.ts.
import { GsError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { archiveRef, metaRef, parseSessionRef, SESSIONS_PREFIX, shardOfRef, workRef } from '../core/layout.js';
import { runGit } from '../git/exec.js';
import { areAncestors } from '../git/ancestry.js';
import { listRefs, transact, ZERO } from '../git/refs.js';
import { pullSessions } from './pull.js';
import type { Repo } from './repo.js';
import { outgoingBytes, type OutgoingSession, publishable } from './publish.js';
import { checkRemote, type Skipped, trackingPrefix } from './remotes.js';
import { type ExchangeOptions, type RefOutcome, simpleGitTransport, type Transport } from './transport.js';

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
  /** Archive shards sent (with --dry-run: that would be sent). */
  shards?: string[];
  /** Sessions whose refs the remote no longer needs (its archive now holds them whole): deleted there. */
  pruned?: string[];
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
  // A session's refs are bookkept by its id, a shard's by its ref name.
  const keyOf = (ref: string) => (shardOfRef(ref) ? ref : parseSessionRef(ref)!.id);
  const skipped = new Map<string, string>();
  const sessions = new Set<string>();
  const shardsSent = new Set<string>();
  const withheld = new Set<string>();
  const details = new Map<string, OutgoingSession>();
  let pushed = 0;
  let retried = false;
  for (let attempt = 0; ; attempt++) {
    const mine = await repo.store.refs(ids);
    // With a few ids (the hook), look up just their tracking refs: cost follows the push.
    const known = ids ? new Map(await Promise.all([...mine.keys()].map(async (r) => [trackOf(r), await repo.store.objects.resolve(trackOf(r))] as const))) : listRefs(repo.paths.commonDir, prefix);
    // The one place consent is applied: a `never` remote refuses, private sessions stay home.
    const out = await publishable(repo, remote, [...mine].filter(([ref, oid]) => known.get(trackOf(ref)) !== oid && !skipped.has(keyOf(ref))));
    out.privateIds.forEach((id) => withheld.add(id));
    out.sessions.forEach((d) => details.set(d.id, d));
    for (const d of out.damaged) skipped.set(d.id, d.reason);
    // Archive shards hold no private session (gc never archives one): each goes whole.
    const shards = ids ? [] : [...repo.store.archive.shards()].map(([shard, tip]) => [archiveRef(shard), tip] as [string, string]).filter(([ref, tip]) => known.get(trackOf(ref)) !== tip && !skipped.has(ref));
    const changed = [...out.refs, ...shards];
    if (opts.dryRun) {
      const refs = changed.map(([ref, oid]) => ({ ref, new: oid, old: known.get(trackOf(ref)) ?? null }));
      const bytes = await outgoingBytes(repo, refs.map((r) => r.new), [...known.values()].filter((x): x is string => Boolean(x)));
      const pruned = ids ? [] : (await prunable(repo, prefix, true)).map((p) => p.id);
      return { remote, pushed: 0, sessions: out.sessions.map((d) => d.id), retried, skipped: [...skipped].map(([id, reason]) => ({ id, reason })), dryRun: true, refs, details: out.sessions, bytes, shards: shards.map(([ref]) => shardOfRef(ref)!), pruned, ...(withheld.size ? { withheld: [...withheld] } : {}) };
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
      else if (DIVERGED.test(st.summary)) rejected.add(keyOf(ref));
      else skipped.set(keyOf(ref), `${remote} refused it: ${st.summary}`);
    }
    if (ok.length) {
      // Record what the remote now has (git does this itself only with our fetch refspec).
      await transact(repo.cwd, ok.map(([ref, oid]) => ({ ref: trackOf(ref), new: oid }))).catch(() => false);
      for (const [ref] of ok) {
        const shard = shardOfRef(ref);
        if (shard) shardsSent.add(shard);
        else {
          sessions.add(keyOf(ref));
          pushed++;
        }
      }
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
  const pruned = ids ? [] : await prune(repo, remote, transport, prefix);
  return {
    remote, pushed, sessions: [...sessions], retried, skipped: [...skipped].map(([id, reason]) => ({ id, reason })),
    details: [...sessions].flatMap((id) => details.get(id) ?? []), ...(withheld.size ? { withheld: [...withheld] } : {}),
    ...(shardsSent.size ? { shards: [...shardsSent] } : {}), ...(pruned.length ? { pruned } : {}),
  };
}

/** A session whose refs the remote keeps although its archive (as we last saw it) holds them whole. */
interface Prunable {
  id: string;
  refs: { ref: string; old: string }[];
}

/**
 * Sessions archived here that the remote still has refs for, where the remote's shard
 * (its tracking ref: what we pushed or fetched last) is ours, and our archived copy holds
 * the remote's refs' commits (they are its ancestors or equal): those refs say nothing the
 * remote's archive does not. `dryRun`: whether the shard will be ours after this push is
 * not known yet, so every candidate with a pushable shard counts.
 */
async function prunable(repo: Repo, prefix: string, dryRun = false): Promise<Prunable[]> {
  const tracked = new Map<string, { meta?: string; work?: string }>();
  const local = repo.store.listIds();
  for (const [tref, oid] of listRefs(repo.paths.commonDir, prefix)) {
    const p = parseSessionRef(SESSIONS_PREFIX + tref.slice(prefix.length));
    if (!p || !isId(p.id) || local.has(p.id) || (p.leaf !== 'meta' && p.leaf !== 'work')) continue;
    tracked.set(p.id, { ...tracked.get(p.id), [p.leaf]: oid });
  }
  if (!tracked.size) return [];
  const shards = repo.store.archive.shards();
  const archived = await repo.store.archive.lookup(tracked.keys(), shards);
  const theirShards = new Map<string, string | undefined>();
  for (const s of shards.keys()) theirShards.set(s, await repo.store.objects.resolve(`${prefix}archive/${s}`));
  const cands = [...archived].filter(([, a]) => !a.damaged && (dryRun || theirShards.get(a.shard) === shards.get(a.shard)));
  const pairs: [string, string][] = [];
  for (const [id, a] of cands) {
    const t = tracked.get(id)!;
    pairs.push([t.meta ?? a.meta, a.meta], [t.work ?? a.work ?? a.meta, a.work ?? a.meta]);
  }
  const ok = await areAncestors(repo.cwd, pairs);
  return cands.flatMap(([id], i) => {
    const t = tracked.get(id)!;
    if (!ok[2 * i] || !ok[2 * i + 1] || (t.work && !archived.get(id)!.work)) return [];
    return [{ id, refs: [...(t.meta ? [{ ref: metaRef(id), old: t.meta }] : []), ...(t.work ? [{ ref: workRef(id), old: t.work }] : [])] }];
  });
}

/**
 * Deletes on the remote the refs of sessions its archive now holds whole (see prunable),
 * each with a lease on the value we saw (one that moved since is left alone), in batches;
 * drops their tracking refs. Returns the sessions pruned.
 */
async function prune(repo: Repo, remote: string, transport: Transport, prefix: string): Promise<string[]> {
  const todo = await prunable(repo, prefix);
  if (!todo.length) return [];
  const done: string[] = [];
  const pairs = todo.flatMap((p) => p.refs.map((r) => ({ id: p.id, ...r })));
  // Each deletion takes two arguments (the lease and the refspec): batched by their length.
  for (const batch of batches(pairs.map((p, i) => `${i}:${p.ref}:${p.old}`))) {
    const items = batch.map((b) => pairs[parseInt(b, 10)]);
    const r = await transport.push(repo, remote, ['--no-verify', ...items.map((p) => `--force-with-lease=${p.ref}:${p.old}`)], items.map((p) => `:${p.ref}`));
    const gone = items.filter((p) => r.ok || (r.refs.get(p.ref) && r.refs.get(p.ref)!.flag !== '!'));
    await transact(repo.cwd, gone.map((p) => ({ ref: prefix + p.ref.slice(SESSIONS_PREFIX.length), new: ZERO }))).catch(() => false);
    for (const p of gone) if (!done.includes(p.id)) done.push(p.id);
  }
  return done;
}
