// `npm run bench -- perf`: every figure of issue 11 ("every query pays only for what it
// touches") beside its baseline and goal, whole processes, rounds interleaved with their
// baseline (load on the machine hits both alike), medians.
//
// Histories: the synthetic project of bench/index.ts (a first commit of 20,000 files,
// then changes of 1–8 files, Zipf-skewed, one hot file) at 100, 1k, 10k and 50k changes
// (BENCH_BIG=1 adds 100k, BENCH_HUGE=1 1M; fast-import builds them). In each: session A
// has no checkout (its paths come from its last snapshot), session B has its own worktree
// of 20,000 files with 5 paths edited, both based at the first commit so the query spans
// the whole history. `git log` runs after `git commit-graph write --reachable` (what
// `git gc` leaves), and again with `--changed-paths` Bloom filters where noted.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../src/repo/repo.js';
import { chunkySession } from './archive.js';
import { median, report, section } from './harness.js';
import { buildRepo, HOT, Synth } from './index.js';
import { BENCH_ENV, makeSessions, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const NODE = process.execPath;

interface Case {
  name: string;
  cmd: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  ok?: number[];
  before?: () => void;
}

/** Median wall time (ms) of each case, rounds interleaved, two warm-up rounds. */
function rounds(cases: Case[], n = ROUNDS): number[] {
  const xs = cases.map(() => [] as number[]);
  for (let r = -2; r < n; r++) {
    cases.forEach((c, i) => {
      c.before?.();
      const t = performance.now();
      const p = spawnSync(c.cmd, c.args, { cwd: c.cwd, env: { ...BENCH_ENV, ...c.env }, stdio: 'ignore' });
      const ms = performance.now() - t;
      if (!(c.ok ?? [0]).includes(p.status ?? -1)) throw new Error(`${c.name}: ${c.cmd} ${c.args.join(' ')} exited ${p.status}`);
      if (r >= 0) xs[i].push(ms);
    });
  }
  return xs.map(median);
}

const node = (cwd: string): Case => ({ name: 'node -e 0', cmd: NODE, args: ['-e', '0'], cwd });
const gs = (cwd: string, args: string[], extra: Partial<Case> = {}): Case => ({ name: `git session ${args.join(' ')}`, cmd: NODE, args: [BIN, ...args], cwd, ...extra });

function git(cwd: string, args: string[], input?: string, env?: Record<string, string>): string {
  return execFileSync('git', args, { cwd, env: { ...BENCH_ENV, ...env }, input, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
}

/** Peak resident memory (bytes) of a process and all its descendants together, sampled every 10 ms, and its wall time. */
export function peakTree(cmd: string, args: string[], cwd: string): Promise<{ ms: number; rss: number }> {
  return new Promise((res, rej) => {
    const t = performance.now();
    const child = spawn(cmd, args, { cwd, env: BENCH_ENV, stdio: 'ignore' });
    let peak = 0;
    const sample = () => {
      const kids = new Map<number, number[]>();
      const rss = new Map<number, number>();
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const pid = Number(d);
          const ppid = Number(f[1]);
          kids.set(ppid, [...(kids.get(ppid) ?? []), pid]);
          rss.set(pid, Number(f[21]) * 4096);
        } catch {
          /* exited meanwhile */
        }
      }
      let sum = 0;
      const stack = [child.pid!];
      while (stack.length) {
        const p = stack.pop()!;
        sum += rss.get(p) ?? 0;
        stack.push(...(kids.get(p) ?? []));
      }
      peak = Math.max(peak, sum);
    };
    const timer = setInterval(sample, 10);
    child.on('error', rej);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) rej(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
      else res({ ms: performance.now() - t, rss: peak });
    });
  });
}

