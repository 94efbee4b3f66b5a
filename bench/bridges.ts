// Bridge benchmarks: pushing 1,000 sessions to a git daemon on 127.0.0.1 (one push),
// and the time the pre-push hook adds to a plain `git push` with 10 vs 10,000 sessions.
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../src/repo/repo.js';
import { startDaemon } from '../test/support/daemon.js';
import { median, report } from './harness.js';
import { BENCH_ENV, makeSessions, scratchRepo } from './sessions.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(ROOT, 'bin', 'git-session');

function timed(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: BENCH_ENV, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

/** A new commit on main carrying the trailer of `session`, so the hook has work to do. */
function commitFor(dir: string, session: string, i: number): void {
  const tree = execFileSync('git', ['rev-parse', 'HEAD^{tree}'], { cwd: dir, encoding: 'utf8' }).trim();
  const c = execFileSync('git', ['commit-tree', tree, '-p', 'HEAD', '-m', `change ${i}\n\nSession-Id: ${session}`], { cwd: dir, env: BENCH_ENV, encoding: 'utf8' }).trim();
  execFileSync('git', ['update-ref', 'refs/heads/main', c], { cwd: dir });
}

/** Runs the bridge benchmarks. */
export async function run(): Promise<void> {
  const daemon = await startDaemon();
  try {
    const remote = daemon.remote;
    let now = Date.now();

    // 1,000 sessions in one push, against raw git pushing the same refs.
    const a = scratchRepo();
    execFileSync('git', ['remote', 'add', 'origin', remote('push1000')], { cwd: a });
    await makeSessions(Repo.open({ cwd: a, clock: () => (now += 1), env: BENCH_ENV }), 1000);
    const ours = timed(process.execPath, [BIN, 'push', 'origin'], a);
    const b = scratchRepo();
    execFileSync('git', ['remote', 'add', 'origin', remote('raw1000')], { cwd: b });
    await makeSessions(Repo.open({ cwd: b, clock: () => (now += 1), env: BENCH_ENV }), 1000);
    const raw = timed('git', ['push', '-q', 'origin', 'refs/sessions/*:refs/sessions/*'], b);
    report({ name: 'git session push, 1,000 new sessions (one push)', value: ours, unit: 'ms', baseline: { name: 'raw git push of the same refs', value: raw } });

    // Hook overhead: plain `git push` of one new commit (with a Session-Id trailer) with
    // and without the hook, in repos holding 10 and 10,000 sessions.
    const overhead: number[] = [];
    for (const n of [10, 10_000]) {
      const dir = scratchRepo();
      execFileSync('git', ['remote', 'add', 'origin', remote(`hook${n}`)], { cwd: dir });
      const repo = Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV });
      const ids = await makeSessions(repo, n);
      execFileSync('git', ['pack-refs', '--all'], { cwd: dir });
      execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: dir, env: BENCH_ENV });
      const without: number[] = [];
      const withHook: number[] = [];
      for (let i = 0; i < 7; i++) {
        commitFor(dir, ids[i], i);
        without.push(timed('git', ['push', '-q', '--no-verify', 'origin', 'main'], dir));
      }
      timed(process.execPath, [BIN, 'init'], dir);
      for (let i = 7; i < 14; i++) {
        commitFor(dir, ids[i], i);
        withHook.push(timed('git', ['push', '-q', 'origin', 'main'], dir));
      }
      const added = median(withHook) - median(without);
      overhead.push(added);
      report({ name: `git push with the pre-push hook, ${n.toLocaleString('en')} sessions`, value: median(withHook), unit: 'ms', baseline: { name: 'git push --no-verify', value: median(without) } });
    }
    report({ name: 'hook added time at 10,000 sessions', value: overhead[1], unit: 'ms', baseline: { name: 'at 10 sessions', value: overhead[0] }, goal: 'does not grow with sessions' });
  } finally {
    daemon.stop();
  }
}
