// `npm run bench -- tui`: how fast the browser shows and scrolls a big catalog.
//
// The App runs on fake 80x24 terminal streams in Ink's debug mode, where every frame is
// rendered and written in full as soon as the update that caused it is flushed (no 30 fps
// throttle), so the figures are the real cost of React + layout + output for one frame.
//
// React is loaded in its production build, as the CLI should load it: the development
// build roughly doubles every frame. React picks its build when first loaded, which is
// why src/tui is imported dynamically, after NODE_ENV is set.
import type { SessionEvent, SessionSummary } from '../src/core/types.js';
import type { BrowseData } from '../src/repo/browse.js';
import { FakeIn, FakeOut } from '../test/tui/fake-tty.js';
import { median, report } from './harness.js';

let mountTui: typeof import('../src/tui/index.js').mountTui;

const NOW = Date.parse('2025-06-01T12:00:00Z');
const STATES = ['open', 'landed', 'abandoned'] as const;

function summaries(n: number): SessionSummary[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(NOW - (i + 1) * 60_000).toISOString();
    return {
      format: 1,
      id: `01JBENCH${String(i).padStart(10, '0')}`,
      goal: `Session ${i}: tighten the conflict check for paths under src/module${i % 97}`,
      state: STATES[i % 3],
      target: 'main',
      base: 'a'.repeat(40),
      startBase: 'a'.repeat(40),
      author: `Dev ${i % 13} <dev@example.com>`,
      agent: i % 2 ? { name: 'claude', model: 'opus-4' } : undefined,
      createdAt: at,
      updatedAt: at,
      events: 20 + (i % 50),
      files: i % 11,
      counts: {},
    };
  });
}

function events(n: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date(NOW - (n - i) * 1000).toISOString();
    const id = `01JEV${String(i).padStart(12, '0')}`;
    if (i % 10 === 3)
      out.push({
        id,
        ts,
        kind: 'decision',
        chosen: `option ${i}`,
        rejected: [{ option: 'the other way', reason: 'slower on big repos, and harder to test' }],
        rationale: 'Keeps the common path fast; the rare path stays correct.',
      });
    else if (i % 10 === 7) out.push({ id, ts, kind: 'message', role: 'tool', name: 'bash', text: 'out\n'.repeat(12) });
    else
      out.push({
        id,
        ts,
        kind: 'message',
        role: i % 2 ? 'agent' : 'user',
        text: `Message ${i}. The reviewer wants to know why the index is rebuilt on every fetch, and whether the bloom filters can be reused across targets.`,
      });
  }
  return out;
}

function dataOf(sessions: SessionSummary[], timeline: SessionEvent[]): BrowseData {
  return {
    listSessions: async () => sessions,
    search: async () => new Set(),
    loadEvents: async () => timeline,
    changedFiles: async () => [{ path: 'src/cache/bloom.ts', status: 'M' }],
    fileDiff: async () => '',
  };
}



/** Mounts the TUI and resolves when a frame containing `marker` has been written. */
async function mount(data: BrowseData, marker: string) {
  const stdout = Object.assign(new FakeOut(), { keep: false });
  const stdin = new FakeIn();
  let seen!: (t: number) => void;
  const firstFrame = new Promise<number>((r) => (seen = r));
  stdout.onWrite = (s) => {
    if (s.includes(marker)) seen(performance.now());
  };
  const t0 = performance.now();
  const tui = mountTui(data, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    noColor: false,
    now: () => NOW,
  });
  const ms = (await firstFrame) - t0;
  stdout.onWrite = () => {};
  return {
    ms,
    stdout,
    stdin,
    tui,
    async close() {
      tui.unmount();
      await tui.exitCode;
    },
  };
}

async function firstFrame(data: BrowseData, marker: string, runs: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await mount(data, marker);
    xs.push(m.ms);
    await m.close();
  }
  return median(xs);
}