/** A history of `n` changes with sessions A (no checkout) and B (own 20,000-file worktree), each touching 5 paths. */
export async function history(n: number): Promise<{ dir: string; wt: string; a: string; b: string; base: string; tip: string; paths: string[] }> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-perf-')));
  const syn = new Synth(11);
  const { oids } = buildRepo(dir, syn, n);
  const base = oids[0];
  const paths = syn.query(false);
  const repo = Repo.open({ cwd: dir, clock: () => Date.now(), env: BENCH_ENV });
  const ident = await repo.ident();
  const start = (id: string) => repo.store.create(id, ident, [repo.event({ kind: 'start', goal: 'bench', target: 'main', base, author: 'Bench <bench@example.com>' })]);
  // A: a snapshot changing the 5 paths, no checkout.
  const a = repo.newId();
  await start(a);
  const idxFile = join(dir, '.git', 'bench-index');
  git(dir, ['read-tree', base], undefined, { GIT_INDEX_FILE: idxFile });
  const blob = git(dir, ['hash-object', '-w', '--stdin'], 'changed\n');
  git(dir, ['update-index', '--add', '--index-info'], paths.map((p) => `100644 ${blob}\t${p}\n`).join(''), { GIT_INDEX_FILE: idxFile });
  const tree = git(dir, ['write-tree'], undefined, { GIT_INDEX_FILE: idxFile });
  const work = git(dir, ['commit-tree', tree, '-p', base, '-m', 'work'], '');
  rmSync(idxFile);
  await repo.store.append(a, ident, () => ({
    events: [repo.event({ kind: 'snapshot', commit: work, parent: base, message: 'work', files: paths.map((p) => ({ path: p, status: 'M' })) })],
    updates: [{ ref: `refs/sessions/${a}/work`, new: work }],
  }));
  // B: its own worktree at the base, the same 5 paths edited on disk (not snapshotted).
  const b = repo.newId();
  await start(b);
  const wt = `${dir}-wt`;
  git(dir, ['worktree', 'add', '-q', '--detach', wt, base]);
  for (const p of paths) writeFileSync(join(wt, p), 'edited\n');
  mkdirSync(join(dir, '.git', 'session', 'worktree-of'), { recursive: true });
  writeFileSync(join(dir, '.git', 'session', 'worktree-of', b), wt + '\n');
  await repo.setCurrent(b, git(wt, ['rev-parse', '--absolute-git-dir']));
  // The last change of the hot file names session A (why follows its trailer).
  const msg = `hot\n\nSession-Id: ${a}\n`;
  git(dir, ['fast-import', '--quiet'], `commit refs/heads/main\ncommitter B <b@example.com> 1800000000 +0000\ndata ${msg.length}\n${msg}from refs/heads/main^0\nM 100644 inline ${HOT}\ndata 4\nhot\n\n`);
  git(dir, ['reset', '-q', '--hard', 'main']);
  git(dir, ['commit-graph', 'write', '--reachable']);
  return { dir, wt, a, b, base, tip: git(dir, ['rev-parse', 'main']), paths };
}

