import { afterEach, describe, expect, it, vi } from 'vitest';

// Colour must be on for the colour assertions to mean anything (and for the NO_COLOR ones
// to be able to fail): chalk decides its level when first imported, before the imports below.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import stringWidth from 'string-width';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { NOW, memoryData, richSession, smallData, summary } from './fixtures.js';
import { KEY, renderAt, strip, waitFor } from './render.js';

// a loaded CI machine can be slow; each wait below has its own, shorter, limit
vi.setConfig({ testTimeout: 60_000 });

afterEach(() => cleanup());

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001B\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m/;
const width = (l: string) => stringWidth(l);

function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const l of lines) expect(width(l), `line too wide: "${l}"`).toBeLessThanOrEqual(columns);
}

function app(data = smallData(), opts: { columns?: number; rows?: number; noColor?: boolean } = {}) {
  const onExit = vi.fn();
  const r = renderAt(<App data={data} now={() => NOW} noColor={opts.noColor} onExit={onExit} />, opts.columns ?? 80, opts.rows ?? 24);
  return { ...r, data, onExit };
}

/** The line of the selected row (marked with ›) in the list. */
const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('› ')) ?? '';

describe('list view', () => {
  it('shows every session newest first with state, goal, agent/model, author, age, events and files', async () => {
    const r = app();
    await r.until('Goal number 12');
    const f = r.frame();
    expect(f).toMatch(/STATE +GOAL +AGENT\/MODEL +AUTHOR +ACTIVE +EVENTS +FILES/);
    expect(f).toMatch(/› landed +Detect landing conflict.* +claude\/opus… +Ada Love… +1h +9 +2/);
    expect(f).toMatch(/ {2}abandoned +Goal number 2: .* +- +Dev 2 +3h +7 +2/);
    const order = [...f.matchAll(/Goal number (\d+)/g)].map((m) => Number(m[1]));
    expect(order.slice(0, 12)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(f).toContain('13 sessions');
    expect(f).toMatch(/1\/13\s*$/m);
    expectFits(f, 80, 24);
  });

  it('colours the state', async () => {
    const r = app();
    await r.until('Goal number 3');
    expect(r.raw()).toMatch(/\u001B\[32mopen/);
    expect(r.raw()).toMatch(/\u001B\[35mlanded/);
    expect(r.raw()).toMatch(/\u001B\[31mabandoned/);
  });

  it('moves with arrows and j/k, pages, and jumps with g/G', async () => {
    const r = app(smallData(60));
    await r.until('Goal number 3');
    await r.press('j', KEY.down);
    expect(selected(r.frame())).toContain('Goal number 2:');
    await r.press('k');
    expect(selected(r.frame())).toContain('Goal number 1:');
    await r.press(KEY.pageDown);
    // page = 16 rows at 24 lines: cursor 1 → 17
    expect(selected(r.frame())).toContain('Goal number 17:');
    expect(r.frame()).toMatch(/18\/61/);
    await r.press('G');
    expect(selected(r.frame())).toContain('Goal number 60:');
    expect(r.frame()).not.toContain('Goal number 3:');
    await r.press(KEY.pageUp);
    expect(selected(r.frame())).toContain('Goal number 44:');
    await r.press('g');
    expect(selected(r.frame())).toContain('Detect landing conflict');
    await r.press(KEY.up);
    expect(selected(r.frame())).toContain('Detect landing conflict');
  });

  it('cycles the state filter with f', async () => {
    const r = app();
    await r.until('Goal number 3');
    await r.press('f');
    await r.until('filter: open');
    const states = (f: string) => new Set([...f.matchAll(/^[› ] (open|landed|abandoned) /gm)].map((m) => m[1]));
    expect(states(r.frame())).toEqual(new Set(['open']));
    expect(r.frame()).toContain('4 of 13 sessions');
    await r.press('f');
    expect(states(r.frame())).toEqual(new Set(['landed']));
    await r.press('f');
    expect(states(r.frame())).toEqual(new Set(['abandoned']));
    await r.press('f');
    await r.until('filter: requested');
    expect(states(r.frame())).toEqual(new Set());
    await r.press('f');
    expect(states(r.frame())).toEqual(new Set(['open', 'landed', 'abandoned']));
    expect(r.frame()).toContain('filter: all');
  });

  it('searches on Enter through data.search and clears with Esc', async () => {
    const r = app();
    await r.until('Goal number 3');
    await r.press('/', 'b', 'l', 'o', 'o', 'm');
    expect(r.frame()).toMatch(/^\/bloom/m);
    expect(r.data.calls.search).toEqual([]); // typing does not search
    await r.press(KEY.enter);
    await r.until('1 of 13 sessions');
    expect(r.data.calls.search).toEqual(['bloom']);
    expect(r.frame()).toContain('search: "bloom"');
    expect(r.frame()).toContain('Detect landing conflicts');
    expect(r.frame()).not.toContain('Goal number');
    await r.press(KEY.escape);
    await r.until('13 sessions  filter');
    expect(r.frame()).toContain('Goal number 3');
    expect(r.frame()).not.toContain('search:');
  });

  it('Esc while typing a search cancels it; a search with no match says so', async () => {
    const r = app();
    await r.until('Goal number 3');
    await r.press('/', 'x', KEY.escape);
    await r.until('j/k move');
    expect(r.data.calls.search).toEqual([]);
    await r.press('/', 'z', 'z', 'z', KEY.enter);
    await r.until('no sessions match');
    expect(r.frame()).toContain('0 of 13 sessions');
  });

  it('q quits with exit code 0', async () => {
    const r = app();
    await r.until('Goal number 3');
    await r.press('q');
    await waitFor(() => r.onExit.mock.calls.length > 0);
    expect(r.onExit).toHaveBeenCalledWith(0);
  });

  it('ctrl-c quits with 130', async () => {
    const r = app();
    await r.until('Goal number 3');
    await r.press(KEY.ctrlC);
    await waitFor(() => r.onExit.mock.calls.length > 0);
    expect(r.onExit).toHaveBeenCalledWith(130);
  });

  it('reports a catalog that cannot be read', async () => {
    const data = smallData();
    data.listSessions = async () => {
      throw new Error('refs/sessions is corrupt');
    };
    const r = app(data);
    await r.until('cannot list sessions: refs/sessions is corrupt');
  });
});

describe('session view', () => {
  async function openRich(opts?: Parameters<typeof app>[1]) {
    const r = app(smallData(), opts);
    await r.until('Goal number 3');
    await r.press(KEY.enter);
    await r.until('timeline 9 events');
    await r.until('files 2');
    return r;
  }

  it('opens the selected session: header with goal, state, base, target and landed commit; events loaded on demand', async () => {
    const r = app();
    await r.until('Goal number 3');
    expect(r.data.calls.loadEvents).toEqual([]);
    await r.press(KEY.enter);
    await r.until('timeline 9 events');
    const f = r.frame();
    expect(f).toMatch(/^✓ landed +Detect landing conflicts through a bloom-filter tree/);
    expect(f).toContain('main ← b0000000aaaa');
    expect(f).toContain('landed f00dfeed0000 (squash)');
    expect(f).toContain('Ada Lovelace  claude/opus-4');
    expect(r.data.calls.loadEvents).toEqual([richSession().summary.id]);
    expectFits(f, 80, 24);
  });

  it('shows a decision with the chosen option, each rejected alternative with its reason, and the rationale', async () => {
    const r = await openRich();
    const f = r.frame();
    expect(f).toContain('◇ decision');
    expect(f).toContain('✓ Bloom-filter tree over the landed sequence');
    expect(f).toContain('✗ Linear scan with a cache — still O(n) on a cold cache');
    expect(f).toContain('✗ Per-path inverted index — rewrites a huge blob on every land');
    expect(f).toMatch(/why O\(log n\) nodes per query/);
    expect(f).toContain('▶ prompt');
    expect(f).toContain('◆ agent');
  });

  it('scrolls the timeline to later events: checks with exit codes, snapshots, landing', async () => {
    const r = await openRich();
    expect(r.frame()).not.toContain('⇒ landed');
    await r.press(KEY.pageDown);
    expect(r.frame()).toMatch(/✗ check {2}exit 1/);
    await r.press('G');
    expect(r.frame()).toContain('⇒ landed f00dfeed0000 onto main (squash)');
    expect(r.frame()).toContain('◉ snapshot');
    await r.press('g');
    expect(r.frame()).toContain('● started');
    await r.press(']', ']');
    expect(r.frame().split('\n')[5]).toContain('◆ agent'); // first timeline row
    await r.press('[');
    expect(r.frame().split('\n')[5]).toContain('▶ prompt');
  });

  it('e expands collapsed tool output', async () => {
    const r = await openRich({ rows: 60 });
    expect(r.frame()).toContain('… 3 more lines (e expands)');
    expect(r.frame()).not.toContain('line 7');
    await r.press('e');
    expect(r.frame()).toContain('line 7');
    expect(r.frame()).toContain('all 42 passed');
  });

  it('lists changed files; Tab switches panes; Enter shows the diff with coloured +/- lines', async () => {
    const r = await openRich();
    expect(r.frame()).toMatch(/── files 2 ─/);
    expect(r.frame()).toMatch(/ {2}A src\/index\/bloom\.ts/);
    await r.press(KEY.tab);
    expect(r.frame()).toMatch(/› A src\/index\/bloom\.ts/);
    expect(r.frame()).toContain('file 1/2');
    await r.press(KEY.down);
    expect(r.frame()).toMatch(/› M src\/repo\/land\.ts/);
    await r.press(KEY.enter);
    await r.until('+const scan = bloomTree.query(paths);');
    const f = r.frame();
    expect(f).toContain('diff src/repo/land.ts  +1 -1');
    expect(f).toMatch(/^-const scan = linearScan\(history\);$/m);
    expect(f).toMatch(/^@@ -1,3 \+1,3 @@$/m);
    expect(r.raw()).toMatch(/\u001B\[32m\+const scan = bloomTree/);
    expect(r.raw()).toMatch(/\u001B\[31m-const scan = linearScan/);
    expect(r.data.calls.fileDiff).toEqual([`${richSession().summary.id}:src/repo/land.ts`]);
    expectFits(f, 80, 24);
    // back: Esc closes the diff, then Esc/q goes back to the list, where q quits
    await r.press(KEY.escape);
    await r.until('timeline 9 events');
    expect(r.frame()).toMatch(/› M src\/repo\/land\.ts/);
    await r.press('q');
    await r.until('13 sessions');
    expect(r.onExit).not.toHaveBeenCalled();
    expect(selected(r.frame())).toContain('Detect landing conflict'); // same row as before
    await r.press('q');
    await waitFor(() => r.onExit.mock.calls.length > 0);
    expect(r.onExit).toHaveBeenCalledWith(0);
  });

  it('under noColor the diff keeps plain +/- markers and there is no colour at all', async () => {
    const r = await openRich({ noColor: true });
    await r.press(KEY.tab, KEY.enter);
    await r.until('+export class Bloom {}');
    expect(r.frame()).toMatch(/^\+export const K = 7;$/m);
    expect(r.raw()).not.toMatch(COLOUR);
    await r.press(KEY.escape, KEY.escape);
    await r.until('13 sessions');
    expect(r.raw()).not.toMatch(COLOUR);
  });

  it('shows load failures in the pane instead of crashing', async () => {
    const data = smallData();
    data.loadEvents = async () => {
      throw new Error('object abc123 missing');
    };
    const r = app(data);
    await r.until('Goal number 3');
    await r.press(KEY.enter);
    await r.until('cannot load events: object abc123 missing');
    await r.press(KEY.tab, KEY.enter);
    await r.until('diff src/index/bloom.ts');
    await r.press(KEY.escape, KEY.escape);
    await r.until('13 sessions');
  });

  it('? shows the keys and closing help returns to the same place', async () => {
    const r = await openRich();
    await r.press('G');
    await r.until('⇒ landed');
    await r.press('?');
    await r.until('git-session tui: keys');
    expect(r.frame()).toContain('next / previous event');
    expectFits(r.frame(), 80, 24);
    await r.press(KEY.escape);
    await r.until('⇒ landed f00dfeed0000');
  });
});

describe('width and resize', () => {
  const nasty = () => {
    const rich = richSession();
    const long = summary(1, {
      goal: 'Make 日本語 work and ' + 'averyveryverylongwordwithoutanyspaces'.repeat(4) + ' then\tsome\ttabs\nand newlines \u001B[31mand escapes',
      author: 'A person with a remarkably long name <someone@example.com>',
      agent: { name: 'some-agent-with-a-long-name', model: 'model-2025-preview-extended' },
      events: 123456,
      files: 98765,
    });
    const data = memoryData({
      sessions: [long, rich.summary],
      events: {
        [long.id]: [
          ...rich.events,
          { id: 'z', ts: rich.events[0].ts, kind: 'message', role: 'user', text: 'x'.repeat(300) + ' 日本語'.repeat(50) },
        ],
      },
      files: { [long.id]: [{ path: 'a/' + 'deep/'.repeat(40) + 'file.ts', status: 'M' }] },
      diffs: { [long.id]: { ['a/' + 'deep/'.repeat(40) + 'file.ts']: '@@ -1 +1 @@\n-' + 'y'.repeat(300) + '\n+' + 'z'.repeat(300) } },
    });
    return data;
  };

  it('nothing overflows 80 columns: list, session, diff, help', async () => {
    const r = app(nasty());
    await r.until('EVENTS');
    expectFits(r.frame(), 80, 24);
    expect(r.raw()).not.toContain('\u001B[31mand escapes'); // escapes in data are stripped
    await r.press(KEY.enter);
    await r.until('timeline 10 events');
    await r.until('files 1');
    expectFits(r.frame(), 80, 24);
    await r.press('G');
    await r.until('x'.repeat(60));
    expectFits(r.frame(), 80, 24);
    await r.press(KEY.tab, KEY.enter);
    await r.until('yyyy');
    expectFits(r.frame(), 80, 24);
    await r.press('l', 'l');
    expect(r.frame()).toMatch(/col 17/);
    expectFits(r.frame(), 80, 24);
    await r.press('?');
    expectFits(r.frame(), 80, 24);
  });

  it('follows resizes: side-by-side panes when wide, stacked when narrow, rows follow the height', async () => {
    const r = app(smallData(60), { columns: 140, rows: 40 });
    await r.until('Goal number 3');
    expectFits(r.frame(), 140, 40);
    expect(r.frame()).toContain('Goal number 31:');
    r.resize(80, 24);
    await r.until(/^ {2}STATE +GOAL +AGENT\/MODEL +AUTHOR +ACTIVE EVENTS FILES$/m);
    expectFits(r.frame(), 80, 24);
    expect(r.frame()).not.toContain('Goal number 31:');
    await r.press(KEY.enter);
    await r.until('timeline 9 events');
    expect(r.frame()).not.toContain('│');
    r.resize(140, 40);
    await r.until('│');
    expectFits(r.frame(), 140, 40);
    expect(r.frame()).toMatch(/timeline 9 events.*│── files 2/);
    r.resize(60, 16);
    await waitFor(() => r.frame().split('\n').length <= 15);
    await r.until('timeline 9 events');
    expectFits(r.frame(), 60, 16);
  });

  it('strip() removes all escape codes used by the frames', () => {
    expect(strip('\u001B[1m\u001B[32mx\u001B[39m\u001B[22m')).toBe('x');
  });
});
