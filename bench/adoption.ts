// Adoption costs (issue 10): what git-session's hooks add to plain git, and the snapshot
// that finds nothing changed in a 20,000-file worktree (its secret-file exclusion lists
// untracked files beside `add -u` instead of one `add -A`). Each figure beside its
// baseline measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, report } from './harness.js';
import { BENCH_ENV, scratchRepo } from './sessions.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(ROOT, 'bin', 'git-session');

function wall(cmd: string, args: string[], cwd: string, n: number, input?: string): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd, env: BENCH_ENV, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'], input });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Runs the adoption benchmarks. */
export async function run(): Promise<void> {
  const dir = scratchRepo();
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env: BENCH_ENV, encoding: 'utf8' }).trim();
  const remote = scratchRepo('gs-bench-remote-');
  git('remote', 'add', 'origin', remote);
  execFileSync(process.execPath, [BIN, 'init', '--publish', 'push'], { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
  const sha = git('rev-parse', 'HEAD');
  const input = `refs/heads/main ${sha} refs/heads/main ${sha}\n`;
  const hooks = join(dir, '.git', 'session', 'hooks');
  const nodeBase = wall(process.execPath, ['-e', '0'], dir, 15);
  const shBase = wall('sh', ['-c', 'exit 0'], dir, 15);
  report({ name: 'pre-commit pass-through wrapper (no user hook)', value: wall('sh', [join(hooks, 'pre-commit')], dir, 15), unit: 'ms', baseline: { name: 'sh -c "exit 0"', value: shBase } });
  git('config', 'remote.origin.sessions', 'never');
  report({ name: 'pre-push wrapper, never remote (no node start)', value: wall('sh', [join(hooks, 'pre-push'), 'origin', remote], dir, 15, input), unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase } });
  git('config', 'remote.origin.sessions', 'push');
  report({ name: 'pre-push wrapper, push remote, no session in the push', value: wall('sh', [join(hooks, 'pre-push'), 'origin', remote], dir, 15, input), unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase }, goal: '<= 1.5x node -e 0' });

  // 20,000 tracked files, a few untracked, one untracked .env: a snapshot that changes nothing.
  const big = scratchRepo('gs-bench-20k-');
  for (let d = 0; d < 200; d++) {
    mkdirSync(join(big, `d${d}`));
    for (let f = 0; f < 100; f++) writeFileSync(join(big, `d${d}`, `f${f}.txt`), `${d} ${f}\n`);
  }
  const bgit = (...a: string[]) => execFileSync('git', a, { cwd: big, env: BENCH_ENV, encoding: 'utf8' }).trim();
  bgit('add', '-A');
  bgit('commit', '-q', '-m', '20k');
  for (let i = 0; i < 5; i++) writeFileSync(join(big, `d${i}`, `new${i}.txt`), `${i}\n`);
  writeFileSync(join(big, '.env'), 'TOKEN=abc\n');
  execFileSync(process.execPath, [BIN, 'start', 'bench'], { cwd: big, env: BENCH_ENV, stdio: 'ignore' });
  execFileSync(process.execPath, [BIN, 'snapshot'], { cwd: big, env: BENCH_ENV, stdio: 'ignore' });
  const status = wall('git', ['status', '--porcelain'], big, 9);
  const tmpIndex = join(big, '.git', 'bench-index');
  const env = { ...BENCH_ENV, GIT_INDEX_FILE: tmpIndex };
  const gitPart = (args: string[][]) => {
    const xs: number[] = [];
    for (let i = 0; i < 9; i++) {
      execFileSync('cp', [join(big, '.git', 'index'), tmpIndex]);
      const t = performance.now();
      const ps = args.map((a) => spawnSync('git', a, { cwd: big, env, stdio: 'ignore' }));
      xs.push(performance.now() - t);
      if (ps.some((p) => p.status !== 0)) throw new Error('git failed');
    }
    return median(xs);
  };
  report({ name: "snapshot's git part before: add -A (20,000 files)", value: gitPart([['add', '-A', '--', '.']]), unit: 'ms', baseline: { name: 'git status', value: status } });
  report({ name: "snapshot's git part now: ls-files -o, add -u (sequential)", value: gitPart([['ls-files', '-o', '--exclude-standard', '-z'], ['add', '-u', '--', '.']]), unit: 'ms', baseline: { name: 'git status', value: status }, goal: 'run side by side in the snapshot' });
  const snap = wall(process.execPath, [BIN, 'snapshot'], big, 7);
  report({ name: 'git session snapshot, nothing changed (whole process)', value: snap, unit: 'ms', baseline: { name: 'git status', value: status } });
}
