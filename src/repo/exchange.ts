import { GsError } from '../core/errors.js';
import { unionEvents } from '../core/fold.js';
import { parseSessionRef, SESSIONS_PREFIX } from '../core/layout.js';
import { checkRefName } from '../core/validate.js';
import type { OnProgress } from '../core/progress.js';
import { runGit } from '../git/exec.js';
import { listRefs, type RefUpdate, transact, ZERO } from '../git/refs.js';
import type { Repo } from './repo.js';
import { outgoingBytes, type OutgoingSession, publishable } from './publish.js';
import { TRACKING_PREFIX } from './remotes.js';
import { simpleGitTransport, type Transport } from './transport.js';

/** How a push or pull reaches the remote and reports progress (default: simple-git, no progress). */
export interface ExchangeOptions {
  transport?: Transport;
  onProgress?: OnProgress;
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

/** What a pull did. */
export interface PullResult {
  remote: string;
  created: string[];
  fastForwarded: string[];
  merged: string[];
  unchanged: number;
}

/** What a push did (or, with `dryRun`, would do). */
export interface PushResult {
  remote: string;
  pushed: number;
  sessions: string[];
  retried: boolean;
  dryRun?: boolean;
  /** Each ref sent: its new value and what the remote is known to have (null: nothing). */
  refs?: { ref: string; new: string; old: string | null }[];
  /** The sessions sent, with goal and event count. */
  details?: OutgoingSession[];
  /** Private sessions that would have gone and were held back. */
  withheld?: string[];
  /** On-disk size of the objects the remote lacks (what the pack carries, before compression). */
  bytes?: number;
}

async function isAncestor(repo: Repo, a: string, b: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', a, b], { cwd: repo.cwd, allowFail: true })).code === 0;
}

function tracking(remote: string): string {
  return `${TRACKING_PREFIX}${remote}/`;
}

/** Refuses remote names that could escape the ref namespace. */
export function checkRemote(remote: string): string {
  return checkRefName(remote, 'remote');
}

/**
 * Fetches the remote's session refs into its tracking namespace, then merges them into
 * `refs/sessions/`: new sessions are created, behind ones fast-forwarded (one
 * transaction), and diverged ones merged as the union of both sides' events in the
 * stable order, with both histories as parents, so no event from either side is lost.
 */
export async function pullSessions(repo: Repo, remote: string, opts: ExchangeOptions = {}): Promise<PullResult> {
  checkRemote(remote);
  const transport = opts.transport ?? simpleGitTransport(opts.onProgress);
  await transport.fetch(repo, remote, ['--prune', '--no-write-fetch-head'], [`+refs/sessions/*:${tracking(remote)}*`]);
  const theirs = listRefs(repo.paths.commonDir, tracking(remote));
  const ours = await repo.store.refs();
  const res: PullResult = { remote, created: [], fastForwarded: [], merged: [], unchanged: 0 };
  const simple: RefUpdate[] = [];
  const diverged: string[] = [];
  for (const [tref, oid] of theirs) {
    const local = SESSIONS_PREFIX + tref.slice(tracking(remote).length);
    const p = parseSessionRef(local);
    if (!p) continue;
    const mine = ours.get(local);
    if (mine === oid) {
      if (p.leaf === 'meta') res.unchanged++;
      continue;
    }
    if (!mine) {
      simple.push({ ref: local, new: oid, old: ZERO });
      if (p.leaf === 'meta') res.created.push(p.id);
    } else if (await isAncestor(repo, mine, oid)) {
      simple.push({ ref: local, new: oid, old: mine });
      if (p.leaf === 'meta') res.fastForwarded.push(p.id);
    } else if (!(await isAncestor(repo, oid, mine))) {
      diverged.push(local);
    }
  }
  if (simple.length && !(await transact(repo.cwd, simple))) {
    throw new GsError('contention', 'session refs moved while pulling; run git session pull again');
  }
  const ident = await repo.ident();
  for (const [i, ref] of diverged.entries()) {
    opts.onProgress?.({ stage: 'merging diverged sessions', done: i, total: diverged.length });
    const { id, leaf } = parseSessionRef(ref)!;
    const theirOid = theirs.get(tracking(remote) + ref.slice(SESSIONS_PREFIX.length))!;
    const mine = ours.get(ref)!;
    let merged: string;
    if (leaf === 'meta') {
      const [a, b] = await Promise.all([repo.store.readEvents(id, mine), repo.store.readEvents(id, theirOid)]);
      merged = await repo.store.writeMerged(id, unionEvents(a, b), [mine, theirOid], ident);
      res.merged.push(id);
    } else {
      // Both sides snapshotted: keep ours as the tree, theirs reachable as a parent.
      const tree = (await repo.store.objects.readCommit(mine)).tree;
      merged = await repo.store.objects.writeCommit({ tree, parent: [mine, theirOid], message: `merge diverged work of session ${id}\n\nSession-Id: ${id}\n`, author: ident });
    }
    if (!(await transact(repo.cwd, [{ ref, new: merged, old: mine }]))) {
      throw new GsError('contention', `session ${id} moved while merging; run git session pull again`);
    }
  }
  return res;
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
    for (const t of r.stdout.split('\n')) if (t.trim()) ids.add(t.trim());
  }
  const known = [];
  for (const id of ids) if (await repo.store.metaTip(id)) known.push(id);
  return known;
}