async function histories(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000,50000').split(',').map(Number);
  if (process.env.BENCH_BIG === '1') sizes.push(100_000);
  if (process.env.BENCH_HUGE === '1') sizes.push(1_000_000);
  for (const n of sizes) {
    const label = n >= 1e6 ? `${n / 1e6}M` : n >= 1000 ? `${n / 1000}k` : String(n);
    section(`perf: a history of ${label} changes, 20,000 files`);
    const h = await history(n);
    const logArgs = ['log', '--format=%H', `${h.base}..${h.tip}`, '--', ...h.paths];
    try {
      // index rebuild (from scratch, as after a clone): per 100,000 changes, peak RSS with git's child.
      const rb = await peakTree(NODE, [BIN, 'index', 'rebuild', '--onto', 'main'], h.dir);
      const feed = await peakTree('git', ['log', '--first-parent', '--no-renames', '--name-status', '--format=%H %P', 'main'], h.dir);
      if (n >= 10_000) {
        report({ name: `${label}: index rebuild, per 100,000 changes`, value: (rb.ms * 100_000) / n, unit: 'ms', baseline: { name: "git log --name-status (git's feed)", value: (feed.ms * 100_000) / n }, goal: '≤ 10 s' });
        report({ name: `${label}: index rebuild, peak RSS with git's child`, value: rb.rss, unit: 'B', baseline: { name: 'git log --name-status alone', value: feed.rss }, goal: '≤ 300 MB' });
      }
      const env = { GIT_SESSION: h.b };
      const [nodeMs, cA, cB, log, snap, status, rec, stat, show] = rounds([
        node(h.dir),
        gs(h.dir, ['conflicts', h.a, '--json'], { ok: [0, 1] }),
        gs(h.wt, ['conflicts', '--json'], { ok: [0, 1] }),
        { name: 'git log', cmd: 'git', args: logArgs, cwd: h.dir },
        gs(h.wt, ['snapshot'], { env }),
        { name: 'git status', cmd: 'git', args: ['status', '--porcelain'], cwd: h.wt },
        gs(h.dir, ['record', 'note', 'x', '--session', h.a]),
        gs(h.wt, ['status']),
        gs(h.dir, ['show', h.a]),
      ]);
      const vsNode = (name: string, value: number, goal = '≤ 2.5x') => report({ name: `${label}: ${name}`, value, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal });
      const vsLog = (value: number) => report({ name: `${label}:   same, against git log -- <5 paths>`, value, unit: 'ms', baseline: { name: 'git log + commit-graph', value: log }, goal: n >= 1e6 ? '≤ 0.1x' : n >= 50_000 ? '≤ 0.33x' : n >= 5000 ? '≤ 1x' : undefined });
      vsNode('conflicts, session without checkout', cA);
      vsLog(cA);
      vsNode('conflicts from its own 20,000-file worktree', cB);
      vsLog(cB);
      report({ name: `${label}: snapshot, nothing changed, 20,000-file worktree`, value: snap, unit: 'ms', baseline: { name: 'git status there', value: status } });
      if (n === sizes[0]) {
        // git's part alone, as worktreeSnapshot runs it: a copy of the index, the listing and add -u side by side, write-tree.
        const tmp = join(h.dir, '.git', 'bench-snap-index');
        const gitEnv = { ...BENCH_ENV, GIT_INDEX_FILE: tmp };
        const wtIndex = join(git(h.wt, ['rev-parse', '--absolute-git-dir']), 'index');
        const gitPart = async () => {
          const t = performance.now();
          execFileSync('cp', ['-p', wtIndex, tmp]);
          const run = (args: string[]) => new Promise<void>((res, rej) => spawn('git', args, { cwd: h.wt, env: gitEnv, stdio: 'ignore' }).on('close', (c) => (c === 0 ? res() : rej(new Error(`git ${args[0]} exited ${c}`)))));
          await Promise.all([run(['ls-files', '-o', '--exclude-standard', '-z']), run(['add', '-u', '--', '.'])]);
          await run(['write-tree']);
          return performance.now() - t;
        };
        const xs: number[] = [];
        const ys: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          xs.push(await gitPart());
          ys.push(rounds([{ name: 'git status', cmd: 'git', args: ['status', '--porcelain'], cwd: h.wt }], 1)[0]);
        }
        report({ name: `${label}:   its git part (index copy, ls-files -o ∥ add -u, write-tree)`, value: median(xs), unit: 'ms', baseline: { name: 'git status there', value: median(ys) }, goal: '≤ 1.5x' });
      }
      vsNode('record note', rec);
      vsNode('status, in the session worktree', stat);
      vsNode('show', show);
      if (n === 50_000 || n >= 1e6) {
        // git's own changed-path Bloom filters: the strongest git log there is.
        git(h.dir, ['commit-graph', 'write', '--reachable', '--changed-paths']);
        const [c2, log2] = rounds([gs(h.dir, ['conflicts', h.a, '--json'], { ok: [0, 1] }), { name: 'git log', cmd: 'git', args: logArgs, cwd: h.dir }]);
        report({ name: `${label}: conflicts, against git log + --changed-paths`, value: c2, unit: 'ms', baseline: { name: 'git log, changed-path Bloom', value: log2 } });
        // why: git blame -L plus finding the session its trailer names.
        const line = git(h.dir, ['blame', '--porcelain', '-L', '1,1', 'HEAD', '--', HOT]).split(' ')[0];
        if (!line) throw new Error('no blame');
        const [why, blame] = rounds([gs(h.dir, ['why', `${HOT}:1`, '--json']), { name: 'git blame', cmd: 'git', args: ['blame', '-L', '1,1', 'HEAD', '--', HOT], cwd: h.dir }]);
        report({ name: `${label}: why file:line (the hot file)`, value: why, unit: 'ms', baseline: { name: 'git blame -L', value: blame }, goal: '≤ blame + 100 ms' });
        report({ name: `${label}:   why minus git blame -L`, value: why - blame, unit: 'ms', goal: '≤ 100 ms' });
        // A line unchanged since the first commit: blame walks the whole history (no session behind it).
        const files = git(h.dir, ['ls-files']).split('\n');
        const old = files.filter((_, i) => i % 997 === 5).find((f) => git(h.dir, ['log', '-1', '--format=%H', 'HEAD', '--', f]) === h.base) ?? files[5];
        const [whyOld, blameOld] = rounds([gs(h.dir, ['why', `${old}:1`, '--json']), { name: 'git blame', cmd: 'git', args: ['blame', '-L', '1,1', 'HEAD', '--', old], cwd: h.dir }], 3);
        report({ name: `${label}: why file:line, a line as old as the history`, value: whyOld, unit: 'ms', baseline: { name: 'git blame -L', value: blameOld }, goal: '≤ blame + 100 ms' });
      }
    } finally {
      rmSync(h.wt, { recursive: true, force: true });
      rmSync(h.dir, { recursive: true, force: true });
    }
  }
}

