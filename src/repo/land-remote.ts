// `git session land --remote <remote>` (README "Landing through a server"): the client's
// side. Snapshot, then ONE push carrying the session's refs and a request commit at
// refs/session-land/request/<id>; the server's post-receive prints the verdict as
// `remote:` lines (read here through the schema: data from the server, never trusted
// blindly), else the verdict ref is fetched until it answers this request. Then the
// target and the session are fetched, the local branch fast-forwarded, and the checkouts
// brought forward as a local `land` does. Requests sent with --no-wait are remembered in
// <git-dir>/session/land-requests.json, which `status` reads.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { type LandRequest, requestRef, type Verdict, verdictRef, verdictsIn } from '../core/land-request.js';
import { metaRef, workRef } from '../core/layout.js';
import { checkRefName } from '../core/validate.js';
import { runGit } from '../git/exec.js';
import { isAncestor } from '../git/history.js';
import { transact } from '../git/refs.js';
import { conflictedError } from './land.js';
import { addLinks } from './links.js';
import { pullSessions } from './pull.js';
import { publishable } from './publish.js';
import { checkRemote, trackingPrefix } from './remotes.js';
import type { Repo } from './repo.js';
import { readVerdict, writeRequest } from './server/queue.js';
import { requireOpen } from './sessions.js';
import { snapshot } from './work.js';
import { bringWorktreesForward, type WorktreeUpdate } from './worktree-sync.js';

/** How `land --remote` runs. */
export interface RemoteLandOptions {
  onto?: string;
  strategy?: 'squash' | 'merge';
  /** false: return once the request is pushed. */
  wait?: boolean;
  /** How long to wait for the verdict in all (default 300 s). */
  timeoutSeconds?: number;
}

/** What `land --remote` did. */
export interface RemoteLandResult {
  session: string;
  remote: string;
  target: string;
  /** The request commit pushed. */
  request: string;
  /** The server's answer (absent: not waited for, or not yet answered). */
  verdict?: Verdict;
  /** How the local target branch followed (landed only). */
  branch?: 'fast-forwarded' | 'unchanged' | 'diverged' | 'absent';
  worktrees: WorktreeUpdate[];
}

/** A request sent and not yet answered, as `status` shows it. */
export interface PendingLanding {
  remote: string;
  request: string;
  target: string;
  at: string;
}

function pendingFile(repo: Repo): string {
  return join(repo.localDir, 'land-requests.json');
}

/** The landing requests this clone sent and has no verdict for, by session. */
export async function pendingLandings(repo: Repo): Promise<Record<string, PendingLanding>> {
  try {
    const doc = JSON.parse(await readFile(pendingFile(repo), 'utf8')) as Record<string, PendingLanding>;
    return doc && typeof doc === 'object' ? doc : {};
  } catch {
    return {};
  }
}

