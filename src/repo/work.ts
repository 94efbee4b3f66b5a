import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { GsError } from '../core/errors.js';
import { workRef } from '../core/layout.js';
import type { EventOf, SessionEvent, SessionSummary } from '../core/types.js';
import { join } from 'node:path';
import { sanitize } from '../core/sanitize.js';
import { runGit } from '../git/exec.js';
import { ZERO } from '../git/refs.js';
import { redactText } from '../core/redact/index.js';
import { diffPaths, treeOf, worktreeSnapshot } from '../git/snapshot.js';
import { type SecretFile, secretFilesBetween } from './secret-warnings.js';
import type { Repo } from './repo.js';
import { rerere, resetPaths } from '../git/checkout.js';
import { lastConflict, resolutionOf } from './resolution.js';
import { requireOpen, sessionWorktree } from './sessions.js';
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
  const settled = await settle(repo, s, c, tree);
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
    if (follow || (await treeOf(repo.cwd, parent)) !== tree) {
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

/** Result of `check`. */
export interface CheckResult {
  event: SessionEvent & { kind: 'check' };
  summary: SessionSummary;
  /** The snapshot taken first, when one was (its skipped and secret-looking files are for the user). */
  snapshot?: SnapshotResult;
}

/** Streams a check's output to the user while keeping its tail for the event. */
export interface CheckIo {
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
}

const TAIL_BYTES = 4096;
/**
 * Raw output kept to cut the tail from: redaction runs on this window BEFORE the cut, so
 * a token straddling the 4096-byte boundary is whole when the rules see it. A token can
 * only be cut by the window's own start, 60 KiB before anything that is kept.
 */
const WINDOW_BYTES = 64 * 1024;

/** The last TAIL_BYTES of `raw` after redaction (never starting inside a redaction marker). */
export function checkTail(raw: Buffer): { text: string; kinds: string[] } {
  const red = redactText(raw.toString('utf8'));
  const bytes = Buffer.from(red.text, 'utf8');
  if (bytes.length <= TAIL_BYTES) return red;
  let text = bytes.subarray(bytes.length - TAIL_BYTES).toString('utf8').replace(/^\uFFFD+/, '');
  const open = text.indexOf(']');
  if (open >= 0 && !text.slice(0, open).includes('[') && /^[A-Za-z0-9:_-]*\]/.test(text)) text = text.slice(open + 1);
  return { text, kinds: red.kinds };
}

/**
 * Snapshots, runs `command` in the session's worktree, and records a `check` event with
 * exit code, duration, tree and the tail of the output. One argument is run through the
 * shell (`check -- "npm test && npm run lint"`), several as an argv.
 */
export async function runCheck(repo: Repo, id: string, command: string[], io: CheckIo): Promise<CheckResult> {
  if (command.length === 0 || !command[0].trim()) throw new GsError('usage', 'check needs a command after --, e.g. git session check -- npm test');
  const own = await sessionWorktree(repo, id);
  const summary = await repo.store.readSummary(id);
  const snap = own && (summary.state === 'open' || summary.state === 'conflicted') ? await snapshot(repo, id) : undefined;
  const rev = (await repo.store.workTip(id)) ?? summary.base;
  const tree = snap?.tree ?? (await treeOf(repo.cwd, rev));
  // Not checked out anywhere: run on a throw-away worktree of the session's snapshot.
  const wt = own ?? (await addTempWorktree(repo, rev));
  try {
    return { ...(await runIn(repo, id, wt.top, command, tree, io)), ...(snap ? { snapshot: snap } : {}) };
  } finally {
    if (!own) await runGit(['worktree', 'remove', '--force', wt.top], { cwd: repo.cwd, allowFail: true });
  }
}

async function addTempWorktree(repo: Repo, rev: string): Promise<{ top: string }> {
  const top = join(repo.localDir, 'check', `${process.pid}-${Math.random().toString(36).slice(2)}`);
  await runGit(['worktree', 'add', '--detach', '--quiet', top, rev], { cwd: repo.cwd });
  return { top };
}

// Signals an agent harness (or Ctrl-C) sends to stop a check: passed on to the check's
// whole process group, and then nothing is recorded.
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

async function runIn(repo: Repo, id: string, top: string, command: string[], tree: string, io: CheckIo): Promise<CheckResult> {
  const t0 = performance.now();
  let tail = Buffer.alloc(0);
  const keep = (b: Buffer) => {
    tail = Buffer.concat([tail, b]);
    if (tail.length > WINDOW_BYTES * 2) tail = tail.subarray(tail.length - WINDOW_BYTES);
  };
  let stoppedBy: NodeJS.Signals | undefined;
  const exitCode = await new Promise<number>((resolve) => {
    const [cmd, ...args] = command.length === 1 ? ['/bin/sh', '-c', command[0]] : command;
    // Its own process group (detached), so a stop reaches everything the check started.
    const child = spawn(cmd, args, { cwd: top, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...repo.env, GIT_SESSION: id } });
    const forward = (sig: NodeJS.Signals) => {
      stoppedBy ??= sig;
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        /* the group is gone already */
      }
    };
    for (const sig of STOP_SIGNALS) process.on(sig, forward);
    const done = (code: number) => {
      for (const sig of STOP_SIGNALS) process.off(sig, forward);
      resolve(code);
    };
    child.stdout.on('data', (b: Buffer) => { keep(b); io.stdout(b); });
    child.stderr.on('data', (b: Buffer) => { keep(b); io.stderr(b); });
    child.on('error', (e) => { keep(Buffer.from(`${e.message}\n`)); done(127); });
    child.on('exit', () => {
      if (!stoppedBy || !child.pid) return;
      // The command is gone; what it left behind in its group (a background job of a
      // shell ignores SIGINT) is stopped too: SIGTERM, then SIGKILL if it lingers.
      const group = -child.pid;
      const hit = (sig: NodeJS.Signals) => { try { process.kill(group, sig); } catch { /* group empty */ } };
      hit('SIGTERM');
      setTimeout(() => hit('SIGKILL'), 2000).unref();
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
  });
  if (stoppedBy) throw new GsError('interrupted', `check stopped by ${stoppedBy}: nothing recorded`, { signal: stoppedBy });
  const durationMs = Math.round(performance.now() - t0);
  const output = checkTail(tail.subarray(Math.max(0, tail.length - WINDOW_BYTES)));
  const event = repo.event({ kind: 'check', command, exitCode, tree, durationMs, output: output.text }, { redacted: output.kinds }) as CheckResult['event'];
  const summary = await repo.append(id, [event]);
  return { event, summary };
}
