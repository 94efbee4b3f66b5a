// Links that survive rewriting (issue 18): what the post-commit and post-rewrite hooks
// add to plain git in a repository with many sessions (10,000 linked commits in the
// links list), paired with the same git command with no hooks, rounds interleaved; what
// following a landed commit through an amend costs (node starts); and reconcile as pull
// runs it (nothing new, one new commit, a squash merge to link by tree) beside node -e 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../src/repo/repo.js';
import { median, report } from './harness.js';
import { BENCH_ENV, makeSessions, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

/** Median wall times of each case, rounds interleaved (load hits every case alike). */
function paired(dir: string, cases: { name: string; cmd: string; args: string[] | (() => string[]); env?: Record<string, string>; before?: () => void }[]): number[] {
  const xs = cases.map(() => [] as number[]);
  for (let r = -2; r < ROUNDS; r++) {
    cases.forEach((c, i) => {
      c.before?.();
      const t = performance.now();
      const p = spawnSync(c.cmd, typeof c.args === 'function' ? c.args() : c.args, { cwd: dir, env: { ...BENCH_ENV, ...c.env }, stdio: 'ignore' });
      const ms = performance.now() - t;
      if (p.status !== 0) throw new Error(`${c.name} exited ${p.status}`);
      if (r >= 0) xs[i].push(ms);
    });
  }
  return xs.map(median);
}

/** Runs the reconcile benchmarks. */
export async function run(): Promise<void> {
  const dir = scratchRepo();
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env: BENCH_ENV, encoding: 'utf8' }).trim();
  const gs = (...a: string[]) => execFileSync(process.execPath, [BIN, ...a], { cwd: dir, env: BENCH_ENV, encoding: 'utf8' }).trim();
  gs('init', '--publish', 'never');
  // Many sessions: 2,000 open ones (reconcile reads them all), and 10,000 linked commits in the hooks' list.
  let now = Date.now();
  await makeSessions(Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV }), 2000);
  mkdirSync(join(dir, '.git', 'session'), { recursive: true });
  const hex = (i: number, s: number) => ((i * 2654435761 + s) >>> 0).toString(16).padStart(8, '0').repeat(5);
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) lines.push(`${hex(i, 1)} 01jbench${String(i).padStart(18, '0')} ${hex(i, 2)} landed`);
  appendFileSync(join(dir, '.git', 'session', 'links'), lines.join('\n') + '\n');
  const off = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: '/dev/null' };

  // The wrappers as they were before post-commit and post-rewrite did anything (pass-through, like pre-commit's).
  const hooks = join(dir, '.git', 'session', 'hooks');
  const before = join(dir, '.git', 'session', 'hooks-before');
  cpSync(hooks, before, { recursive: true });
  const passThrough = readFileSync(join(hooks, 'pre-commit'), 'utf8');
  for (const h of ['post-commit', 'post-rewrite']) writeFileSync(join(before, h), passThrough.replaceAll('pre-commit', h), { mode: 0o755 });
  const hooksAt = (d: string) => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: d });
  const commit = ['commit', '-q', '--allow-empty', '-m', 'x'];
  let m = 0;
  const amend = () => ['commit', '-q', '--amend', '--allow-empty', '-m', `y ${++m}`];
  // A plain commit, and an amend of a commit no session holds: no hooks, the wrappers before, the wrappers now.
  const [plainOff, plainBefore, plainOn, amendOff, amendBefore, amendOn] = paired(dir, [
    { name: 'commit, no hooks', cmd: 'git', args: commit, env: off },
    { name: 'commit, wrappers before', cmd: 'git', args: commit, env: hooksAt(before) },
    { name: 'commit, wrappers now', cmd: 'git', args: commit },
    { name: 'amend, no hooks', cmd: 'git', args: amend, env: off },
    { name: 'amend, wrappers before', cmd: 'git', args: amend, env: hooksAt(before) },
    { name: 'amend, wrappers now', cmd: 'git', args: amend },
  ]);
  report({ name: 'git commit, all hook wrappers (10,000 linked commits)', value: plainOn, unit: 'ms', baseline: { name: 'git commit, no hooks', value: plainOff } });
  report({ name: 'git commit, the wrappers before issue 18', value: plainBefore, unit: 'ms', baseline: { name: 'git commit, no hooks', value: plainOff } });
  report({ name: 'git commit --amend of a plain commit, all wrappers', value: amendOn, unit: 'ms', baseline: { name: 'amend, no hooks', value: amendOff } });
  report({ name: 'git commit --amend, the wrappers before issue 18', value: amendBefore, unit: 'ms', baseline: { name: 'amend, no hooks', value: amendOff } });
  // The same parts alone (the whole-commit differences drown in the machine's noise): each wrapper run as git runs it.
  const head = git('rev-parse', 'HEAD');
  const idx = { GIT_INDEX_FILE: '.git/index' };
  const [sh0, pcBefore, pcNow, prBefore, prNow] = paired(dir, [
    { name: 'sh -c exit 0', cmd: 'sh', args: ['-c', 'exit 0'] },
    { name: 'post-commit pass-through', cmd: 'sh', args: [join(before, 'post-commit')], env: idx },
    { name: 'post-commit now', cmd: 'sh', args: [join(hooks, 'post-commit')], env: idx },
    { name: 'post-rewrite pass-through', cmd: 'sh', args: ['-c', `echo '${head} ${head}' | sh '${join(before, 'post-rewrite')}' amend`] },
    { name: 'post-rewrite now', cmd: 'sh', args: ['-c', `echo '${head} ${head}' | sh '${join(hooks, 'post-rewrite')}' amend`] },
  ]);
  report({ name: 'post-commit wrapper, a plain commit (no node)', value: pcNow, unit: 'ms', baseline: { name: 'its pass-through before', value: pcBefore } });
  report({ name: 'post-rewrite wrapper, commit no session holds (no node)', value: prNow, unit: 'ms', baseline: { name: 'its pass-through before', value: prBefore } });
  report({ name: '  (a shell alone)', value: sh0, unit: 'ms' });

  // Following a landed commit through an amend: the post-rewrite hook starts node and records a landing.
  execFileSync('sh', ['-c', 'echo v1 > landed.txt'], { cwd: dir });
  gs('start', 'bench landing');
  gs('land');
  // The baseline amends a commit in another repository: amending the landed one without the hook would unlink it.
  const plain = scratchRepo('gs-bench-plain-');
  let k = 0;
  const [nodeBase, landedAmend, landedAmendOff] = paired(dir, [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    // A new message each time: an amend within the same second to the same message makes the same commit (nothing rewritten).
    { name: 'amend of a landed commit, hooks installed', cmd: 'git', args: () => ['commit', '-q', '--amend', '--allow-empty', '-m', `landed, reworded ${++k}`] },
    { name: 'amend, no hooks', cmd: 'git', args: () => ['commit', '-q', '--amend', '--allow-empty', '-m', `reworded ${++k}`], env: { ...off, GIT_DIR: join(plain, '.git'), GIT_WORK_TREE: plain } },
  ]);
  report({ name: 'amend of a landed commit (node follows it), added', value: landedAmend - landedAmendOff, unit: 'ms', baseline: { name: 'node -e 0', value: nodeBase } });

  // reconcile as pull runs it: nothing new; one new commit; then a squash merge linked by tree.
  gs('reconcile');
  const [base2, nothing] = paired(dir, [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'reconcile, nothing new (2,000 open sessions)', cmd: process.execPath, args: [BIN, 'reconcile'] },
  ]);
  report({ name: 'git session reconcile, nothing new (2,000 open sessions)', value: nothing, unit: 'ms', baseline: { name: 'node -e 0', value: base2 } });
  const [base3, one] = paired(dir, [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'reconcile, one new plain commit', cmd: process.execPath, args: [BIN, 'reconcile'], before: () => git('commit', '-q', '--allow-empty', '-m', 'plain') },
  ]);
  report({ name: 'git session reconcile, one new plain commit', value: one, unit: 'ms', baseline: { name: 'node -e 0', value: base3 } });
  const id = gs('start', 'Greet by name', '--worktree');
  void id;
  const wt = join(dir, '.git', 'session', 'worktrees');
  const sessionDir = join(wt, execFileSync('ls', [wt], { encoding: 'utf8' }).trim().split('\n').pop()!);
  execFileSync('sh', ['-c', 'echo hello NAME > greet.txt'], { cwd: sessionDir });
  execFileSync(process.execPath, [BIN, 'export', '--branch', 'greet', '--pr-body', join(dir, '..', 'bench-pr.md'), '--force'], { cwd: sessionDir, env: BENCH_ENV, stdio: 'ignore' });
  git('merge', '--squash', '-q', 'greet');
  git('commit', '-q', '-m', 'Greet by name (#12)');
  const t = performance.now();
  const out = gs('reconcile');
  const linked = performance.now() - t;
  if (!/found by tree/.test(out)) throw new Error(`the squash merge was not linked: ${out}`);
  report({ name: 'git session reconcile linking a squash merge by tree', value: linked, unit: 'ms', baseline: { name: 'node -e 0', value: base3 } });
}
