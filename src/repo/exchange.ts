// `push` and the pre-push hook: local sessions out to a remote, session by session. A
// session the remote will not take (it diverged and cannot be merged, a remote hook
// declined it) is skipped and named; every other one is pushed. Pulling is pull.ts.
import { isId } from '../core/ids.js';
import { parseSessionRef, SESSIONS_PREFIX } from '../core/layout.js';
import { GsError } from '../core/errors.js';
import { runGit } from '../git/exec.js';
import { listRefs, transact } from '../git/refs.js';
import { pullSessions } from './pull.js';
import type { Repo } from './repo.js';
import { checkRemote, type Skipped, trackingPrefix } from './remotes.js';

export { checkRemote } from './remotes.js';
export { pullSessions, type PullResult } from './pull.js';

/** What a push did. */
export interface PushResult {
  remote: string;
  pushed: number;
  sessions: string[];
  retried: boolean;
  /** Sessions not pushed, and why. */
  skipped: Skipped[];
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

/** Per-ref outcome lines of `git push --porcelain`: `<flag>\t<src>:<dst>\t<summary>`, by destination ref. */
function porcelain(out: string): Map<string, { flag: string; summary: string }> {
  const m = new Map<string, { flag: string; summary: string }>();
  for (const line of out.split('\n')) {
    const r = /^(.)\t[^\t:]*:([^\t]+)\t(.*)$/.exec(line);
    if (r) m.set(r[2], { flag: r[1], summary: r[3] });
  }
  return m;
}

const DIVERGED = /fetch first|non-fast-forward|stale info/;

/**
 * Pushes, in one `git push`, every session ref (of `ids`, or all) that differs from what
 * the remote is known to have; refs the remote accepts are recorded as its, refs it
 * rejects because it has events we lack are pulled (merged as a union) and pushed again,
 * up to three times; anything else the remote refuses is skipped and named.
 */
export async function pushSessions(repo: Repo, remote: string, ids?: Iterable<string>): Promise<PushResult> {
  checkRemote(remote);
  const prefix = trackingPrefix(remote);
  const trackOf = (ref: string) => prefix + ref.slice(SESSIONS_PREFIX.length);
  const idOf = (ref: string) => parseSessionRef(ref)!.id;
  const skipped = new Map<string, string>();
  const sessions = new Set<string>();
  let pushed = 0;
  let retried = false;
  for (let attempt = 0; ; attempt++) {
    const mine = await repo.store.refs(ids);
    // With a few ids (the hook), look up just their tracking refs: cost follows the push.
    const known = ids ? new Map(await Promise.all([...mine.keys()].map(async (r) => [trackOf(r), await repo.store.objects.resolve(trackOf(r))] as const))) : listRefs(repo.paths.commonDir, prefix);
    const changed = [...mine].filter(([ref, oid]) => known.get(trackOf(ref)) !== oid && !skipped.has(idOf(ref)));
    if (changed.length === 0) break;
    const r = await runGit(['push', '--porcelain', '--no-verify', remote, ...changed.map(([ref]) => `${ref}:${ref}`)], { cwd: repo.cwd, allowFail: true, env: { LC_ALL: 'C' } });
    const status = porcelain(r.stdout);
    if (r.code !== 0 && status.size === 0) {
      throw new GsError('git-failed', `git push to ${remote} failed: ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop()}`);
    }
    const ok: [string, string][] = [];
    const rejected = new Set<string>();
    for (const [ref, oid] of changed) {
      const st = status.get(ref);
      if (st && st.flag !== '!') ok.push([ref, oid]);
      else if (st && DIVERGED.test(st.summary)) rejected.add(idOf(ref));
      else skipped.set(idOf(ref), st ? `${remote} refused it: ${st.summary}` : `${remote} did not take it`);
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
    const pulled = await pullSessions(repo, remote);
    for (const s of pulled.skipped) if (rejected.has(s.id)) skipped.set(s.id, `${remote}'s copy cannot be merged: ${s.reason}`);
  }
  return { remote, pushed, sessions: [...sessions], retried, skipped: [...skipped].map(([id, reason]) => ({ id, reason })) };
}
