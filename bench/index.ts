// `npm run bench -- index`: the Bloom-filter tree of landed changes.
//
// Synthetic linear histories: a first commit adding 20,000 files, then changes of 1–8
// files each, Zipf-skewed (s = 0.6) so a few files are warm, plus one hot file touched
// by ~15% of changes. Queries are 5 paths with the base at the start: "typical" (drawn
// from the same distribution) and "hot" (the hot file + 4 typical), as any-hit (the first
// hit the search confirms: "is there a conflict?"), earliest hit (the lowest seq) and
// all hits. Every figure is beside a baseline from the same run:
//   (a) a scan of per-change path sets,  (b) a flat array of per-change Bloom filters
//   (the tree's own leaves, no tree),    (c) `git log base..tip -- <paths>` after
//   `git commit-graph write --reachable --changed-paths` (git's own Bloom filters).
// In-process sizes (no git): 100k and 1M changes. Git-backed: 1k and 10k changes
// (100k with BENCH_BIG=1; building that history is slow).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitHistory } from '../src/git/history.js';
import { openIndexDb, indexPath } from '../src/cache/db.js';
import { LandedIndex, type FeedChange, type HistorySource } from '../src/cache/landed.js';
import { MemIndex } from '../test/support/memindex.js';
import { PathDict, pathsOverlap } from '../src/cache/paths.js';
import { BloomFilter } from '../test/support/bloomfilter.js';
import { Repo } from '../src/repo/repo.js';
import { report, section, timeMedian } from './harness.js';

/** Files in the synthetic project's first commit. */
export const FILES = 20_000;
/** The file ~15% of changes touch. */
export const HOT = 'src/m00/p00/hot.ts';

/** Deterministic generator of files, changes and query sets. */
export class Synth {
  readonly files: string[] = [];
  private cdf: Float64Array;
  private rank: Int32Array;
  private s: number;
  private exists = new Uint8Array(FILES);

  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
    for (let i = 0; i < FILES; i++) this.files.push(i === 0 ? HOT : `src/m${pad(Math.floor(i / 1000))}/p${pad(Math.floor(i / 50) % 20)}/f${i % 50}.ts`);
    // Zipf over the non-hot files, ranks scattered over the tree by a fixed shuffle.
    const order = Array.from({ length: FILES - 1 }, (_, i) => i + 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    this.rank = Int32Array.from(order);
    this.cdf = new Float64Array(order.length);
    let acc = 0;
    for (let r = 0; r < order.length; r++) this.cdf[r] = acc += 1 / Math.pow(r + 1, 0.6);
    for (let r = 0; r < order.length; r++) this.cdf[r] /= acc;
  }

