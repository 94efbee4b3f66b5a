// A repository with many sessions, most of them archived, written with `git fast-import`
// (100,000 sessions through the CLI would take hours and measure nothing): pass 1 writes
// every session's meta commit (and a work commit for every tenth), open ones on their own
// refs; pass 2 writes each month's archive shard as `gc` lays it out (layout in
// core/layout.ts): the fan-out tree of meta trees, the catalog buckets, and a chain of
// commits keeping every archived tip reachable, 16 at a time.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { entryLine } from '../src/core/archive.js';
import { foldEvents } from '../src/core/fold.js';
import { newId } from '../src/core/ids.js';
import { bucketOf, chunkDir, chunkFile, fanOf, shardOf } from '../src/core/layout.js';
import type { SessionEvent } from '../src/core/types.js';
import { encodeTree, objectId } from '../src/git/loose.js';
import { BENCH_ENV } from './sessions.js';

/** One generated session. */
export interface FixtureSession {
  id: string;
  open: boolean;
  chunk: string;
  summary: string;
  tree: string;
  /** Its last event's time (seconds), the date of its commits. */
  at: number;
  /** Marks in pass 1. */
  metaMark: number;
  workMark?: number;
}

const WHO = 'Bench <bench@example.com>';

/** Streams `text` to `git fast-import` in `dir` (marks file in/out), waiting for it. */
function fastImport(dir: string, chunks: Iterable<string | Buffer>, marks: string, importMarks = false): Promise<void> {
  return new Promise((res, rej) => {
    const args = ['fast-import', '--quiet', `--export-marks=${marks}`, ...(importMarks ? [`--import-marks=${marks}`] : [])];
    const child = spawn('git', args, { cwd: dir, env: BENCH_ENV, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`git fast-import exited ${code}`))));
    (async () => {
      for (const c of chunks) if (!child.stdin.write(c)) await new Promise((r) => child.stdin.once('drain', r));
      child.stdin.end();
    })().catch(rej);
  });
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * Writes `total` sessions into the repository at `dir` (on its `main`): `open` of them
 * open with refs, the rest closed (landed or abandoned) and archived across `months`
 * months before `endMs`. Returns the sessions (open ones first).
 */
