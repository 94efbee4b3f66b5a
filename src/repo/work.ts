import { spawn } from 'node:child_process';
import { GsError, isGsError } from '../core/errors.js';
import { workRef } from '../core/layout.js';
import type { SessionEvent, SessionSummary } from '../core/types.js';
import { join } from 'node:path';
import { runGit } from '../git/exec.js';
import { ZERO } from '../git/refs.js';
import { diffPaths, treeOf, worktreeTree } from '../git/snapshot.js';
import { type AttestSubject, attestCheck, type CheckSettings, checkSettings } from './attest.js';
import type { Repo } from './repo.js';
import { requireOpen, sessionWorktree } from './sessions.js';

/** What a snapshot did: the new work commit, or nothing when the tree had not changed. */
export interface SnapshotResult {
  summary: SessionSummary;
  event?: SessionEvent;
  tree: string;
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
  const tree = await worktreeTree(wt.top, wt.gitDir);
  const ident = await repo.ident();
  let event: SessionEvent | undefined;
  const summary = await repo.store.append(id, ident, async (cur) => {
    requireOpen(cur);
    event = undefined;
    const workTip = await repo.store.workTip(id);
    const parent = workTip ?? cur.base;
    if ((await treeOf(repo.cwd, parent)) === tree) return { events: [] };
    const msg = message?.trim() || `snapshot: ${cur.goal}`;
    const commit = await repo.store.objects.writeCommit({
      tree,
      parent: [parent],
      message: `${msg}\n\nSession-Id: ${id}\n`,
      author: ident,
    });
    const files = await diffPaths(repo.cwd, cur.base, tree);
    event = repo.event({ kind: 'snapshot', commit, parent, message: msg, files });
    return { events: [event], updates: [{ ref: workRef(id), new: commit, old: workTip ?? ZERO }] };
  });
  return { summary, event, tree };
}

/** Result of `check`. */
export interface CheckResult {
  event: SessionEvent & { kind: 'check' };
  summary: SessionSummary;
  /** Why a configured key could not sign (the check is recorded unsigned). */
  signError?: string;
}

/** Streams a check's output to the user while keeping its tail for the event. */
export interface CheckIo {
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
}

const TAIL_BYTES = 4096;

/** Options of `check`. */
export interface CheckOptions {
  /** `--name`: what the check is called (a required check is named); default its command line. */
  name?: string;
  /** `--clean`: run in a fresh temporary worktree even when the session's own equals the snapshot. */
  clean?: boolean;
}

/**
 * Snapshots, runs `command` on the session's snapshot, and records a `check` event with
 * exit code, duration, tree and the tail of the output — signed (an in-toto attestation)
 * when a signing key is configured. It runs in place when the session's worktree equals
 * the snapshot (ignored files such as node_modules stay where they are), else (or with
 * `--clean`) in a throw-away worktree of it. One argument is run through the shell
 * (`check -- "npm test && npm run lint"`), several as an argv.
 */
export async function runCheck(repo: Repo, id: string, command: string[], io: CheckIo, o: CheckOptions = {}): Promise<CheckResult> {
  if (command.length === 0) throw new GsError('usage', 'check needs a command after --, e.g. git session check -- npm test');
  const settings = await checkSettings(repo);
  const own = await sessionWorktree(repo, id);
  const summary = await repo.store.readSummary(id);
  const snap = own && summary.state === 'open' ? await snapshot(repo, id) : undefined;
  const rev = (await repo.store.workTip(id)) ?? summary.base;
  const tree = snap?.tree ?? (await treeOf(repo.cwd, rev));
  // In place only when what is on disk is exactly the tree being attested.
  const inPlace = own && !o.clean && (snap !== undefined || (await worktreeTree(own.top, own.gitDir)) === tree) ? own : undefined;
  const wt = inPlace ?? (await addTempWorktree(repo, rev));
  const sub: AttestSubject = { session: id, base: summary.base, target: summary.target, merged: false, workspace: inPlace ? 'in-place' : 'clean' };
  try {
    return await runIn(repo, id, wt.top, command, tree, io, { name: o.name, sub, settings });
  } finally {
    if (!inPlace) await runGit(['worktree', 'remove', '--force', wt.top], { cwd: repo.cwd, allowFail: true });
  }
}

/**
 * Runs `command` on a merged tree (`land --check`: the tree a landing would put on the
 * target, not the session's own) in a throw-away worktree, signed, recording the target
 * tip it was merged with. `parents` are the tip and the session's work tip.
 */
export async function runMergedCheck(
  repo: Repo,
  id: string,
  command: string[],
  name: string,
  at: { tree: string; tip: string; work: string; target: string },
  io: CheckIo,
  settings: CheckSettings,
): Promise<CheckResult> {
  const ident = await repo.ident();
  // A commit for `worktree add` to check out; nothing refers to it (the tree is kept by the event's attachment).
  const commit = await repo.store.objects.writeCommit({ tree: at.tree, parent: [at.tip, at.work], message: `git-session: merged tree checked for ${id}\n`, author: ident });
  const wt = await addTempWorktree(repo, commit);
  const sub: AttestSubject = { session: id, base: at.tip, target: at.target, merged: true, workspace: 'clean' };
  try {
    return await runIn(repo, id, wt.top, command, at.tree, io, { name, sub, settings });
  } finally {
    await runGit(['worktree', 'remove', '--force', wt.top], { cwd: repo.cwd, allowFail: true });
  }
}

async function addTempWorktree(repo: Repo, rev: string): Promise<{ top: string }> {
  const top = join(repo.localDir, 'check', `${process.pid}-${Math.random().toString(36).slice(2)}`);
  await runGit(['worktree', 'add', '--detach', '--quiet', top, rev], { cwd: repo.cwd });
  return { top };
}

/** What a run records besides its result: its name, and how to sign it. */
interface RunPlan {
  name?: string;
  sub: AttestSubject;
  settings: CheckSettings;
}

async function runIn(repo: Repo, id: string, top: string, command: string[], tree: string, io: CheckIo, plan: RunPlan): Promise<CheckResult> {
  const t0 = performance.now();
  let tail = Buffer.alloc(0);
  const keep = (b: Buffer) => {
    tail = Buffer.concat([tail, b]);
    if (tail.length > TAIL_BYTES * 2) tail = tail.subarray(tail.length - TAIL_BYTES);
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
  const output = tail.subarray(Math.max(0, tail.length - TAIL_BYTES)).toString('utf8');
  const { sub, settings } = plan;
  const event = repo.event({
    kind: 'check', command, exitCode, tree, durationMs, output,
    ...(plan.name ? { name: plan.name } : {}), workspace: sub.workspace, ...(sub.merged ? { mergedWith: sub.base } : {}),
  }) as CheckResult['event'];
  let signError: string | undefined;
  if (settings.signing) {
    try {
      event.attestation = await attestCheck(repo, settings, event, sub, top);
    } catch (e) {
      // The check ran: it is recorded either way (unsigned), and the user is told why.
      if (!isGsError(e)) throw e;
      signError = e.message;
    }
  }
  const summary = await repo.append(id, [event]);
  return { event, summary, ...(signError ? { signError } : {}) };
}
