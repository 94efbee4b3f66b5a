import { spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';
import { workRef } from '../core/layout.js';
import type { SessionEvent, SessionSummary } from '../core/types.js';
import { join } from 'node:path';
import { sanitize } from '../core/sanitize.js';
import { runGit } from '../git/exec.js';
import { ZERO } from '../git/refs.js';
import { redactText } from '../core/redact/index.js';
import { diffPaths, treeOf, worktreeSnapshot } from '../git/snapshot.js';
import { type SecretFile, secretFilesBetween } from './secret-warnings.js';
import type { Repo } from './repo.js';
import { requireOpen, sessionWorktree } from './sessions.js';

/** What a snapshot did: the new work commit, or nothing when the tree had not changed. */
export interface SnapshotResult {
  summary: SessionSummary;
  event?: SessionEvent;
  tree: string;
  /** Untracked files left out as likely secrets (core/secretfiles.ts). */
  skipped: string[];
  /** Tracked files this snapshot took whose content looks secret (kept: a tracked file is code). */
  secretFiles: SecretFile[];
}

/**
 * Commits the session worktree's current state (tracked and untracked-not-ignored) onto
 * the session's work chain, moving the work ref and appending the `snapshot` event in
 * one transaction. The user's index and branches are not touched. No-op when unchanged.
 * `explicit` (the `snapshot` command) falls back to this worktree when the session has
 * none of its own here; automatic snapshots (land, sync, check) then do nothing.
 */
export async function snapshot(repo: Repo, id: string, message?: string, explicit = false): Promise<SnapshotResult | undefined> {
  const wt = (await sessionWorktree(repo, id)) ?? (explicit ? { top: repo.top, gitDir: repo.paths.gitDir } : undefined);
  if (!wt) return undefined;
  const { tree, skipped } = await worktreeSnapshot(wt.top, wt.gitDir);
  const ident = await repo.ident();
  let event: SessionEvent | undefined;
  let from: string | undefined;
  const summary = await repo.store.append(id, ident, async (cur) => {
    requireOpen(cur);
    event = undefined;
    const workTip = await repo.store.workTip(id);
    const parent = workTip ?? cur.base;
    if ((await treeOf(repo.cwd, parent)) === tree) return { events: [] };
    // The message goes into the work commit too: redacted before either is written.
    const red = redactText(message?.trim() || `snapshot: ${cur.goal}`);
    const msg = red.text;
    from = parent;
    const commit = await repo.store.objects.writeCommit({
      tree,
      parent: [parent],
      message: sanitize(`${msg}\n\nSession-Id: ${id}\n`),
      author: ident,
    });
    const files = await diffPaths(repo.cwd, cur.base, tree);
    event = repo.event({ kind: 'snapshot', commit, parent, message: msg, files }, { redacted: red.kinds });
    return { events: [event], updates: [{ ref: workRef(id), new: commit, old: workTip ?? ZERO }] };
  });
  const secretFiles = event && from ? await secretFilesBetween(repo.cwd, from, tree) : [];
  return { summary, event, tree, skipped, secretFiles };
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
  if (command.length === 0) throw new GsError('usage', 'check needs a command after --, e.g. git session check -- npm test');
  const own = await sessionWorktree(repo, id);
  const summary = await repo.store.readSummary(id);
  const snap = own && summary.state === 'open' ? await snapshot(repo, id) : undefined;
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

async function runIn(repo: Repo, id: string, top: string, command: string[], tree: string, io: CheckIo): Promise<CheckResult> {
  const t0 = performance.now();
  let tail = Buffer.alloc(0);
  const keep = (b: Buffer) => {
    tail = Buffer.concat([tail, b]);
    if (tail.length > WINDOW_BYTES * 2) tail = tail.subarray(tail.length - WINDOW_BYTES);
  };
  const exitCode = await new Promise<number>((resolve) => {
    const [cmd, ...args] = command.length === 1 ? ['/bin/sh', '-c', command[0]] : command;
    const child = spawn(cmd, args, { cwd: top, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...repo.env, GIT_SESSION: id } });
    child.stdout.on('data', (b: Buffer) => { keep(b); io.stdout(b); });
    child.stderr.on('data', (b: Buffer) => { keep(b); io.stderr(b); });
    child.on('error', (e) => { keep(Buffer.from(`${e.message}\n`)); resolve(127); });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const durationMs = Math.round(performance.now() - t0);
  const output = checkTail(tail.subarray(Math.max(0, tail.length - WINDOW_BYTES)));
  const event = repo.event({ kind: 'check', command, exitCode, tree, durationMs, output: output.text }, { redacted: output.kinds }) as CheckResult['event'];
  const summary = await repo.append(id, [event]);
  return { event, summary };
}
