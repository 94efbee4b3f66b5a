// pre-receive of a server repository: what a push may change (README "Landing through a
// server"). Pushed objects are still quarantined here, so everything is read through git
// processes (which see the quarantine), never the in-process object store; nothing is
// written but the server log. Refusing is all-or-nothing (that is what pre-receive is):
// - a protected branch (`session.protect`, default the branch HEAD names) changes only
//   through landings, unless `session.allowDirectPush` names the pusher (or is `*`);
// - a session ref only grows (its new commit descends from the server's) and is never
//   deleted; its events are read through the schema by the worker, before landing;
// - a landing request must be well formed and name the meta and work the session has
//   once the push is in; verdict refs are the server's alone.
import { isProtected, landRefId, LAND_PREFIX, mayPushDirectly, pusherOf } from '../../core/land-request.js';
import { metaRef, parseSessionRef, SESSIONS_PREFIX, workRef, isSessionRef } from '../../core/layout.js';
import { areAncestors } from '../../git/ancestry.js';
import { objectTypes } from '../../git/batch.js';
import { runGit } from '../../git/exec.js';
import { ZERO } from '../../git/refs.js';
import type { Repo } from '../repo.js';
import { appendLog } from './log.js';
import { readRequests, serverDir } from './queue.js';

/** One line of a receive hook's input. */
export interface ReceiveLine {
  old: string;
  new: string;
  ref: string;
}

/** Parses a receive hook's stdin (`<old> <new> <ref>` lines). */
export function receiveLines(input: string): ReceiveLine[] {
  return input.split('\n').map((l) => l.trim().split(' ')).filter((p) => p.length === 3 && /^[0-9a-f]{40,64}$/.test(p[0]) && /^[0-9a-f]{40,64}$/.test(p[1])).map(([o, n, ref]) => ({ old: o, new: n, ref }));
}

const isZero = (oid: string) => /^0+$/.test(oid);

/** The server's landing settings (one `git config` read). */
export interface ServerSettings {
  protect: string[];
  allowDirectPush: string[];
  /** `auto` (post-receive starts the worker) or `manual`. */
  worker: 'auto' | 'manual';
  /** Seconds post-receive waits for a verdict to print it to the pusher. */
  waitSeconds: number;
}

/** Reads `session.protect` (default: the branch HEAD names), `session.allowDirectPush`, `session.serverWorker`, `session.landWait`. */
export async function serverSettings(repo: Repo): Promise<ServerSettings> {
  const r = await runGit(['config', '--get-regexp', '^session\\.(protect|allowdirectpush|serverworker|landwait)$'], { cwd: repo.cwd, allowFail: true });
  const values = (k: string) => r.stdout.split('\n').filter((l) => l.toLowerCase().startsWith(`${k} `)).map((l) => l.slice(k.length + 1).trim()).filter(Boolean);
  let protect = values('session.protect');
  if (!protect.length) {
    const head = await runGit(['symbolic-ref', '-q', 'HEAD'], { cwd: repo.cwd, allowFail: true });
    protect = head.stdout.trim() ? [head.stdout.trim()] : [];
  }
  const wait = Number(values('session.landwait').pop());
  return {
    protect,
    allowDirectPush: values('session.allowdirectpush'),
    worker: values('session.serverworker').pop()?.toLowerCase() === 'manual' ? 'manual' : 'auto',
    waitSeconds: Number.isFinite(wait) && wait >= 0 ? wait : 60,
  };
}

/** What pre-receive decided: refusal lines (empty: the push goes in). */
export interface ReceiveVerdict {
  refusals: string[];
}