/**
 * Pushes, in one `git push`, every session ref (of `ids`, or all) that differs from
 * what the remote is known to have. Session refs only ever fast-forward (merges keep
 * both parents), so a rejection means the remote has events we lack: pull-merge and
 * retry.
 */
export async function pushSessions(repo: Repo, remote: string, ids?: Iterable<string>, opts: ExchangeOptions & { dryRun?: boolean } = {}): Promise<PushResult> {
  checkRemote(remote);
  const transport = opts.transport ?? simpleGitTransport(opts.onProgress);
  let retried = false;
  for (let attempt = 0; ; attempt++) {
    const mine = await repo.store.refs(ids);
    const trackOf = (ref: string) => tracking(remote) + ref.slice(SESSIONS_PREFIX.length);
    // With a few ids (the hook), look up just their tracking refs: cost follows the push.
    const known = ids ? new Map(await Promise.all([...mine.keys()].map(async (r) => [trackOf(r), await repo.store.objects.resolve(trackOf(r))] as const))) : listRefs(repo.paths.commonDir, tracking(remote));
    // The one place consent is applied: a `never` remote refuses, private sessions stay home.
    const out = await publishable(repo, remote, [...mine].filter(([ref, oid]) => known.get(trackOf(ref)) !== oid));
    const changed = out.refs;
    const withheld = out.privateIds.length ? { withheld: out.privateIds } : {};
    if (opts.dryRun) {
      const refs = changed.map(([ref, oid]) => ({ ref, new: oid, old: known.get(trackOf(ref)) ?? null }));
      const bytes = await outgoingBytes(repo, refs.map((r) => r.new), [...known.values()].filter((x): x is string => Boolean(x)));
      return { remote, pushed: 0, sessions: out.sessions.map((s) => s.id), retried, dryRun: true, refs, details: out.sessions, bytes, ...withheld };
    }
    if (changed.length === 0) return { remote, pushed: 0, sessions: [], retried, ...withheld };
    const specs = changed.map(([ref]) => `${ref}:${ref}`);
    let r = { ok: true, rejected: false, message: '' };
    for (const batch of batches(specs)) {
      r = await transport.push(repo, remote, ['--no-verify'], batch);
      if (!r.ok) break;
    }
    if (r.ok) {
      // Record what the remote now has (git does this itself only with our fetch refspec).
      await transact(repo.cwd, changed.map(([ref, oid]) => ({ ref: trackOf(ref), new: oid })));
      const sessions = [...new Set(changed.map(([ref]) => parseSessionRef(ref)!.id))];
      return { remote, pushed: changed.length, sessions, retried, details: out.sessions, ...withheld };
    }
    if (attempt >= 3 || !r.rejected) throw new GsError('git-failed', `git push to ${remote} failed: ${r.message}`);
    retried = true;
    await pullSessions(repo, remote, opts);
  }
}
