// In-memory BrowseData for the TUI tests: a few hand-written sessions with a full reasoning
// timeline, and a generator for big catalogs whose events are only made when loaded.
import type { FileChange, SessionEvent, SessionState, SessionSummary } from '../../src/core/types.js';
import type { BrowseData } from '../../src/repo/browse.js';

export const NOW = Date.parse('2025-06-01T12:00:00Z');

const STATES: SessionState[] = ['open', 'landed', 'abandoned'];

export function summary(i: number, over: Partial<SessionSummary> = {}): SessionSummary {
  const created = new Date(NOW - (i + 1) * 3_600_000).toISOString();
  const state = STATES[i % 3];
  return {
    format: 1,
    id: `01JSESSION${String(i).padStart(6, '0')}`,
    goal: `Goal number ${i}: make the thing ${i} faster`,
    state,
    target: 'main',
    base: `b${String(i).padStart(7, '0')}`.padEnd(40, 'a'),
    startBase: 'a'.repeat(40),
    author: `Dev ${i % 7} <dev${i % 7}@example.com>`,
    agent: i % 2 ? { name: 'claude', model: 'opus-4' } : undefined,
    createdAt: created,
    updatedAt: created,
    events: 5 + (i % 40),
    files: i % 9,
    landed: state === 'landed' ? { commit: `c${i}`.padEnd(40, 'c'), at: created, strategy: 'squash' } : undefined,
    counts: {},
    ...over,
  };
}

let seq = 0;
function ev<T extends Omit<SessionEvent, 'id' | 'ts'>>(ts: string, body: T): SessionEvent {
  seq++;
  return { id: `01JEVENT${String(seq).padStart(8, '0')}`, ts, ...body } as unknown as SessionEvent;
}

