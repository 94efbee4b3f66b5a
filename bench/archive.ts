// Issue 12 (and issue 11's list, show and log figures): a repository with 100,000
// sessions, 99,000 of them archived (BENCH_ARCHIVE_N changes the total; open ones are
// 1%), built with fast-import (archive-fixture.ts), served by a loopback `git daemon`.
// Every figure beside its baseline from the same run: plain `git fetch`/`git push` in
// the adopted clone against the same project without sessions; `git session push`/`pull`
// after 10 sessions changed against plain git moving the same refs; `list` and `show`
// against `node -e 0`; refs against open sessions; `gc` of 1,000 sessions; `show`/`log`
// of a 5,000-chunk session.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkDir, chunkFile } from '../src/core/layout.js';
import { foldEvents } from '../src/core/fold.js';
import type { SessionEvent } from '../src/core/types.js';
import { Repo } from '../src/repo/repo.js';
import { startDaemon } from '../test/support/daemon.js';
import { buildArchiveRepo } from './archive-fixture.js';
import { median, report } from './harness.js';
import { BENCH_ENV, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const N = Number(process.env.BENCH_ARCHIVE_N ?? 100_000);
const OPEN = Math.max(10, Math.round(N / 100));
const RUNS = 7;

function sh(cwd: string, cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { cwd, env: BENCH_ENV, input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Wall time of one run (ms); throws when it fails. */
function once(cwd: string, cmd: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: BENCH_ENV, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status} in ${cwd}`);
  return performance.now() - t;
}

/** Median wall time of `a` and `b` run alternately `n` times each (so load hits both alike). */
function paired(n: number, a: () => number, b: () => number): [number, number] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    xs.push(a());
    ys.push(b());
  }
  return [median(xs), median(ys)];
}

/** A project history of `n` commits on main over the year the sessions span (a few files changing), through fast-import. */
function project(n: number, endMs: number): string {
  const dir = scratchRepo('gs-bench-arch-');
  let s = '';
  const start = Math.floor(endMs / 1000) - 365 * 86_400;
  for (let i = 0; i < n; i++) {
    const text = `line ${i}\n`;
    const at = start + Math.floor((i / n) * 365 * 86_400);
    s += `commit refs/heads/main\ncommitter Bench <bench@example.com> ${at} +0000\ndata 9\ncommit ${i % 10}\n${i ? '' : `from refs/heads/main^0\n`}M 100644 inline src/f${i % 50}.txt\ndata ${text.length}\n${text}\n`;
  }
  sh(dir, 'git', ['fast-import', '--quiet'], s);
  sh(dir, 'git', ['reset', '-q', '--hard', 'main']);
  return dir;
}

function clone(url: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-clone-')));
  sh(tmpdir(), 'git', ['clone', '-q', url, dir]);
  return dir;
}

/** A new commit on main pushed to `url` from a throw-away writer clone. */
function advance(writer: string, k: number): void {
  sh(writer, 'git', ['commit', '-q', '--allow-empty', '-m', `upstream ${k}`]);
  sh(writer, 'git', ['push', '-q', '--no-verify', 'origin', 'main']);
}

/** A session of `chunks` chunks of 8 events each, written in-process (issue 11's show/log figure). */
export async function chunkySession(chunks: number): Promise<{ dir: string; id: string }> {
  const dir = scratchRepo('gs-bench-chunks-');
  let t = Date.parse('2026-03-01T00:00:00Z');
  const repo = Repo.open({ cwd: dir, clock: () => (t += 1), env: BENCH_ENV });
  const base = sh(dir, 'git', ['rev-parse', 'main']).trim();
  const id = repo.newId();
  const events: SessionEvent[] = [repo.event({ kind: 'start', goal: 'a long session', target: 'main', base, author: 'Bench <bench@example.com>' })];
  for (let i = 1; i < chunks * 8; i++) events.push(repo.event({ kind: i % 4 ? 'message' : 'prompt', role: 'agent', text: `step ${i}: ${'the agent reads a file and explains what it found there. '.repeat(4)}` } as never));
  const o = repo.store.objects;
  const dirs = new Map<string, { mode: string; path: string; oid: string; type: 'blob' }[]>();
  for (let c = 0; c < chunks; c++) {
    const text = events.slice(c * 8, c * 8 + 8).map((e) => JSON.stringify(e)).join('\n') + '\n';
    const d = chunkDir(c);
    dirs.set(d, [...(dirs.get(d) ?? []), { mode: '100644', path: chunkFile(c), oid: await o.writeText(text), type: 'blob' }]);
  }
  const evTree = await o.writeTree(await Promise.all([...dirs].map(async ([d, list]) => ({ mode: '040000', path: d, oid: await o.writeTree(list), type: 'tree' as const }))));
  const sj = await o.writeText(JSON.stringify(foldEvents(id, events), null, 2) + '\n');
  const tree = await o.writeTree([{ mode: '040000', path: 'events', oid: evTree, type: 'tree' }, { mode: '100644', path: 'session.json', oid: sj, type: 'blob' }]);
  const commit = await o.writeCommit({ tree, parent: [], message: 'long\n', author: await repo.ident() });
  sh(dir, 'git', ['update-ref', `refs/sessions/${id}/meta`, commit]);
  sh(dir, 'git', ['gc', '-q']);
  return { dir, id };
}

/** Runs the archive benchmarks. */
export async function run(): Promise<void> {
  Object.assign(process.env, BENCH_ENV);
  const node = () => once(tmpdir(), process.execPath, ['-e', '0']);
  // The same project with and without sessions.
  const end = Date.parse('2026-03-15T00:00:00Z');
  const plain = project(2000, end);
  const adopted = scratchRepo('gs-bench-adopted-');
  rmSync(adopted, { recursive: true, force: true });
  cpSync(plain, adopted, { recursive: true });
  let t = performance.now();
  const sessions = await buildArchiveRepo(adopted, N, OPEN, 12, end);
  report({ name: `build ${N.toLocaleString('en')} sessions (${OPEN.toLocaleString('en')} open) with fast-import`, value: performance.now() - t, unit: 'ms' });

  const daemon = await startDaemon();
  try {
    const withUrl = daemon.remote('with');
    const withoutUrl = daemon.remote('without');
    sh(adopted, 'git', ['push', '-q', '--no-verify', withUrl, 'refs/heads/main:refs/heads/main', '+refs/sessions/*:refs/sessions/*']);
    sh(plain, 'git', ['push', '-q', '--no-verify', withoutUrl, 'refs/heads/main:refs/heads/main']);
    // As a server's own gc would: a thousand loose refs make every ref listing read a thousand files.
    for (const name of ['with', 'without']) sh(daemon.dir(name), 'git', ['pack-refs', '--all']);
    // The clone without sessions is plain git; the adopted one ran `init` and has every session, as after a pull.
    const without = clone(withoutUrl);
    const withC = clone(withUrl);
    sh(withC, 'git', ['fetch', '-q', 'origin', '+refs/sessions/*:refs/sessions/*']);
    sh(withC, process.execPath, [BIN, 'init', '--publish', 'push']);
    sh(withC, 'git', ['fetch', '-q', 'origin']);
    for (const d of [withC, without]) sh(d, 'git', ['gc', '-q']);
    const writers = { with: clone(withUrl), without: clone(withoutUrl) };

    const refs = sh(withC, 'git', ['for-each-ref']).split('\n').filter(Boolean).length;
    const refsPlain = sh(without, 'git', ['for-each-ref']).split('\n').filter(Boolean).length;
    report({ name: `git for-each-ref | wc -l, ${N.toLocaleString('en')} sessions, ${OPEN} open`, value: refs, unit: 'refs', baseline: { name: `open sessions x2 + ${refsPlain} refs of plain git`, value: OPEN * 2 + refsPlain } });

    const [fetchWith, fetchWithout] = paired(RUNS, () => once(withC, 'git', ['fetch', '-q']), () => once(without, 'git', ['fetch', '-q']));
    report({ name: 'plain git fetch, nothing new (adopted vs plain)', value: fetchWith, unit: 'ms', baseline: { name: 'without sessions', value: fetchWithout }, goal: '<= 1.2x' });
    let k = 0;
    const [newWith, newWithout] = paired(
      RUNS,
      () => (advance(writers.with, k), once(withC, 'git', ['fetch', '-q'])),
      () => (advance(writers.without, k++), once(without, 'git', ['fetch', '-q'])),
    );
    report({ name: 'plain git fetch of one new commit on main', value: newWith, unit: 'ms', baseline: { name: 'without sessions', value: newWithout }, goal: '<= 1.2x' });
    for (const d of [withC, without]) sh(d, 'git', ['merge', '-q', '--ff-only', 'origin/main']);
    let c = 0;
    const commitThenPush = (dir: string, flags: string[]) => {
      sh(dir, 'git', ['commit', '-q', '--allow-empty', '-m', `local ${c++}`]);
      return once(dir, 'git', ['push', '-q', ...flags, 'origin', 'main']);
    };
    const [pushNv, pushNvWithout] = paired(RUNS, () => commitThenPush(withC, ['--no-verify']), () => commitThenPush(without, ['--no-verify']));
    report({ name: 'plain git push of one commit, --no-verify', value: pushNv, unit: 'ms', baseline: { name: 'without sessions', value: pushNvWithout }, goal: '<= 1.2x' });
    const [pushHook, pushHookWithout] = paired(RUNS, () => commitThenPush(withC, []), () => commitThenPush(without, []));
    report({ name: 'plain git push of one commit, pre-push hook running', value: pushHook, unit: 'ms', baseline: { name: 'without sessions (no hook)', value: pushHookWithout } });
    report({ name: '  the hook\'s share of that push', value: pushHook - pushHookWithout, unit: 'ms', baseline: { name: 'node -e 0', value: node() }, goal: '<= 1.5x' });

    // git session push / pull after 10 sessions changed, against plain git moving the same refs.
    const open = sessions.filter((s) => s.open).slice(0, 10).map((s) => s.id);
    const other = clone(withUrl);
    sh(other, 'git', ['fetch', '-q', 'origin', '+refs/sessions/*:refs/sessions/*']);
    sh(other, process.execPath, [BIN, 'init', '--publish', 'push']);
    sh(other, 'git', ['fetch', '-q', 'origin']);
    const pushes: number[] = [];
    const pulls: number[] = [];
    const gitPush: number[] = [];
    const gitFetch: number[] = [];
    const mirror = clone(withUrl);
    sh(mirror, 'git', ['fetch', '-q', 'origin', '+refs/sessions/*:refs/sessions/*']);
    for (let round = 0; round < 3; round++) {
      for (const id of open) sh(withC, process.execPath, [BIN, 'record', 'note', `round ${round}`, '--session', id]);
      pushes.push(once(withC, process.execPath, [BIN, 'push']));
      pulls.push(once(other, process.execPath, [BIN, 'pull']));
      for (const id of open) sh(mirror, 'git', ['update-ref', `refs/sessions/${id}/meta`, sh(mirror, 'git', ['commit-tree', `refs/sessions/${id}/meta^{tree}`, '-p', `refs/sessions/${id}/meta`, '-m', `r${round}`]).trim()]);
      gitPush.push(once(mirror, 'git', ['push', '-q', '--no-verify', 'origin', ...open.map((id) => `+refs/sessions/${id}/meta:refs/bench-plain/${id}/${round}`)]));
      gitFetch.push(once(other, 'git', ['fetch', '-q', 'origin', ...open.map((id) => `+refs/bench-plain/${id}/${round}:refs/bench-fetched/${id}`)]));
    }
    report({ name: 'git session push, 10 sessions changed', value: median(pushes), unit: 'ms', baseline: { name: 'git push of 10 refs', value: median(gitPush) } });
    report({ name: 'git session pull, 10 sessions changed', value: median(pulls), unit: 'ms', baseline: { name: 'git fetch of 10 refs', value: median(gitFetch) } });

    // list and show at N sessions, warm and right after the catalog is gone (a fresh clone).
    once(withC, process.execPath, [BIN, 'list']);
    const [list, nodeL] = paired(RUNS, () => once(withC, process.execPath, [BIN, 'list']), node);
    report({ name: `git session list (newest page), ${N.toLocaleString('en')} sessions`, value: list, unit: 'ms', baseline: { name: 'node -e 0', value: nodeL }, goal: '<= 300 ms' });
    const [listAll, nodeA] = paired(3, () => once(withC, process.execPath, [BIN, 'list', '--json']), node);
    report({ name: `git session list --json (every session), ${N.toLocaleString('en')}`, value: listAll, unit: 'ms', baseline: { name: 'node -e 0', value: nodeA } });
    const [cold, nodeC] = paired(3, () => (rmSync(join(withC, '.git', 'session', 'index'), { recursive: true, force: true }), once(withC, process.execPath, [BIN, 'list'])), node);
    report({ name: `git session list with no catalog yet (first run after a clone)`, value: cold, unit: 'ms', baseline: { name: 'node -e 0', value: nodeC } });
    const archivedId = sessions.find((s) => !s.open)!.id;
    const [show, nodeS] = paired(RUNS, () => once(withC, process.execPath, [BIN, 'show', archivedId.slice(0, 12)]), node);
    report({ name: 'git session show <archived id prefix>', value: show, unit: 'ms', baseline: { name: 'node -e 0', value: nodeS }, goal: '<= 2.5x' });
    const [showOpen, nodeO] = paired(RUNS, () => once(withC, process.execPath, [BIN, 'show', open[0]]), node);
    report({ name: 'git session show <open id>', value: showOpen, unit: 'ms', baseline: { name: 'node -e 0', value: nodeO }, goal: '<= 2.5x' });

    // gc: 1,000 sessions closed since into their shards.
    const closing = sessions.filter((s) => s.open).slice(10, 10 + Math.min(1000, OPEN - 10)).map((s) => s.id);
    const gcDir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-gc-')));
    cpSync(withC, gcDir, { recursive: true });
    const repo = Repo.open({ cwd: gcDir, clock: () => Date.now(), env: BENCH_ENV });
    for (const id of closing) await repo.append(id, [repo.event({ kind: 'abandon' })]);
    sh(gcDir, 'git', ['config', 'session.archiveAfter', '0']);
    t = performance.now();
    sh(gcDir, process.execPath, [BIN, 'gc']);
    report({ name: `git session gc of ${closing.length} closed sessions`, value: performance.now() - t, unit: 'ms', baseline: { name: 'git gc --auto (nothing to do)', value: once(gcDir, 'git', ['-c', 'gc.autoDetach=false', 'gc', '--auto']) } });
    rmSync(gcDir, { recursive: true, force: true, maxRetries: 5 });
  } finally {
    daemon.stop();
  }

  // Issue 11: show and log of a session of 5,000 chunks (40,000 events), one cat-file batch.
  const big = await chunkySession(5000);
  const [showBig, nodeB] = paired(5, () => once(big.dir, process.execPath, [BIN, 'show', big.id]), node);
  report({ name: 'git session show, 5,000 chunks (40,000 events)', value: showBig, unit: 'ms', baseline: { name: 'node -e 0', value: nodeB }, goal: '<= 500 ms' });
  const [logBig, nodeG] = paired(5, () => once(big.dir, process.execPath, [BIN, 'log', big.id]), node);
  report({ name: 'git session log, 5,000 chunks (40,000 events)', value: logBig, unit: 'ms', baseline: { name: 'node -e 0', value: nodeG }, goal: '<= 500 ms' });
}
