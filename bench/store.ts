// Session store benchmarks: whole-process `record` against `node -e 0`, in-process append
// cost at 10 / 1,000 / 100,000 events, and `list` with 10,000 sessions.
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionEvent } from '../src/core/types.js';
import { Repo } from '../src/repo/repo.js';
import { listSessions, startSession } from '../src/repo/sessions.js';
import { median, report, timeMedian } from './harness.js';
import { BENCH_ENV, makeSessions, scratchRepo } from './sessions.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(ROOT, 'bin', 'git-session');
const ENV = BENCH_ENV;
Object.assign(process.env, ENV);

function wall(cmd: string, args: string[], cwd: string, n: number): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd, env: ENV, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Runs the store benchmarks. */
export async function run(): Promise<void> {
  const dir = scratchRepo();
  let now = Date.now();
  const repo = Repo.open({ cwd: dir, clock: () => (now += 1), env: ENV });
  const { summary } = await startSession(repo, { goal: 'bench' });
  const id = summary.id;

  // Whole process, same machine, same run.
  wall(process.execPath, [BIN, 'record', 'note', 'warm-up'], dir, 2);
  const nodeBase = wall(process.execPath, ['-e', '0'], dir, 15);
  const rec = wall(process.execPath, [BIN, 'record', 'note', 'hello'], dir, 15);
  report({ name: 'git session record (whole process, median of 15)', value: rec, unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase }, goal: '<= 150 ms' });
  const ver = wall(process.execPath, [BIN, '--version'], dir, 9);
  report({ name: 'git session --version (start-up: node + CLI parser)', value: ver, unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase } });

  // In-process append at growing sizes: bulk-load the session to each size, then time
  // single-event appends.
  const sizes = [10, 1000, 100_000];
  const results: number[] = [];
  let have = (await repo.store.readSummary(id)).events;
  for (const size of sizes) {
    const need = size - have;
    const batch: SessionEvent[] = [];
    for (let i = 0; i < need; i++) batch.push(repo.event({ kind: 'note', text: `bulk event ${i} with some text to be realistic` }));
    if (batch.length) await repo.append(id, batch);
    have = size;
    const t = await timeMedian(25, () => repo.append(id, [repo.event({ kind: 'note', text: 'timed' })]));
    have += 25;
    results.push(t);
  }
  sizes.forEach((size, i) =>
    report({ name: `append one event at ${size.toLocaleString('en')} events (in-process)`, value: results[i], unit: 'ms', baseline: { name: 'at 10', value: results[0] }, goal: i === 2 ? '<= 1.5x the 10 figure' : undefined }),
  );

  // list with 10,000 sessions: written in-process, published in one ref transaction.
  const listDir = scratchRepo();
  const lrepo = Repo.open({ cwd: listDir, clock: () => (now += 1), env: ENV });
  await makeSessions(lrepo, 10_000);
  execFileSync('git', ['pack-refs', '--all'], { cwd: listDir });
  const cold = await timeMedian(1, () => listSessions(lrepo));
  const warm = await timeMedian(5, () => listSessions(lrepo));
  report({ name: 'list 10,000 sessions in-process, catalog cold', value: cold, unit: 'ms', baseline: { name: 'warm', value: warm } });
  const listProc = wall(process.execPath, [BIN, 'list', '--json'], listDir, 5);
  report({ name: 'git session list --json, 10,000 sessions (whole process)', value: listProc, unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase }, goal: '<= 300 ms' });
  const forEachRef = wall('git', ['for-each-ref', 'refs/sessions/'], listDir, 5);
  report({ name: 'git for-each-ref refs/sessions/ (10,000 sessions)', value: forEachRef, unit: 'ms', baseline: { name: 'git session list', value: listProc } });
}