/** A landed session whose timeline has one of every interesting kind. */
export function richSession(): { summary: SessionSummary; events: SessionEvent[]; files: FileChange[]; diffs: Record<string, string> } {
  const t = (m: number) => new Date(NOW - 86_400_000 + m * 60_000).toISOString();
  const s = summary(0, {
    id: '01JRICH0000000000000000000',
    goal: 'Detect landing conflicts through a bloom-filter tree instead of a linear scan',
    state: 'landed',
    author: 'Ada Lovelace <ada@example.com>',
    agent: { name: 'claude', model: 'opus-4' },
    events: 9,
    files: 2,
    landed: { commit: 'f00dfeed'.padEnd(40, '0'), at: t(60), strategy: 'squash' },
  });
  const events: SessionEvent[] = [
    ev(t(0), { kind: 'start', goal: s.goal, target: 'main', base: s.base, author: s.author, agent: s.agent }),
    ev(t(1), { kind: 'prompt', text: 'Landing is slow on big repos. Find out why and fix it.' }),
    ev(t(2), { kind: 'message', role: 'agent', text: 'The conflict check reads every landed change since the base.' }),
    ev(t(3), {
      kind: 'decision',
      chosen: 'Bloom-filter tree over the landed sequence',
      rejected: [
        { option: 'Linear scan with a cache', reason: 'still O(n) on a cold cache' },
        { option: 'Per-path inverted index', reason: 'rewrites a huge blob on every land' },
      ],
      rationale: 'O(log n) nodes per query and no false negatives once hits are confirmed.',
    }),
    ev(t(4), { kind: 'message', role: 'tool', name: 'bash', text: 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7' }),
    ev(t(5), { kind: 'check', command: ['npm', 'test'], exitCode: 1, tree: 'd'.repeat(40), durationMs: 4200, output: 'FAIL test/bloom.test.ts\nexpected 3 hits' }),
    ev(t(6), { kind: 'check', command: ['npm', 'test'], exitCode: 0, tree: 'e'.repeat(40), durationMs: 3900, output: 'all 42 passed' }),
    ev(t(7), { kind: 'snapshot', commit: 'abc1234'.padEnd(40, '0'), parent: s.base, message: 'bloom tree', files: [{ path: 'src/index/bloom.ts', status: 'A' }, { path: 'src/repo/land.ts', status: 'M' }] }),
    ev(t(8), { kind: 'land', commit: s.landed!.commit, target: 'main', strategy: 'squash', previousTip: s.base }),
  ];
  const files: FileChange[] = [
    { path: 'src/index/bloom.ts', status: 'A' },
    { path: 'src/repo/land.ts', status: 'M' },
  ];
  const diffs: Record<string, string> = {
    'src/index/bloom.ts': [
      'diff --git a/src/index/bloom.ts b/src/index/bloom.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/src/index/bloom.ts',
      '@@ -0,0 +1,2 @@',
      '+export class Bloom {}',
      '+export const K = 7;',
    ].join('\n'),
    'src/repo/land.ts': [
      'diff --git a/src/repo/land.ts b/src/repo/land.ts',
      'index 1111111..2222222 100644',
      '--- a/src/repo/land.ts',
      '+++ b/src/repo/land.ts',
      '@@ -1,3 +1,3 @@',
      ' import { x } from "./x.js";',
      '-const scan = linearScan(history);',
      '+const scan = bloomTree.query(paths);',
      ' export { scan };',
    ].join('\n'),
  };
  return { summary: s, events, files, diffs };
}

export interface MemoryData extends BrowseData {
  calls: { listSessions: number; search: string[]; loadEvents: string[]; changedFiles: string[]; fileDiff: string[] };
}

export interface MemoryOptions {
  sessions: SessionSummary[];
  events?: Record<string, SessionEvent[]>;
  files?: Record<string, FileChange[]>;
  diffs?: Record<string, Record<string, string>>;
  /** delay of search results, ms */
  searchDelay?: number;
}

export function memoryData(o: MemoryOptions): MemoryData {
  const calls: MemoryData['calls'] = { listSessions: 0, search: [], loadEvents: [], changedFiles: [], fileDiff: [] };
  const eventsOf = (id: string): SessionEvent[] => {
    if (o.events?.[id]) return o.events[id];
    const s = o.sessions.find((x) => x.id === id);
    if (!s) throw new Error(`unknown session ${id}`);
    return [
      ev(s.createdAt, { kind: 'start', goal: s.goal, target: s.target, base: s.base, author: s.author, agent: s.agent }),
      ev(s.createdAt, { kind: 'prompt', text: `prompt of ${s.id}` }),
    ];
  };
  return {
    calls,
    async listSessions() {
      calls.listSessions++;
      return o.sessions;
    },
    async search(q) {
      calls.search.push(q);
      if (o.searchDelay) await new Promise((r) => setTimeout(r, o.searchDelay));
      const needle = q.toLowerCase();
      const ids = new Set<string>();
      for (const s of o.sessions) {
        const texts = [s.goal, ...(o.events?.[s.id] ?? []).map((e) => ('text' in e ? e.text : ''))];
        if (texts.some((t) => t.toLowerCase().includes(needle))) ids.add(s.id);
      }
      return ids;
    },
    async loadEvents(id) {
      calls.loadEvents.push(id);
      return eventsOf(id);
    },
    async changedFiles(id) {
      calls.changedFiles.push(id);
      return o.files?.[id] ?? [];
    },
    async fileDiff(id, path) {
      calls.fileDiff.push(`${id}:${path}`);
      const d = o.diffs?.[id]?.[path];
      if (d === undefined) throw new Error(`no diff for ${path}`);
      return d;
    },
  };
}

/** The rich session first, then `n` generated ones. */
export function smallData(n = 12): MemoryData {
  const rich = richSession();
  const sessions = [rich.summary, ...Array.from({ length: n }, (_, i) => summary(i + 1))];
  return memoryData({
    sessions,
    events: { [rich.summary.id]: rich.events },
    files: { [rich.summary.id]: rich.files },
    diffs: { [rich.summary.id]: rich.diffs },
  });
}

export function bigData(n = 10_000): MemoryData {
  return memoryData({ sessions: Array.from({ length: n }, (_, i) => summary(i)) });
}