  rand(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A file index by Zipf rank (never the hot file). */
  pick(): number {
    const u = this.rand();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return this.rank[lo];
  }

  /** One change: file indexes with a delete flag (a deleted file is re-added when touched again). */
  change(): { file: number; del: boolean }[] {
    const n = 1 + Math.min(7, Math.floor(8 * this.rand() * this.rand()));
    const picked = new Set<number>();
    if (this.rand() < 0.15) picked.add(0);
    while (picked.size < n) picked.add(this.pick());
    return [...picked].map((file) => {
      const del = this.exists[file] === 1 && this.rand() < 0.04;
      this.exists[file] = del ? 2 : 1;
      return { file, del };
    });
  }

  /** 5 paths the way a session would touch them. */
  query(hot: boolean): string[] {
    const q = new Set<string>(hot ? [HOT] : []);
    while (q.size < 5) q.add(this.files[this.pick()]);
    return [...q];
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Median ms per call of `fn`, repeating it enough for the clock to resolve. */
async function perCall(fn: () => unknown, samples = 7): Promise<number> {
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    if (performance.now() - t > 20 || reps >= 1 << 20) break;
    reps *= 4;
  }
  return (await timeMedian(samples, async () => {
    for (let i = 0; i < reps; i++) await fn();
  })) / reps;
}

/** Baseline (a): scan every change's path list. */
function scanPathSets(changes: string[][], base: number, tip: number, q: string[], limit: number): number {
  let hits = 0;
  for (let seq = base + 1; seq <= tip; seq++) {
    const ps = changes[seq - 1];
    if (ps.some((p) => q.some((x) => pathsOverlap(p, x))) && ++hits >= limit) break;
  }
  return hits;
}

const MODES = [
  { mode: 'any-hit', limit: 1, ordered: false },
  { mode: 'earliest hit', limit: 1, ordered: true },
  { mode: 'all hits', limit: Infinity, ordered: true },
] as const;

async function inProcess(label: string, n: number, queries: number, goals: Record<string, string>): Promise<void> {
  section(`index: in-process, ${label} changes (no git)`);
  const syn = new Synth(42);
  const changes: string[][] = [syn.files.slice()];
  for (let i = 0; i < n; i++) changes.push(syn.change().map((c) => syn.files[c.file]));
  const tip = changes.length;
  let idx = await MemIndex.create();
  const build = await timeMedian(1, () => {
    for (const c of changes) idx.append(c);
  });
  // Baseline for building: a flat array of per-change filters, no tree.
  const dict = new PathDict();
  const flatBuild = await timeMedian(1, () => {
    const filters: BloomFilter[] = [];
    for (const c of changes) {
      const keys: number[] = [];
      dict.changeKeyIds(c.map((p) => dict.intern(p)), keys);
      const f = BloomFilter.forItems(keys.length, idx.tree.fpRate);
      for (const key of keys) f.addHash({ h1: dict.h1[key], h2: dict.h2[key] });
      filters.push(f);
    }
  });
  report({ name: `${label}: build tree`, value: build, unit: 'ms', baseline: { name: 'flat per-change filters', value: flatBuild }, goal: goals.build });
  report({ name: `${label}: filter bytes`, value: idx.tree.bytes, unit: 'B', baseline: { name: 'leaves only', value: idx.tree.levelStats()[0].bytes } });
  for (const hot of [false, true]) {
    const qs = Array.from({ length: queries }, () => syn.query(hot));
    const kind = hot ? 'hot' : 'typical';
    const hitsAll = qs.reduce((s, q) => s + idx.query(1, tip, q).length, 0) / queries;
    for (const { mode, limit, ordered } of MODES) {
      for (const q of qs.slice(0, 3)) {
        // the three methods must agree before their times mean anything
        const a = idx.query(1, tip, q, limit, ordered);
        const b = idx.scanQuery(1, tip, q, limit);
        if ((ordered && JSON.stringify(a) !== JSON.stringify(b)) || a.length !== scanPathSets(changes, 1, tip, q, limit)) throw new Error(`tree and scans disagree on ${q.join(' ')}`);
      }
      const tree = (await perCall(() => qs.forEach((q) => idx.query(1, tip, q, limit, ordered)))) / queries;
      const flatB = (await perCall(() => qs.forEach((q) => idx.scanQuery(1, tip, q, limit)), 3)) / queries;
      const sets = (await perCall(() => qs.forEach((q) => scanPathSets(changes, 1, tip, q, limit)), 3)) / queries;
      const name = `${label}: ${kind} 5 paths, ${mode}${mode === 'all hits' ? ` (~${Math.round(hitsAll)})` : ''}`;
      const goal = goals[`${kind} ${mode}`];
      report({ name: `${name}`, value: tree, unit: 'ms', baseline: { name: '(b) flat filters', value: flatB }, goal });
      report({ name: `${name}`, value: tree, unit: 'ms', baseline: { name: '(a) path sets', value: sets } });
    }
  }
  const inc = await perCall(() => idx.append(syn.change().map((c) => syn.files[c.file])), 5);
  report({ name: `${label}: append one change (in memory)`, value: inc, unit: 'ms', baseline: { name: 'build / change', value: build / changes.length } });
  idx = undefined as unknown as MemIndex; // let the 1M run reclaim it
}

function git(dir: string, args: string[], input?: string): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 30 });
}

/** A linear history of 1 + n commits built with fast-import; returns commits and their paths. */
export function buildRepo(dir: string, syn: Synth, n: number): { oids: string[]; changes: string[][] } {
  git(dir, ['init', '-q', '-b', 'main']);
  const parts: string[] = [];
  const changes: string[][] = [];
  let t = 1_700_000_000;
  const commit = (m: number, body: string) => `commit refs/heads/main\nmark :${m}\ncommitter B <b@example.com> ${t++} +0000\ndata 7\nchange\n${m > 1 ? `from :${m - 1}\n` : ''}${body}\n`;
  parts.push(commit(1, syn.files.map((f) => `M 100644 inline ${f}\ndata 2\n0\n`).join('')));
  changes.push(syn.files.slice());
  for (let i = 0; i < n; i++) {
    const c = syn.change();
    const c0 = `${i + 1}\n`;
    parts.push(commit(i + 2, c.map((x) => (x.del ? `D ${syn.files[x.file]}\n` : `M 100644 inline ${syn.files[x.file]}\ndata ${c0.length}\n${c0}`)).join('')));
    changes.push(c.map((x) => syn.files[x.file]));
  }
  const marks = join(dir, '.git', 'bench-marks');
  git(dir, ['fast-import', '--quiet', `--export-marks=${marks}`], parts.join(''));
  const byMark = new Map(
    readFileSync(marks, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [Number(l.split(' ')[0].slice(1)), l.split(' ')[1]] as const),
  );
  return { oids: changes.map((_, i) => byMark.get(i + 1)!), changes };
}