/**
 * Median time from `step` to the frame it causes being written. React 19 flushes updates
 * in a microtask, so the frame lands just after `step` returns, not inside it.
 */
async function frameTime(m: Awaited<ReturnType<typeof mount>>, steps: number, step: () => void): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < steps; i++) {
    let written!: (t: number) => void;
    const frame = new Promise<number>((r) => (written = r));
    m.stdout.onWrite = () => written(performance.now());
    const t = performance.now();
    step();
    const timeout = setTimeout(() => written(Number.NaN), 2000);
    const at = await frame;
    clearTimeout(timeout);
    if (Number.isNaN(at)) throw new Error('the step rendered no frame');
    xs.push(at - t);
  }
  m.stdout.onWrite = () => {};
  return median(xs);
}

export async function run(): Promise<void> {
  const env = process.env['NODE_ENV'];
  process.env['NODE_ENV'] ??= 'production';
  ({ mountTui } = await import('../src/tui/index.js'));
  if (env === undefined) delete process.env['NODE_ENV'];
  const small = dataOf(summaries(10), events(10));
  const big = dataOf(summaries(10_000), events(10));
  const marker = 'Session 0: tighten';

  // warm up module loading and JIT on both paths
  await firstFrame(small, marker, 2);
  await firstFrame(big, marker, 2);

  const base = await firstFrame(small, marker, 9);
  const tenK = await firstFrame(big, marker, 9);
  report({
    name: 'list: first full frame, 10,000 sessions',
    value: tenK,
    unit: 'ms',
    baseline: { name: '10 sessions', value: base },
    goal: '< 1000 ms',
  });

  const m = await mount(big, marker);
  const noop = await frameTime(m, 200, () => m.tui.refresh());
  const down = await frameTime(m, 200, () => m.stdin.type('\u001B[B'));
  const page = await frameTime(m, 100, () => m.stdin.type('\u001B[6~'));
  if (!m.stdout.last.includes('›')) throw new Error('list did not render a cursor');
  await m.close();
  report({ name: 'list: one scroll step (down), 10,000 sessions', value: down, unit: 'ms', baseline: { name: 'no-op rerender', value: noop }, goal: '< 33 ms, one frame at 30 fps' });
  report({ name: 'list: one page down, 10,000 sessions', value: page, unit: 'ms', baseline: { name: 'no-op rerender', value: noop } });

  // a long session: the timeline is laid out once per width, then windowed
  const longMarker = 'timeline 10000 events';
  const openSession = async (data: BrowseData, mk: string) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const mm = await mount(data, marker);
      let seen!: (t: number) => void;
      const shown = new Promise<number>((r) => (seen = r));
      mm.stdout.onWrite = (s) => {
        if (s.includes(mk)) seen(performance.now());
      };
      const t = performance.now();
      mm.stdin.type('\r');
      xs.push((await shown) - t);
      await mm.close();
    }
    return median(xs);
  };
  const longData = dataOf(summaries(10), events(10_000));
  const open10 = await openSession(small, 'timeline 10 events');
  const open10k = await openSession(longData, longMarker);
  report({
    name: 'session: first timeline frame, 10,000 events',
    value: open10k,
    unit: 'ms',
    baseline: { name: '10 events', value: open10 },
  });

  const s = await mount(longData, marker);
  let shown!: () => void;
  const ready = new Promise<void>((r) => (shown = r));
  s.stdout.onWrite = (x) => x.includes(longMarker) && shown();
  s.stdin.type('\r');
  await ready;
  s.stdout.onWrite = () => {};
  const tNoop = await frameTime(s, 100, () => s.tui.refresh());
  const tDown = await frameTime(s, 100, () => s.stdin.type('j'));
  await s.close();
  report({ name: 'session: one timeline scroll step, 10,000 events', value: tDown, unit: 'ms', baseline: { name: 'no-op rerender', value: tNoop } });
}
