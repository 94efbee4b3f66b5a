// Landing benchmarks: whole-process snapshot / conflicts / status / land --dry-run / land
// / sync of a session in a checkout of 20,000 files, each beside `node -e 0` and
// `git status` measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, report } from './harness.js';
import { BENCH_ENV, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const FILES = 20_000;

function once(cwd: string, cmd: string, args: string[], ok = [0]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: BENCH_ENV, stdio: 'ignore' });
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

function wall(cwd: string, cmd: string, args: string[], n: number, ok = [0]): number {
  return median(Array.from({ length: n }, () => once(cwd, cmd, args, ok)));
}

const gs = (cwd: string, ...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd, env: BENCH_ENV, encoding: 'utf8' }).trim();
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: BENCH_ENV, encoding: 'utf8' }).trim();

/** Runs the landing benchmarks (about a minute). */
export async function run(): Promise<void> {
  const dir = scratchRepo('gs-bench-landing-');
  for (let i = 0; i < FILES; i++) {
    if (i % 100 === 0) mkdirSync(join(dir, `d${i / 100}`), { recursive: true });
    writeFileSync(join(dir, `d${Math.floor(i / 100)}`, `f${i}.txt`), `file ${i}\n`);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'many files');
  git(dir, 'status', '--porcelain');
  const node = wall(dir, process.execPath, ['-e', '0'], 9);
  const status = wall(dir, 'git', ['status', '--porcelain'], 9);
  const fig = (name: string, value: number) => {
    report({ name, value, unit: 'ms', baseline: { name: 'node -e 0', value: node } });
    report({ name: `  same, against git status (${FILES.toLocaleString('en')} files)`, value, unit: 'ms', baseline: { name: 'git status', value: status } });
  };

  gs(dir, 'start', 'bench landing');
  writeFileSync(join(dir, 'd1', 'f100.txt'), 'edited\n');
  gs(dir, 'snapshot');
  fig('snapshot, nothing changed (whole process)', wall(dir, process.execPath, [BIN, 'snapshot'], 7));
  fig('conflicts (whole process, records nothing)', wall(dir, process.execPath, [BIN, 'conflicts', '--json'], 7));
  fig('status (whole process)', wall(dir, process.execPath, [BIN, 'status', '--json'], 7));
  fig('land --dry-run (whole process)', wall(dir, process.execPath, [BIN, 'land', '--dry-run', '--json'], 7));

  // Each landing needs a session of its own: start and edit (untimed), then land (timed).
  const lands: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i) gs(dir, 'start', `bench landing ${i}`);
    writeFileSync(join(dir, 'd2', `f${200 + i}.txt`), `landed ${i}\n`);
    lands.push(once(dir, process.execPath, [BIN, 'land']));
  }
  fig('land, in the main checkout (whole process, median of 5)', median(lands));

  // sync of a session whose target moved (clean), in its own worktree.
  const syncs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const wt = JSON.parse(gs(dir, 'start', `bench sync ${i}`, '--worktree', '', '--json')).worktree as string;
    writeFileSync(join(wt, 'd3', `f${300 + i}.txt`), `mine ${i}\n`);
    gs(wt, 'snapshot');
    writeFileSync(join(dir, 'd4', `f${400 + i}.txt`), `theirs ${i}\n`);
    git(dir, 'commit', '-q', '-am', `plain ${i}`);
    syncs.push(once(wt, process.execPath, [BIN, 'sync']));
  }
  fig('sync onto a moved target, own worktree (whole process, median of 5)', median(syncs));
}