/** Checks a push (see the file header). */
export async function checkPush(repo: Repo, lines: ReceiveLine[], env: Record<string, string | undefined>): Promise<ReceiveVerdict> {
  const settings = await serverSettings(repo);
  const refusals: string[] = [];
  const pusher = pusherOf(env);
  const direct = lines.filter((l) => isProtected(l.ref, settings.protect));
  if (direct.length && !mayPushDirectly(pusher, settings.allowDirectPush)) {
    const names = direct.map((l) => l.ref.replace(/^refs\/heads\//, '')).join(', ');
    refusals.push(`git-session: ${names} changes only through landings here: git session land --remote <this remote> lands a session on it`);
  }
  refusals.push(...(await checkSessions(repo, lines)));
  refusals.push(...(await checkLandRefs(repo, lines)));
  if (refusals.length) {
    await appendLog(serverDir(repo), refusals.map((reason) => ({ at: new Date(repo.clock()).toISOString(), kind: 'push-refused' as const, reason, ...(pusher ? { by: pusher } : {}) }))).catch(() => undefined);
  }
  return { refusals };
}

/**
 * Session refs only grow here: a meta or work ref moves to a descendant of what the
 * server has (append-only, as every writer of a session appends), is never deleted, and
 * names a commit. Checked through git processes (they see the quarantine); the events
 * themselves are read through the schema by the worker before anything is landed.
 */
async function checkSessions(repo: Repo, lines: ReceiveLine[]): Promise<string[]> {
  const out: string[] = [];
  const refuse = (ref: string, why: string) => out.push(`git-session: refusing ${ref}: ${why}`);
  const moved: ReceiveLine[] = [];
  for (const l of lines) {
    if (!l.ref.startsWith(SESSIONS_PREFIX) || !isSessionRef(l.ref)) continue;
    if (isZero(l.new)) refuse(l.ref, 'a session is never deleted from a landing server');
    else moved.push(l);
  }
  if (!moved.length) return out;
  const types = await objectTypes(repo.cwd, moved.map((l) => l.new));
  const grown = moved.filter((l) => !isZero(l.old) && types.get(l.new) === 'commit');
  const ok = await areAncestors(repo.cwd, grown.map((l) => [l.old, l.new]));
  for (const l of moved) if (types.get(l.new) !== 'commit') refuse(l.ref, 'a session ref must name a commit');
  grown.forEach((l, i) => {
    if (!ok[i]) refuse(l.ref, `it drops ${parseSessionRef(l.ref)!.leaf === 'meta' ? 'events' : 'work commits'} the server has (git session pull merges them, then push again)`);
  });
  return out;
}

/** Landing requests (well formed, naming the session as it is once the push is in); verdicts are the server's. */
async function checkLandRefs(repo: Repo, lines: ReceiveLine[]): Promise<string[]> {
  const out: string[] = [];
  const asks: { line: ReceiveLine; id: string }[] = [];
  for (const l of lines) {
    if (!l.ref.startsWith(LAND_PREFIX)) continue;
    const name = landRefId(l.ref);
    if (!name) out.push(`git-session: refusing ${l.ref}: not a landing request (refs/session-land/request/<session id>)`);
    else if (name.kind === 'verdict') out.push(`git-session: refusing ${l.ref}: verdicts are written by the server alone`);
    else if (!isZero(l.new)) asks.push({ line: l, id: name.id });
  }
  if (!asks.length) return out;
  const reads = await readRequests(repo.cwd, asks.map((a) => a.line.new));
  const after = new Map(lines.map((l) => [l.ref, l.new]));
  for (const [i, { line, id }] of asks.entries()) {
    const r = reads[i];
    if (!r.ok) {
      out.push(`git-session: refusing ${line.ref}: ${r.reason}`);
      continue;
    }
    const req = r.request;
    const now = async (ref: string) => after.get(ref) ?? (await repo.store.objects.resolve(ref));
    if (req.session !== id) out.push(`git-session: refusing ${line.ref}: it asks for session ${req.session}`);
    else if ((await now(metaRef(id))) !== req.meta || (await now(workRef(id))) !== req.work) {
      out.push(`git-session: refusing ${line.ref}: it names meta ${req.meta.slice(0, 12)} and work ${req.work.slice(0, 12)}, which the session does not have here once this push is in (push them with it)`);
    }
  }
  return out;
}