async function gitBacked(label: string, n: number): Promise<void> {
  section(`index: git-backed, ${label} changes`);
  const dir = mkdtempSync(join(tmpdir(), 'gs-bench-index-'));
  try {
    const syn = new Synth(7);
    const { oids, changes } = buildRepo(dir, syn, n);
    const tip = oids.at(-1)!;
    const common = join(dir, '.git');
    const history = gitHistory(dir);
    let feedMs = performance.now();
    let fed = 0;
    for await (const _ of history.changes(null, tip)) fed++;
    feedMs = performance.now() - feedMs;
    let db = await openIndexDb(common);
    let idx = await LandedIndex.open(db, 'refs/heads/main');
    const t0 = performance.now();
    await idx.catchUp(tip, history);
    const build = performance.now() - t0;
    if (fed !== oids.length || idx.count !== oids.length) throw new Error('feed and index disagree on the history length');
    const cg = await timeMedian(1, () => git(dir, ['commit-graph', 'write', '--reachable', '--changed-paths']));
    report({ name: `${label}: build index from git (catchUp from empty)`, value: build, unit: 'ms', baseline: { name: 'git log feed alone', value: feedMs } });
    report({ name: `${label}: build index from git (catchUp from empty)`, value: build, unit: 'ms', baseline: { name: 'commit-graph --changed-paths', value: cg } });
    await db.close();
    const du = Number(execFileSync('du', ['-sb', indexPath(common)], { encoding: 'utf8' }).split('\t')[0]);
    const cgBytes = Number(execFileSync('du', ['-sb', join(common, 'objects', 'info')], { encoding: 'utf8' }).split('\t')[0]);
    report({ name: `${label}: bytes on disk (LevelDB)`, value: du, unit: 'B', baseline: { name: 'git commit-graph + Bloom', value: cgBytes } });
    const open = await timeMedian(5, async () => {
      const d = await openIndexDb(common);
      const i = await LandedIndex.open(d, 'refs/heads/main');
      await i.query(oids[0], tip, ['nothing/here']); // forces the tree to load
      await d.close();
    });
    db = await openIndexDb(common);
    idx = await LandedIndex.open(db, 'refs/heads/main');
    await idx.stats();
    report({ name: `${label}: open DB + load tree (cold query)`, value: open, unit: 'ms', baseline: { name: 'git log feed alone', value: feedMs } });
    for (const hot of [false, true]) {
      const qs = Array.from({ length: 5 }, () => syn.query(hot));
      const kind = hot ? 'hot' : 'typical';
      for (const { mode, limit, ordered } of MODES) {
        for (const q of qs) {
          const got = await idx.query(oids[0], tip, q, { limit, ordered });
          if (got.length !== scanPathSets(changes, 1, changes.length, q, limit)) throw new Error(`index and scan disagree on ${q.join(' ')}`);
        }
        const tree = (await perCall(async () => { for (const q of qs) await idx.query(oids[0], tip, q, { limit, ordered }); }, 5)) / qs.length;
        const sets = (await perCall(() => qs.forEach((q) => scanPathSets(changes, 1, changes.length, q, limit)), 3)) / qs.length;
        const gl = (await timeMedian(3, () => qs.forEach((q) => git(dir, ['log', '--format=%H', ...(limit === 1 && !ordered ? ['-n1'] : []), `${oids[0]}..${tip}`, '--', ...q])))) / qs.length;
        const name = `${label}: ${kind} 5 paths, ${mode} (LevelDB)`;
        report({ name, value: tree, unit: 'ms', baseline: { name: '(c) git log + commit-graph', value: gl } });
        report({ name, value: tree, unit: 'ms', baseline: { name: '(a) path sets in memory', value: sets } });
      }
    }
    // Incremental upkeep: one new change per catchUp, fed in-process (no git), then via git.
    let parent = tip;
    const fake: HistorySource = {
      changes: async function* (since: string | null, t: string): AsyncGenerator<FeedChange> {
        yield { commit: t, parent: since, paths: syn.change().map((c) => syn.files[c.file]) };
      },
      firstParentChain: async function* (t: string) {
        yield t;
        yield parent;
      },
    };
    let k = 0;
    const inc = await timeMedian(200, async () => {
      const c = (++k).toString(16).padStart(40, 'f');
      await idx.catchUp(c, fake);
      parent = c;
    });
    report({ name: `${label}: incremental catchUp, 1 change, in-process`, value: inc, unit: 'ms', baseline: { name: 'full build / change', value: build / oids.length }, goal: '≤ 5 ms' });
    await idx.clear();
    await idx.catchUp(tip, history);
    let head = tip;
    const viaGit = await timeMedian(20, async () => {
      const tree = git(dir, ['rev-parse', `${head}^{tree}`]).trim();
      head = git(dir, ['commit-tree', tree, '-p', head, '-m', 'empty'], '').trim();
      git(dir, ['update-ref', 'refs/heads/main', head]);
      await idx.catchUp(head, history);
    });
    const spawn = await timeMedian(20, () => git(dir, ['rev-parse', 'HEAD']));
    report({ name: `${label}: incremental commit + catchUp via git`, value: viaGit, unit: 'ms', baseline: { name: 'one git spawn', value: spawn } });
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole `git session conflicts` process (spawned, as a user runs it) against
 * `git log base..tip -- <5 paths>` with changed-path Bloom filters in the commit-graph.
 */
async function conflictsProcess(label: string, n: number): Promise<void> {
  section(`index: whole-process conflicts, ${label} changes`);
  const dir = mkdtempSync(join(tmpdir(), 'gs-bench-conflicts-'));
  try {
    const syn = new Synth(11);
    const { oids } = buildRepo(dir, syn, n);
    const base = oids[0];
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
    const paths = syn.query(false);
    // A session based at the start of the history whose work touches the 5 paths.
    const repo = Repo.open({ cwd: dir, clock: () => Date.now(), env });
    const id = repo.newId();
    await repo.store.create(id, await repo.ident(), [repo.event({ kind: 'start', goal: 'bench', target: 'main', base, author: 'Bench <b@example.com>' })]);
    const idxFile = join(dir, '.git', 'bench-index');
    const gitEnv = { ...env, GIT_INDEX_FILE: idxFile };
    execFileSync('git', ['read-tree', base], { cwd: dir, env: gitEnv });
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: 'changed\n', encoding: 'utf8' }).trim();
    for (const p of paths) execFileSync('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${p}`], { cwd: dir, env: gitEnv });
    const tree = execFileSync('git', ['write-tree'], { cwd: dir, env: gitEnv, encoding: 'utf8' }).trim();
    const work = execFileSync('git', ['commit-tree', tree, '-p', base, '-m', 'work'], { cwd: dir, env, encoding: 'utf8' }).trim();
    await repo.store.append(id, await repo.ident(), () => ({
      events: [repo.event({ kind: 'snapshot', commit: work, parent: base, message: 'work', files: paths.map((p) => ({ path: p, status: 'M' })) })],
      updates: [{ ref: `refs/sessions/${id}/work`, new: work }],
    }));
    const bin = join(process.cwd(), 'bin', 'git-session');
    execFileSync(process.execPath, [bin, 'index', 'stats', '--onto', 'main'], { cwd: dir, env, stdio: 'ignore' });
    git(dir, ['commit-graph', 'write', '--reachable', '--changed-paths']);
    const whole = await timeMedian(5, () => {
      try {
        execFileSync(process.execPath, [bin, 'conflicts', id, '--json'], { cwd: dir, env, stdio: 'ignore' });
      } catch {
        /* exit 1 = conflicts found, the expected answer */
      }
    });
    const gl = await timeMedian(5, () => git(dir, ['log', '--format=%H', `${base}..${oids.at(-1)}`, '--', ...paths]));
    report({ name: `${label}: git session conflicts (whole process)`, value: whole, unit: 'ms', baseline: { name: 'git log -- <5 paths> + commit-graph', value: gl }, goal: '≤ 1/3 of git log' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the index benchmarks (about 3–4 minutes on 2 slow cores; BENCH_BIG=1 adds 100k in git). */
export async function run(): Promise<void> {
  await gitBacked('1k', 1_000);
  await gitBacked('10k', 10_000);
  await conflictsProcess('50k', 50_000);
  if (process.env.BENCH_BIG === '1') await gitBacked('100k', 100_000);
  await inProcess('100k', 100_000, 20, { build: '≤ 10 s', 'typical any-hit': '≤ 0.02 ms', 'typical all hits': '≤ 1 ms', 'hot all hits': '≤ 5 ms', 'hot any-hit': '≤ 0.02 ms' });
  await inProcess('1M', 1_000_000, 10, { 'typical any-hit': '≤ 0.05 ms', 'hot any-hit': '≤ 0.05 ms' });
}