/** `list` of 10,000 sessions, warm and with no catalog yet (right after a clone). */
async function lists(): Promise<void> {
  section('perf: list of 10,000 sessions');
  const dir = scratchRepo('gs-bench-list-');
  let now = Date.now();
  await makeSessions(Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV }), 10_000);
  const cache = join(dir, '.git', 'session', 'index');
  const [nodeMs, warm, cold] = rounds([node(dir), gs(dir, ['list']), gs(dir, ['list'], { before: () => rmSync(cache, { recursive: true, force: true }) })], 5);
  report({ name: 'list, 10,000 open sessions, warm', value: warm, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal: '≤ 300 ms' });
  report({ name: 'list, 10,000 open sessions, cold (no catalog: a fresh clone)', value: cold, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal: '≤ 300 ms' });
  // Their 20,000 refs loose (as written) cost ~250 ms of file reads alone (git for-each-ref the same); packed, as git gc or a clone leaves them:
  const [forEachRef, nodeL] = rounds([{ name: 'git for-each-ref', cmd: 'git', args: ['for-each-ref', 'refs/sessions/'], cwd: dir }, node(dir)], 5);
  report({ name: '  git for-each-ref refs/sessions/ (20,000 loose refs)', value: forEachRef, unit: 'ms', baseline: { name: 'node -e 0', value: nodeL } });
  git(dir, ['pack-refs', '--all']);
  const [nodeP, packed] = rounds([node(dir), gs(dir, ['list'])], 5);
  report({ name: 'list, 10,000 open sessions, refs packed, warm', value: packed, unit: 'ms', baseline: { name: 'node -e 0', value: nodeP }, goal: '≤ 300 ms' });
  // why reads every session's summary to find the one behind a commit.
  const [why, blame] = rounds([gs(dir, ['why', 'a.txt:1', '--json']), { name: 'git blame', cmd: 'git', args: ['blame', '-L', '1,1', 'HEAD', '--', 'a.txt'], cwd: dir }], 5);
  report({ name: 'why file:line, 10,000 sessions (none behind the line)', value: why, unit: 'ms', baseline: { name: 'git blame -L', value: blame }, goal: '≤ blame + 100 ms' });
  rmSync(dir, { recursive: true, force: true });
}