export async function buildArchiveRepo(dir: string, total: number, open: number, months: number, endMs = Date.parse('2026-03-15T00:00:00Z')): Promise<FixtureSession[]> {
  const base = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  const span = months * 30 * 86_400_000;
  // xorshift32: repeatable, and spread over every fan like real random ids.
  let seed = 2463534242;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>>= 0);
  };
  const rnd = (n: number) => Uint8Array.from({ length: n }, () => next() & 255);
  const sessions: FixtureSession[] = [];
  let mark = 1;
  // Ids in time order: archived ones spread over the months, open ones the most recent.
  for (let i = 0; i < total; i++) {
    const isOpen = i >= total - open;
    const ms = isOpen ? endMs - (total - i) * 1000 : endMs - span + Math.floor((i / (total - open)) * (span - 86_400_000 * 2));
    const id = newId(ms, rnd);
    const ts = new Date(ms).toISOString();
    const evs: SessionEvent[] = [
      { id: newId(ms, rnd), ts, kind: 'start', goal: `session ${i}: make the widget ${i % 7 === 0 ? 'faster' : 'smaller'}`, target: 'main', base, author: WHO },
      { id: newId(ms + 1, rnd), ts: new Date(ms + 1).toISOString(), kind: 'prompt', text: `please change widget ${i} so that it does the thing` },
    ];
    if (!isOpen) evs.push(i % 3 ? { id: newId(ms + 2, rnd), ts: new Date(ms + 2).toISOString(), kind: 'abandon' } : { id: newId(ms + 2, rnd), ts: new Date(ms + 2).toISOString(), kind: 'land', commit: base, target: 'main', strategy: 'squash', previousTip: base });
    const chunk = evs.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const summary = JSON.stringify(foldEvents(id, evs), null, 2) + '\n';
    const chunkTree = objectId('tree', encodeTree([{ mode: '100644', path: chunkFile(0), oid: objectId('blob', Buffer.from(chunk)), type: 'blob' }]));
    const evTree = objectId('tree', encodeTree([{ mode: '040000', path: chunkDir(0), oid: chunkTree, type: 'tree' }]));
    const tree = objectId('tree', encodeTree([
      { mode: '040000', path: 'events', oid: evTree, type: 'tree' },
      { mode: '100644', path: 'session.json', oid: objectId('blob', Buffer.from(summary)), type: 'blob' },
    ]));
    sessions.push({ id, open: isOpen, chunk, summary, tree, at: Math.floor(ms / 1000) + 1, metaMark: mark++, ...(!isOpen && i % 10 === 0 ? { workMark: mark++ } : {}) });
  }
  const marks = join(dir, '.git', 'bench-marks');
  // Dates as in life: a session's commits at its own time, a shard's at the gc after its month.
  function* pass1(): Generator<string> {
    for (const s of sessions) {
      const branch = s.open ? `refs/sessions/${s.id}/meta` : 'refs/bench/meta';
      yield `reset ${branch}\ncommit ${branch}\nmark :${s.metaMark}\ncommitter ${WHO} ${s.at} +0000\n${data(`session ${s.id}: start\n`)}`;
      yield `M 100644 inline events/0000/000000.jsonl\n${data(s.chunk)}M 100644 inline session.json\n${data(s.summary)}\n`;
      if (s.workMark) {
        yield `commit refs/bench/work\nmark :${s.workMark}\ncommitter ${WHO} ${s.at} +0000\n${data(`work of ${s.id}\n\nSession-Id: ${s.id}\n`)}from ${base}\nM 100644 inline work-${s.id}.txt\n${data(`${s.id}\n`)}\n`;
      }
    }
  }
  await fastImport(dir, pass1(), marks);
  const sha = new Map<number, string>();
  for (const line of readFileSync(marks, 'utf8').split('\n')) {
    const [m, oid] = line.split(' ');
    if (m) sha.set(Number(m.slice(1)), oid);
  }
  const byShard = new Map<string, FixtureSession[]>();
  for (const s of sessions) if (!s.open) byShard.set(shardOf(s.id), [...(byShard.get(shardOf(s.id)) ?? []), s]);
  function* pass2(): Generator<string> {
    for (const [shard, list] of byShard) {
      const ref = `refs/sessions/archive/${shard}`;
      const gcAt = Math.min(Math.floor(endMs / 1000) - 86_400, Math.max(...list.map((s) => s.at)) + 86_400);
      const tips = list.flatMap((s) => [`:${s.metaMark}`, ...(s.workMark ? [`:${s.workMark}`] : [])]);
      const buckets = new Map<string, string[]>();
      for (const s of list) {
        const work = s.workMark ? sha.get(s.workMark) : undefined;
        buckets.set(bucketOf(s.id), [...(buckets.get(bucketOf(s.id)) ?? []), entryLine({ id: s.id, meta: sha.get(s.metaMark)!, ...(work ? { work } : {}), summary: JSON.parse(s.summary) })]);
      }
      for (let i = 0; i < tips.length; i += 16) {
        const merges = tips.slice(i, i + 16).map((t) => `merge ${t}\n`).join('');
        let files = '';
        if (i === 0) {
          for (const s of list) files += `M 040000 ${s.tree} ${fanOf(s.id)}/${s.id}\n`;
          for (const [b, lines] of buckets) files += `M 100644 inline catalog/${b}.jsonl\n${data([...lines].sort().join('\n') + '\n')}`;
        }
        yield `commit ${ref}\ncommitter ${WHO} ${gcAt} +0000\n${data(`archive ${list.length} sessions into ${shard}\n`)}${merges}${files}\n`;
      }
    }
  }
  await fastImport(dir, pass2(), marks, true);
  for (const r of ['refs/bench/meta', 'refs/bench/work']) execFileSync('git', ['update-ref', '-d', r], { cwd: dir });
  rmSync(marks, { force: true });
  execFileSync('git', ['pack-refs', '--all'], { cwd: dir });
  return sessions;
}
