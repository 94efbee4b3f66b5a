// Start-up of the CLI, whole process, against `node -e 0` measured in the same rounds
// (interleaved, so load on the machine hits every figure alike). The hot commands parse
// without yargs; the same commands spelled so that only yargs parses them
// (`--json=false`) show what loading yargs would cost every call.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../src/repo/repo.js';
import { recordEvent } from '../src/repo/record.js';
import { startSession } from '../src/repo/sessions.js';
import { createRequest } from '../src/repo/requests.js';
import { median, report } from './harness.js';
import { BENCH_ENV, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');

/** Runs the CLI start-up benchmarks. */
export async function run(): Promise<void> {
  const dir = scratchRepo();
  let now = Date.now();
  const repo = Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV });
  const { summary } = await startSession(repo, { goal: 'bench' });
  for (let i = 0; i < 20; i++) await recordEvent(repo, summary.id, { kind: 'note', text: `note ${i}` });
  const request = await createRequest(repo, { prompt: 'a prompt request', cwd: dir });
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['record note', [BIN, 'record', 'note', 'x']],
    ['status', [BIN, 'status']],
    ['show', [BIN, 'show']],
    ["record prompt (a prompt request's next iteration)", [BIN, 'record', 'prompt', 'x', '--session', request.id]],
    ['record note, parsed by yargs', [BIN, 'record', 'note', 'x', '--json=false']],
    ['status, parsed by yargs', [BIN, 'status', '--json=false']],
    ['show, parsed by yargs', [BIN, 'show', '--json=false']],
    ['--help (yargs)', [BIN, '--help']],
    ['--version', [BIN, '--version']],
  ];
  const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
  const xs = cases.map(() => [] as number[]);
  for (let r = -2; r < rounds; r++) {
    cases.forEach(([name, args], i) => {
      const t = performance.now();
      const p = spawnSync(process.execPath, args, { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
      if (p.status !== 0) throw new Error(`${name} exited ${p.status}`);
      if (r >= 0) xs[i].push(performance.now() - t);
    });
  }
  const base = median(xs[0]);
  cases.forEach(([name], i) => {
    if (i === 0) return;
    const hot = /^(record note|status|show|record prompt \(.*)$/.test(name);
    report({ name: `git session ${name} (whole process, median of ${rounds})`, value: median(xs[i]), unit: 'ms', baseline: { name: 'node -e 0', value: base }, goal: hot ? '<= 2.5x' : undefined });
  });
}
