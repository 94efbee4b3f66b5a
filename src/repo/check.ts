// `check`: runs a command on the session's snapshot and records the result as a `check`
// event, signed (README "Trusted checks") when a signing key is configured; and the
// merged-tree run `land --check` makes.
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { GsError, isGsError } from '../core/errors.js';
import { redactText } from '../core/redact/index.js';
import type { SessionEvent, SessionSummary } from '../core/types.js';
import { runGit } from '../git/exec.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { type AttestSubject, attestCheck, type CheckSettings, checkSettings } from './attest.js';
import type { Repo } from './repo.js';
import { sessionWorktree } from './sessions.js';
import { snapshot, type SnapshotResult } from './work.js';

/** Result of `check`. */
export interface CheckResult {
  event: SessionEvent & { kind: 'check' };
  summary: SessionSummary;
  /** The snapshot taken first, when one was (its skipped and secret-looking files are for the user). */
  snapshot?: SnapshotResult;
  /** Why a configured key could not sign (the check is recorded unsigned). */
  signError?: string;
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
  if (command.length === 0 || !command[0].trim()) throw new GsError('usage', 'check needs a command after --, e.g. git session check -- npm test');
  const settings = await checkSettings(repo);
  const own = await sessionWorktree(repo, id);
  const summary = await repo.store.readSummary(id);
  const snap = own && (summary.state === 'open' || summary.state === 'conflicted') ? await snapshot(repo, id) : undefined;
  const rev = (await repo.store.workTip(id)) ?? summary.base;
  const tree = snap?.tree ?? (await treeOf(repo.cwd, rev));
  // In place only when what is on disk is exactly the tree being attested.
  const inPlace = own && !o.clean && (snap !== undefined || (await worktreeTree(own.top, own.gitDir)) === tree) ? own : undefined;
  const wt = inPlace ?? (await addTempWorktree(repo, rev));
  const sub: AttestSubject = { session: id, base: summary.base, target: summary.target, merged: false, workspace: inPlace ? 'in-place' : 'clean' };
  try {
    return { ...(await runIn(repo, id, wt.top, command, tree, io, { name: o.name, sub, settings })), ...(snap ? { snapshot: snap } : {}) };
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

// Signals an agent harness (or Ctrl-C) sends to stop a check: passed on to the check's
// whole process group, and then nothing is recorded.
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

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
  const { sub, settings } = plan;
  const event = repo.event(
    {
      kind: 'check', command, exitCode, tree, durationMs, output: output.text,
      ...(plan.name ? { name: plan.name } : {}), workspace: sub.workspace, ...(sub.merged ? { mergedWith: sub.base } : {}),
    },
    { redacted: output.kinds },
  ) as CheckResult['event'];
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
