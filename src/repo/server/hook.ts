// What the receive hooks of a server repository run (`git session server-hook <name>`):
// pre-receive checks the push (receive.ts); post-receive runs the landing worker itself
// when the pusher waits (a detached one for --no-wait), then waits (session.landWait
// seconds, default 60) for the verdicts of the requests just pushed, printed to the
// pusher as `remote:` lines: a human line, then the verdict as one JSON line the client
// reads. A pusher that goes away mid-landing stops nothing half way (one transaction);
// what is left queued, the next worker lands, and a waiting hook with no live worker
// starts one.
import { spawn } from 'node:child_process';
import { landRefId, type Verdict, verdictLine, verdictRef } from '../../core/land-request.js';
import { binPath } from '../hooks.js';
import type { Repo } from '../repo.js';
import { readRequests, readVerdict } from './queue.js';
import { runWorker } from './worker.js';
import { checkPush, receiveLines, serverSettings } from './receive.js';
import { alive, lockOwner, lockPath } from './lock.js';
import { serverDir } from './queue.js';

/** pre-receive: the refusal lines (the hook exits 1 when there are any). */
export async function preReceive(repo: Repo, input: string, env: Record<string, string | undefined>): Promise<string[]> {
  return (await checkPush(repo, receiveLines(input), env)).refusals;
}

/** Starts the landing worker detached (its output goes nowhere: the log and the verdict refs say what it did). */
export function startWorker(repo: Repo, env: Record<string, string | undefined>): void {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    // Nothing of this push's receive-pack: no quarantine, no push options, the repository named absolutely.
    if (v === undefined || /^GIT_(QUARANTINE_PATH|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|PUSH_OPTION.*|DIR|WORK_TREE|INDEX_FILE)$/.test(k)) continue;
    clean[k] = v;
  }
  clean.GIT_DIR = repo.paths.commonDir;
  const child = spawn(process.execPath, [binPath(), 'server-hook', 'work'], { cwd: repo.paths.commonDir, env: clean, detached: true, stdio: 'ignore' });
  child.unref();
}

/** The human line of a verdict (printed through the CLI's one sanitizer: the reason and paths are data). */
export function verdictText(v: Verdict): string {
  const id = v.session.slice(-8);
  if (v.outcome === 'landed') return `git-session: landed ${id} on ${v.target} as ${v.commit}${v.alreadyOnTarget ? ' (every change was already there)' : ''}`;
  if (v.outcome === 'conflict') return `git-session: ${id} conflicts on ${v.target} in ${(v.conflicts ?? []).join(', ')}`;
  return `git-session: refused to land ${id} on ${v.target}: ${v.reason ?? ''}`;
}

/**
 * post-receive: wakes the worker for the requests of this push and prints each verdict
 * that comes within session.landWait seconds. A request the worker could not answer in
 * time stays queued; the client then reads its verdict ref.
 */
export async function postReceive(repo: Repo, input: string, env: Record<string, string | undefined>, write: (line: string) => void): Promise<void> {
  const asks = receiveLines(input).filter((l) => landRefId(l.ref)?.kind === 'request' && !/^0+$/.test(l.new));
  if (!asks.length) return;
  const settings = await serverSettings(repo);
  if (settings.worker !== 'auto') write('git-session: landing requests queued (session.serverWorker = manual: the worker runs apart)');
  // Nobody to wait for: the worker runs apart, or the client said it does not wait (--no-wait).
  const reads = await readRequests(repo.cwd, asks.map((l) => l.new));
  const waited = asks.filter((_, i) => reads[i].ok && (reads[i] as { request: { wait?: boolean } }).request.wait !== false);
  if (settings.worker !== 'auto') return;
  if (!waited.length) return startWorker(repo, env);
  // A pusher waits: this hook is the worker (one process start fewer per landing). Killed with
  // the push, it leaves what a killed worker leaves: one transaction done or not, the rest queued.
  await runWorker(repo).catch(() => startWorker(repo, env));
  const deadline = Date.now() + settings.waitSeconds * 1000;
  const waiting = new Map(waited.map((l) => [landRefId(l.ref)!.id, l.new]));
  let idle = 0;
  while (waiting.size && Date.now() < deadline) {
    for (const [id, request] of [...waiting]) {
      const oid = await repo.store.objects.resolve(verdictRef(id));
      const v = oid ? await readVerdict(repo.cwd, oid) : undefined;
      if (v && v.request === request) {
        write(verdictText(v));
        write(verdictLine(v));
        waiting.delete(id);
      }
    }
    if (!waiting.size) break;
    await new Promise((r) => setTimeout(r, 40));
    // No worker alive for a while (killed, or it failed): wake one more, at most every second.
    if (settings.worker === 'auto' && !(await anyWorker(repo))) {
      if (++idle % 25 === 0) startWorker(repo, env);
    } else idle = 0;
  }
  if (waiting.size) write(`git-session: ${waiting.size} landing request${waiting.size === 1 ? '' : 's'} still queued (the verdict comes under refs/session-land/verdict/)`);
}

/** Whether a live worker holds any landing lock. */
async function anyWorker(repo: Repo): Promise<boolean> {
  const { readdir } = await import('node:fs/promises');
  const dir = serverDir(repo);
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const f of files) {
    const m = /^land-([0-9a-f]+)\.lock$/.exec(f);
    if (!m) continue;
    const pid = await lockOwner(lockPath(dir, Buffer.from(m[1], 'hex').toString('utf8')));
    if (pid !== undefined && alive(pid)) return true;
  }
  return false;
}
