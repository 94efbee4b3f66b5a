// `pull` under the append-only rule: every copy that moved is read through the schema and
// folded here, in batches (events, summaries, creating roots, ancestry for all sessions
// at once). Figures against a plain `git fetch` of the same refs, in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../src/repo/repo.js';
import { report } from './harness.js';
import { BENCH_ENV, makeSessions, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const N = 300;

function timed(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: BENCH_ENV, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

function clone(bare: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gs-bench-pull-'));
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['remote', 'add', 'origin', bare], { cwd: dir });
  execFileSync('git', ['fetch', '-q', 'origin', 'refs/heads/main:refs/remotes/origin/main'], { cwd: dir });
  return dir;
}

/** Runs the exchange benchmarks. */
export async function run(): Promise<void> {
  Object.assign(process.env, BENCH_ENV);
  const a = scratchRepo();
  let now = Date.now();
  const repo = Repo.open({ cwd: a, clock: () => (now += 1), env: BENCH_ENV });
  const ids = await makeSessions(repo, N);
  const bare = mkdtempSync(join(tmpdir(), 'gs-bench-bare-'));
  execFileSync('git', ['init', '-q', '--bare', bare]);
  const publish = () => execFileSync('git', ['push', '-q', '-f', bare, 'refs/heads/main:refs/heads/main', 'refs/sessions/*:refs/sessions/*'], { cwd: a });
  publish();
  const fetchDir = clone(bare);
  const pullDir = clone(bare);
  const fetch = () => timed('git', ['fetch', '-q', 'origin', '+refs/sessions/*:refs/sessions/*'], fetchDir);
  const fetchNew = fetch();
  const pullNew = timed(process.execPath, [BIN, 'pull'], pullDir);
  report({ name: `git session pull, ${N} new sessions (whole process)`, value: pullNew, unit: 'ms', baseline: { name: 'git fetch of the same refs', value: fetchNew } });
  for (const id of ids) await repo.append(id, [repo.event({ kind: 'note', text: 'one more' })]);
  publish();
  const fetchMoved = fetch();
  const pullMoved = timed(process.execPath, [BIN, 'pull'], pullDir);
  report({ name: `git session pull, ${N} sessions one event ahead`, value: pullMoved, unit: 'ms', baseline: { name: 'git fetch of the same refs', value: fetchMoved } });
}