async function setPending(repo: Repo, id: string, p: PendingLanding | undefined): Promise<void> {
  const all = await pendingLandings(repo);
  if (p) all[id] = p;
  else if (!(id in all)) return;
  else delete all[id];
  await mkdir(repo.localDir, { recursive: true });
  const tmp = `${pendingFile(repo)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(all, null, 1) + '\n');
  await rename(tmp, pendingFile(repo));
}

/** The refusal lines a push printed (`remote: git-session: ...`), sanitized by the caller. */
function remoteReasons(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/^remote:\s*/, '').trim()).filter((l) => l.startsWith('git-session:') && !l.startsWith('git-session-verdict'));
}

/** Asks `remote` to land session `id`, waits for the verdict, and follows it locally (see the file header). */
export async function landRemote(repo: Repo, remote: string, id: string, o: RemoteLandOptions = {}): Promise<RemoteLandResult> {
  checkRemote(remote);
  const first = await repo.store.readSummary(id);
  if (first.state === 'conflicted') throw conflictedError(first);
  requireOpen(first);
  const target = checkRefName(o.onto ?? first.target);
  const sent = (await pendingLandings(repo))[id];
  if (sent && sent.remote === remote && sent.target === target && o.wait !== false) {
    // Asked before without waiting: that request's verdict, when it is still queued or answered.
    const answered = await waitVerdict(repo, remote, id, sent.request, '', 0);
    const queued = answered ? undefined : (await runGit(['ls-remote', remote, requestRef(id)], { cwd: repo.cwd, allowFail: true, env: repo.env })).stdout.startsWith(sent.request);
    if (answered || queued) {
      const out: RemoteLandResult = { session: id, remote, target, request: sent.request, worktrees: [] };
      return settle(repo, remote, out, answered ?? (await waitVerdict(repo, remote, id, sent.request, '', o.timeoutSeconds ?? 300)));
    }
  }
  await snapshot(repo, id);
  const [meta, work] = await Promise.all([repo.store.metaTip(id), repo.store.workTip(id)]);
  if (!meta || !work) throw new GsError('bad-input', `session ${shortId(id)} has no snapshot: nothing to land`);
  const pub = await publishable(repo, remote, [[metaRef(id), meta] as const]);
  if (pub.privateIds.includes(id)) throw new GsError('policy', `session ${shortId(id)} is private: landing it through ${remote} would publish it (git session private ${shortId(id)} --off first)`);
  const ident = await repo.ident();
  const req: LandRequest = { version: 1, session: id, target, strategy: o.strategy ?? 'squash', meta, work, by: await repo.author(), at: new Date(repo.clock()).toISOString(), ...(o.wait === false ? { wait: false } : {}) };
  const request = await writeRequest(repo, req, ident);
  const push = await runGit(['push', '--porcelain', '--no-verify', remote, `${metaRef(id)}:${metaRef(id)}`, `${workRef(id)}:${workRef(id)}`, `+${request}:${requestRef(id)}`], { cwd: repo.cwd, allowFail: true, env: repo.env });
  const out: RemoteLandResult = { session: id, remote, target, request, worktrees: [] };
  if (push.code !== 0) {
    const reasons = remoteReasons(push.stderr);
    const stale = /\[rejected\].*(fetch first|non-fast-forward)/.test(push.stdout + push.stderr);
    if (stale) throw new GsError('conflict', `${remote} has events or work of session ${shortId(id)} this clone lacks: git session pull ${remote}, then land again`);
    if (reasons.length) throw new GsError('policy', `${remote} refused the landing request: ${reasons.join('; ')}`);
    throw new GsError('git-failed', `git push to ${remote} failed: ${(push.stderr.trim().split('\n').pop() ?? '').slice(0, 300)}`);
  }
  // The tracking refs follow what the remote now has (a later push sends nothing again).
  const track = trackingPrefix(remote);
  await transact(repo.cwd, [{ ref: `${track}${id}/meta`, new: meta }, { ref: `${track}${id}/work`, new: work }]).catch(() => false);
  await setPending(repo, id, { remote, request, target, at: req.at });
  if (o.wait === false) return out;
  return settle(repo, remote, out, await waitVerdict(repo, remote, id, request, push.stderr, o.timeoutSeconds ?? 300));
}

/** The verdict answering `request`: from the push's output, else the verdict ref fetched until `seconds` pass (0: once). */
async function waitVerdict(repo: Repo, remote: string, id: string, request: string, output: string, seconds: number): Promise<Verdict | undefined> {
  let verdict = verdictsIn(output).find((v) => v.request === request && v.session === id);
  const deadline = Date.now() + seconds * 1000;
  for (let first = true; !verdict && (first || Date.now() < deadline); first = false) {
    verdict = await fetchVerdict(repo, remote, id, request);
    if (!verdict && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  }
  return verdict;
}

/** Follows a verdict (or says the request is still queued). */
async function settle(repo: Repo, remote: string, out: RemoteLandResult, verdict: Verdict | undefined): Promise<RemoteLandResult> {
  const id = out.session;
  if (!verdict) throw new GsError('contention', `${remote} has not answered the landing request for ${shortId(id)} yet: it stays queued there (git session status shows it; git session land --remote ${remote} asks again and waits)`, out);
  out.verdict = verdict;
  await setPending(repo, id, undefined);
  await follow(repo, remote, out, verdict);
  return out;
}

/** The verdict ref of `id` on `remote`, when it answers `request`. */
async function fetchVerdict(repo: Repo, remote: string, id: string, request: string): Promise<Verdict | undefined> {
  const r = await runGit(['fetch', '--no-write-fetch-head', '-q', remote, `+${verdictRef(id)}:${verdictRef(id)}`], { cwd: repo.cwd, allowFail: true, env: repo.env });
  if (r.code !== 0) return undefined;
  const oid = await repo.store.objects.resolve(verdictRef(id));
  const v = oid ? await readVerdict(repo.cwd, oid) : undefined;
  return v && v.request === request && v.session === id ? v : undefined;
}

/**
 * After a verdict: fetches the target and the session (the server appended a `land` or
 * `conflict` event), fast-forwards the session's meta (else a full pull merges it), and on
 * a landing fast-forwards the local target branch and the clean checkouts.
 */
async function follow(repo: Repo, remote: string, out: RemoteLandResult, v: Verdict): Promise<void> {
  const id = out.session;
  const track = trackingPrefix(remote);
  const specs = [`+${metaRef(id)}:${track}${id}/meta`, `+${workRef(id)}:${track}${id}/work`];
  if (v.outcome === 'landed') specs.push(`+refs/heads/${out.target}:refs/remotes/${remote}/${out.target}`);
  // Several landings from one clone at once fetch into the same refs: a lost ref lock is retried.
  for (let i = 0; ; i++) {
    const r = await runGit(['fetch', '--no-write-fetch-head', '-q', remote, ...specs], { cwd: repo.cwd, env: repo.env, allowFail: true });
    if (r.code === 0) break;
    if (i >= 8) throw new GsError('git-failed', `git fetch from ${remote} failed: ${r.stderr.trim().split('\n').pop()}`);
    await new Promise((res) => setTimeout(res, 50 + Math.random() * 200));
  }
  const [mine, theirs] = await Promise.all([repo.store.metaTip(id), repo.store.objects.resolve(`${track}${id}/meta`)]);
  if (theirs && mine !== theirs) {
    const ff = mine ? await isAncestor(repo.cwd, mine, theirs) : false;
    if (!ff || !(await transact(repo.cwd, [{ ref: metaRef(id), new: theirs, old: mine }]))) await pullSessions(repo, remote);
  }
  if (v.outcome !== 'landed' || !v.commit) return;
  const branch = `refs/heads/${out.target}`;
  let local: string | undefined;
  // Compare-and-swap, again when another landing of this clone moved the branch meanwhile.
  for (let i = 0; i < 20 && !out.branch; i++) {
    local = await repo.store.objects.resolve(branch);
    if (!local) out.branch = 'absent';
    else if (local === v.commit || (await isAncestor(repo.cwd, v.commit, local))) out.branch = 'unchanged';
    else if (!(await isAncestor(repo.cwd, local, v.commit))) out.branch = 'diverged';
    else if (await transact(repo.cwd, [{ ref: branch, new: v.commit, old: local }])) out.branch = 'fast-forwarded';
  }
  out.branch ??= 'diverged';
  const s = await repo.store.readSummary(id);
  await addLinks(repo, s);
  if (out.branch === 'fast-forwarded') out.worktrees = await bringWorktreesForward(repo, s, local!, v.commit, out.target);
  if ((await repo.current()) === id) await repo.setCurrent(undefined);
}