/** `git push` of one commit with the pre-push hook, 10 and 1,000 sessions, against the same push without it. */
async function pushes(): Promise<void> {
  section('perf: git push with the pre-push hook');
  for (const count of [10, 1000]) {
    const dir = scratchRepo('gs-bench-push-');
    const remote = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-push-remote-')));
    git(remote, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', remote]);
    git(dir, ['push', '-q', 'origin', 'main']);
    execFileSync(NODE, [BIN, 'init', '--publish', 'push'], { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
    let now = Date.now();
    await makeSessions(Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV }), count);
    execFileSync(NODE, [BIN, 'push'], { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
    let k = 0;
    const commit = () => git(dir, ['commit', '-q', '--allow-empty', '-m', `c${k++}`]);
    const [nodeMs, hook, plain] = rounds([
      node(dir),
      { name: 'git push', cmd: 'git', args: ['push', '-q', 'origin', 'main'], cwd: dir, before: commit },
      { name: 'git push --no-verify', cmd: 'git', args: ['push', '-q', '--no-verify', 'origin', 'main'], cwd: dir, before: commit },
    ]);
    report({ name: `git push with the pre-push hook, ${count} sessions`, value: hook, unit: 'ms', baseline: { name: 'git push --no-verify', value: plain } });
    report({ name: `  the hook's share of that push`, value: hook - plain, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal: '≤ 1.5x' });
    // A commit naming a session whose events moved since: the hook pushes that session too.
    const [id] = await makeSessions(Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV }), 1);
    const carrying = () => {
      execFileSync(NODE, [BIN, 'record', 'note', `n${k}`, '--session', id], { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
      git(dir, ['commit', '-q', '--allow-empty', '-m', `c${k++}\n\nSession-Id: ${id}`]);
    };
    const [nodeS, withS, plainS] = rounds([
      node(dir),
      { name: 'git push', cmd: 'git', args: ['push', '-q', 'origin', 'main'], cwd: dir, before: carrying },
      { name: 'git push --no-verify', cmd: 'git', args: ['push', '-q', '--no-verify', 'origin', 'main'], cwd: dir, before: carrying },
    ]);
    report({ name: `  a commit carrying a session: the hook's share (pushes it)`, value: withS - plainS, unit: 'ms', baseline: { name: 'node -e 0', value: nodeS }, goal: '≤ 1.5x' });
    rmSync(dir, { recursive: true, force: true });
    rmSync(remote, { recursive: true, force: true });
  }
}

/** `show` and `log` of a session of 5,000 chunks. */
async function chunks(): Promise<void> {
  section('perf: a session of 5,000 chunks (40,000 events)');
  const big = await chunkySession(5000);
  const [nodeMs, show, log] = rounds([node(big.dir), gs(big.dir, ['show', big.id]), gs(big.dir, ['log', big.id])], 5);
  report({ name: 'show, 5,000 chunks', value: show, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal: '≤ 500 ms' });
  report({ name: 'log, 5,000 chunks', value: log, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, goal: '≤ 500 ms' });
  rmSync(big.dir, { recursive: true, force: true });
}

/** Runs the issue-11 figures (about 10 minutes on 2 loaded cores; BENCH_PERF=histories,list,push,chunks picks parts). */
export async function run(): Promise<void> {
  Object.assign(process.env, BENCH_ENV);
  const parts = (process.env.BENCH_PERF ?? 'histories,list,push,chunks').split(',');
  if (parts.includes('histories')) await histories();
  if (parts.includes('list')) await lists();
  if (parts.includes('push')) await pushes();
  if (parts.includes('chunks')) await chunks();
}
