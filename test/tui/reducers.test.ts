import { describe, expect, it } from 'vitest';
import { follow } from '../../src/tui/state/keys.js';
import {
  type ListAction,
  type ListState,
  initialListState,
  listKey,
  listReducer,
  visibleSessions,
} from '../../src/tui/state/list.js';
import {
  type SessionUiState,
  clampAnchor,
  fixedMetrics,
  initialSessionState,
  lastAnchor,
  moveAnchor,
  sessionKey,
  sessionReducer,
} from '../../src/tui/state/session.js';
import { appReducer, helpKey, initialAppState } from '../../src/tui/state/app.js';
import { listColumns, listGeometry, sessionGeometry } from '../../src/tui/geometry.js';
import { summary } from './fixtures.js';

const run = (s: ListState, ...as: ListAction[]) => as.reduce(listReducer, s);
const move = (delta: number, count = 100, page = 10): ListAction => ({ type: 'move', delta, count, page });

describe('list reducer: navigation', () => {
  it('moves within bounds and keeps the cursor on screen', () => {
    let s = run(initialListState, move(-1));
    expect(s.cursor).toBe(0);
    s = run(s, move(1), move(1));
    expect(s).toMatchObject({ cursor: 2, top: 0 });
    s = run(s, ...Array.from({ length: 9 }, () => move(1)));
    expect(s).toMatchObject({ cursor: 11, top: 2 }); // window follows, cursor on the last visible row
    s = run(s, move(-5));
    expect(s).toMatchObject({ cursor: 6, top: 2 }); // still visible: window stays
    s = run(s, move(-5));
    expect(s).toMatchObject({ cursor: 1, top: 1 });
  });

  it('stops at the last row', () => {
    const s = run(initialListState, move(500, 30, 10));
    expect(s).toMatchObject({ cursor: 29, top: 20 });
  });

  it('pages by a screen and clamps at both ends', () => {
    const page = (dir: 1 | -1): ListAction => ({ type: 'page', dir, count: 25, page: 10 });
    let s = run(initialListState, page(1));
    expect(s).toMatchObject({ cursor: 10, top: 10 });
    s = run(s, page(1));
    expect(s).toMatchObject({ cursor: 20, top: 15 }); // window cannot go past the end
    s = run(s, page(1));
    expect(s).toMatchObject({ cursor: 24, top: 15 });
    s = run(s, page(-1), page(-1), page(-1));
    expect(s).toMatchObject({ cursor: 0, top: 0 });
  });

  it('jumps to first and last', () => {
    let s = run(initialListState, { type: 'last', count: 10_000, page: 20 });
    expect(s).toMatchObject({ cursor: 9_999, top: 9_980 });
    s = run(s, { type: 'first' });
    expect(s).toMatchObject({ cursor: 0, top: 0 });
  });

  it('handles an empty list', () => {
    expect(run(initialListState, move(1, 0), { type: 'page', dir: 1, count: 0, page: 5 }, { type: 'last', count: 0, page: 5 })).toMatchObject({
      cursor: 0,
      top: 0,
    });
  });

  it('follow() moves the window minimally', () => {
    expect(follow(0, 5, 10, 100)).toBe(0);
    expect(follow(0, 12, 10, 100)).toBe(3);
    expect(follow(50, 20, 10, 100)).toBe(20);
    expect(follow(95, 99, 10, 100)).toBe(90); // clamped to the last full page
    expect(follow(3, 2, 10, 5)).toBe(0); // fewer rows than a page
  });
});

describe('list reducer: filter and search', () => {
  it('cycles all → open → landed → abandoned → all and resets the cursor', () => {
    let s = run(initialListState, move(5));
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      s = run(s, { type: 'cycleFilter' });
      seen.push(s.filter);
      expect(s.cursor).toBe(0);
    }
    expect(seen).toEqual(['open', 'landed', 'abandoned', 'all']);
  });

  it('edits, submits and applies a search; stale results are dropped', () => {
    let s = run(initialListState, { type: 'searchStart' }, { type: 'searchType', text: 'bloo' }, { type: 'searchType', text: 'mx' }, { type: 'searchBackspace' });
    expect(s.search).toMatchObject({ editing: true, input: 'bloom', query: '' });
    s = run(s, { type: 'searchSubmit' });
    expect(s.search).toMatchObject({ editing: false, query: 'bloom', pending: true, matches: null });
    const first = s.search.seq;
    // a second query supersedes the first before its results arrive
    s = run(s, { type: 'searchStart' }, { type: 'searchType', text: 'x' }, { type: 'searchSubmit' });
    expect(s.search.query).toBe('bloomx');
    s = run(s, { type: 'searchResult', seq: first, ids: new Set(['old']) });
    expect(s.search.matches).toBeNull();
    s = run(s, move(3), { type: 'searchResult', seq: s.search.seq, ids: new Set(['a']) });
    expect(s.search).toMatchObject({ pending: false, matches: new Set(['a']) });
    expect(s.cursor).toBe(0);
  });

  it('clears the search on escape, also dropping in-flight results', () => {
    let s = run(initialListState, { type: 'searchStart' }, { type: 'searchType', text: 'q' }, { type: 'searchSubmit' });
    const seq = s.search.seq;
    s = run(s, { type: 'searchClear' });
    expect(s.search).toMatchObject({ editing: false, input: '', query: '', matches: null, pending: false });
    s = run(s, { type: 'searchResult', seq, ids: new Set(['x']) });
    expect(s.search.matches).toBeNull();
  });

  it('an empty query clears instead of searching', () => {
    const s = run(initialListState, { type: 'searchStart' }, { type: 'searchType', text: '   ' }, { type: 'searchSubmit' });
    expect(s.search).toMatchObject({ query: '', pending: false, editing: false });
  });

  it('records a failed search', () => {
    let s = run(initialListState, { type: 'searchStart' }, { type: 'searchType', text: 'q' }, { type: 'searchSubmit' });
    s = run(s, { type: 'searchError', seq: s.search.seq, message: 'index missing' });
    expect(s.search).toMatchObject({ pending: false, error: 'index missing', matches: null });
  });

  it('visibleSessions applies state filter and matches together', () => {
    const all = Array.from({ length: 9 }, (_, i) => summary(i));
    expect(visibleSessions(all, 'all', null)).toBe(all);
    expect(visibleSessions(all, 'open', null).map((s) => s.state)).toEqual(['open', 'open', 'open']);
    const ids = new Set([all[0].id, all[1].id, all[3].id]);
    expect(visibleSessions(all, 'open', ids).map((s) => s.id)).toEqual([all[0].id, all[3].id]);
    expect(visibleSessions(all, 'all', new Set())).toEqual([]);
  });
});

describe('list key map', () => {
  const s = initialListState;
  it('maps navigation, open, search, filter, quit', () => {
    expect(listKey('j', {}, s, 50, 10)).toEqual({ kind: 'action', action: move(1, 50, 10) });
    expect(listKey('', { upArrow: true }, s, 50, 10)).toEqual({ kind: 'action', action: move(-1, 50, 10) });
    expect(listKey('', { pageDown: true }, s, 50, 10)).toEqual({ kind: 'action', action: { type: 'page', dir: 1, count: 50, page: 10 } });
    expect(listKey('G', { shift: true }, s, 50, 10)).toEqual({ kind: 'action', action: { type: 'last', count: 50, page: 10 } });
    expect(listKey('g', {}, s, 50, 10)).toEqual({ kind: 'action', action: { type: 'first' } });
    expect(listKey('', { return: true }, s, 50, 10)).toEqual({ kind: 'open' });
    expect(listKey('', { return: true }, s, 0, 10)).toEqual({ kind: 'none' });
    expect(listKey('/', {}, s, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchStart' } });
    expect(listKey('f', {}, s, 50, 10)).toEqual({ kind: 'action', action: { type: 'cycleFilter' } });
    expect(listKey('q', {}, s, 50, 10)).toEqual({ kind: 'quit' });
    expect(listKey('', { escape: true }, s, 50, 10)).toEqual({ kind: 'none' });
  });

  it('while editing, letters are text and q does not quit', () => {
    const editing = run(s, { type: 'searchStart' });
    expect(listKey('q', {}, editing, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchType', text: 'q' } });
    expect(listKey('', { return: true }, editing, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchSubmit' } });
    expect(listKey('', { escape: true }, editing, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchClear' } });
    expect(listKey('', { delete: true }, editing, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchBackspace' } });
  });

  it('escape clears an applied search', () => {
    const applied = run(s, { type: 'searchStart' }, { type: 'searchType', text: 'x' }, { type: 'searchSubmit' });
    expect(listKey('', { escape: true }, applied, 50, 10)).toEqual({ kind: 'action', action: { type: 'searchClear' } });
  });
});

describe('session reducer', () => {
  // 5 events of 4 lines each, 20 lines, page 6: the last page starts at line 14 = event 3, offset 2
  const m = fixedMetrics([4, 4, 4, 4, 4], 6);
  const go = (s: SessionUiState, ...as: Parameters<typeof sessionReducer>[1][]) => as.reduce(sessionReducer, s);

  it('scrolls by line across blocks within bounds', () => {
    let s = go(initialSessionState, { type: 'scroll', delta: -3, m });
    expect(s.anchor).toEqual({ event: 0, offset: 0 });
    s = go(s, { type: 'scroll', delta: 5, m });
    expect(s.anchor).toEqual({ event: 1, offset: 1 });
    s = go(s, { type: 'scroll', delta: -2, m });
    expect(s.anchor).toEqual({ event: 0, offset: 3 });
    s = go(s, { type: 'scroll', delta: 100, m });
    expect(s.anchor).toEqual({ event: 3, offset: 2 });
  });

  it('pages with one line of overlap and jumps to the ends', () => {
    let s = go(initialSessionState, { type: 'scrollPage', dir: 1, m });
    expect(s.anchor).toEqual({ event: 1, offset: 1 });
    s = go(s, { type: 'scrollEdge', edge: 'bottom', m });
    expect(s.anchor).toEqual(lastAnchor(m));
    s = go(s, { type: 'scrollPage', dir: -1, m }, { type: 'scrollPage', dir: -1, m }, { type: 'scrollPage', dir: -1, m });
    expect(s.anchor).toEqual({ event: 0, offset: 0 });
  });

  it('a timeline shorter than the screen does not scroll', () => {
    const short = fixedMetrics([2, 3], 10);
    expect(go(initialSessionState, { type: 'scroll', delta: 3, m: short }).anchor).toEqual({ event: 0, offset: 0 });
    expect(lastAnchor(short)).toEqual({ event: 0, offset: 0 });
    expect(go(initialSessionState, { type: 'jumpEvent', dir: 1, m: short }).anchor).toEqual({ event: 0, offset: 0 });
  });

  it('jumps to the next and previous event', () => {
    let s = go(initialSessionState, { type: 'jumpEvent', dir: 1, m });
    expect(s.anchor).toEqual({ event: 1, offset: 0 });
    s = go(s, { type: 'scroll', delta: 2, m }, { type: 'jumpEvent', dir: -1, m });
    expect(s.anchor).toEqual({ event: 1, offset: 0 }); // back to the start of the current event first
    s = go(s, { type: 'jumpEvent', dir: -1, m }, { type: 'jumpEvent', dir: -1, m });
    expect(s.anchor).toEqual({ event: 0, offset: 0 });
    s = go(s, ...Array.from({ length: 9 }, () => ({ type: 'jumpEvent' as const, dir: 1 as const, m })));
    expect(s.anchor).toEqual(lastAnchor(m));
  });

  it('keeps the reader on the same event when the layout rewraps', () => {
    const s = go(initialSessionState, { type: 'scroll', delta: 9, m });
    expect(s.anchor).toEqual({ event: 2, offset: 1 });
    expect(clampAnchor(s.anchor, fixedMetrics([7, 7, 7, 7, 7], 6))).toEqual({ event: 2, offset: 1 });
    // wider: the block shrank to one line plus blank, the offset is clamped into it
    expect(clampAnchor(s.anchor, fixedMetrics([1, 1, 1, 9, 9], 6))).toEqual({ event: 2, offset: 0 });
  });

  it('touches only the blocks it scrolls through (lazy layout)', () => {
    const touched = new Set<number>();
    const huge = { count: 100_000, page: 20, blockLength: (i: number) => (touched.add(i), 3 + (i % 5)) };
    let s = go(initialSessionState, { type: 'scrollPage', dir: 1, m: huge }, { type: 'scroll', delta: 1, m: huge });
    s = go(s, { type: 'scrollEdge', edge: 'bottom', m: huge }, { type: 'scroll', delta: -1, m: huge });
    expect(s.anchor.event).toBeGreaterThan(99_990);
    expect(touched.size).toBeLessThan(40);
    expect(moveAnchor({ event: 5, offset: 0 }, -1, huge)).toEqual({ event: 4, offset: 3 + 4 - 1 });
  });

  it('toggles focus only when there are files, moves the file cursor, opens and closes a diff', () => {
    let s = go(initialSessionState, { type: 'toggleFocus', hasFiles: false });
    expect(s.focus).toBe('timeline');
    s = go(s, { type: 'toggleFocus', hasFiles: true });
    expect(s.focus).toBe('files');
    s = go(s, { type: 'fileMove', delta: 10, count: 3, page: 2 });
    expect(s).toMatchObject({ fileCursor: 2, fileTop: 1 });
    s = go(s, { type: 'openDiff', path: 'a.ts' }, { type: 'diffScroll', delta: 50, total: 30, page: 10 }, { type: 'diffPan', delta: -8 });
    expect(s.diff).toEqual({ path: 'a.ts', top: 20, left: 0 });
    s = go(s, { type: 'diffPan', delta: 8 }, { type: 'closeDiff' });
    expect(s.diff).toBeNull();
    expect(s.focus).toBe('files');
  });

  it('key map: q and escape go back from the session, close the diff first', () => {
    const ctx = { m, files: [{ path: 'a.ts', status: 'M' }], filePage: 3, diffTotal: 0, diffPage: 10 };
    expect(sessionKey('q', {}, initialSessionState, ctx)).toEqual({ kind: 'back' });
    expect(sessionKey('', { escape: true }, initialSessionState, ctx)).toEqual({ kind: 'back' });
    const withDiff = go(initialSessionState, { type: 'openDiff', path: 'a.ts' });
    expect(sessionKey('q', {}, withDiff, ctx)).toEqual({ kind: 'action', action: { type: 'closeDiff' } });
    const files = go(initialSessionState, { type: 'toggleFocus', hasFiles: true });
    expect(sessionKey('', { return: true }, files, ctx)).toEqual({ kind: 'action', action: { type: 'openDiff', path: 'a.ts' } });
    expect(sessionKey('', { tab: true }, files, ctx)).toEqual({ kind: 'action', action: { type: 'toggleFocus', hasFiles: true } });
    expect(sessionKey(']', {}, initialSessionState, ctx)).toEqual({ kind: 'action', action: { type: 'jumpEvent', dir: 1, m } });
  });

  it('the conflicts pane: c opens it only when there is one, scrolls within its lines, esc/q/c close it', () => {
    const ctx = { m, files: [], filePage: 3, diffTotal: 0, diffPage: 10 };
    expect(sessionKey('c', {}, initialSessionState, ctx)).toEqual({ kind: 'none' });
    expect(sessionKey('c', {}, initialSessionState, { ...ctx, conflictsTotal: 25 })).toEqual({ kind: 'action', action: { type: 'openConflicts' } });
    let s = go(initialSessionState, { type: 'openDiff', path: 'a.ts' }, { type: 'openConflicts' });
    expect(s).toMatchObject({ diff: null, conflicts: { top: 0 } });
    const key = (input: string, k = {}) => {
      const i = sessionKey(input, k, s, { ...ctx, conflictsTotal: 25 });
      if (i.kind === 'action') s = go(s, i.action);
      return i;
    };
    key('j');
    key(' ');
    expect(s.conflicts).toEqual({ top: 10 });
    key('G');
    expect(s.conflicts).toEqual({ top: 15 }); // the last page: 25 lines, 10 on screen
    key('', { downArrow: true });
    expect(s.conflicts).toEqual({ top: 15 });
    key('g');
    expect(s.conflicts).toEqual({ top: 0 });
    for (const close of [['q', {}], ['c', {}], ['', { escape: true }]] as const) {
      s = go(s, { type: 'openConflicts' });
      expect(key(close[0], close[1])).toEqual({ kind: 'action', action: { type: 'closeConflicts' } });
      expect(s.conflicts).toBeNull();
    }
  });
});

describe('app reducer and geometry', () => {
  it('opens, goes back, shows help', () => {
    let s = appReducer(initialAppState, { type: 'open', id: 'x' });
    expect(s.route).toEqual({ view: 'session', id: 'x' });
    s = appReducer(s, { type: 'help', show: true });
    expect(s.help).toBe(true);
    s = appReducer(s, { type: 'back' });
    expect(s).toEqual(initialAppState);
  });

  it('scrolls the help within its length; opening it again starts at the top', () => {
    const scroll = (delta: number) => ({ type: 'helpScroll' as const, delta, total: 31, page: 22 });
    let s = appReducer(initialAppState, { type: 'help', show: true });
    s = appReducer(s, scroll(5));
    expect(s.helpTop).toBe(5);
    s = appReducer(s, scroll(Infinity));
    expect(s.helpTop).toBe(9);
    s = appReducer(s, scroll(-100));
    expect(s.helpTop).toBe(0);
    s = appReducer(appReducer(s, scroll(3)), { type: 'help', show: false });
    expect(appReducer(s, { type: 'help', show: true }).helpTop).toBe(0);
    expect(helpKey('G', {}, 22)).toEqual({ kind: 'scroll', delta: Infinity });
    expect(helpKey(' ', {}, 22)).toEqual({ kind: 'scroll', delta: 21 });
    expect(helpKey('', { escape: true }, 22)).toEqual({ kind: 'close' });
    expect(helpKey('x', {}, 22)).toEqual({ kind: 'none' });
  });

  it('list rows fit the terminal, one row short of it', () => {
    const g = listGeometry({ columns: 80, rows: 24 });
    expect(g.height).toBe(23);
    expect(g.page + g.detail + 3).toBe(23);
    expect(listGeometry({ columns: 80, rows: 8 }).detail).toBe(0);
  });

  it('list columns use exactly the width and drop columns on very narrow terminals', () => {
    for (const w of [60, 80, 100, 140, 200]) {
      const c = listColumns(w);
      const used = 30 + c.goal + (c.agent ? c.agent + 1 : 0) + (c.author ? c.author + 1 : 0);
      expect(used).toBeLessThanOrEqual(w);
      expect(c.goal).toBeGreaterThanOrEqual(16);
    }
    expect(listColumns(80).author).toBeGreaterThan(0);
    expect(listColumns(50)).toMatchObject({ agent: 0, author: 0 });
  });

  it('stacks the files pane under the timeline on narrow terminals, beside it on wide ones', () => {
    const narrow = sessionGeometry({ columns: 80, rows: 24 }, 4, 2);
    expect(narrow.side).toBe(false);
    expect(narrow.timelineHeight + narrow.filesHeight).toBe(narrow.body);
    expect(narrow.filesHeight).toBe(3);
    const wide = sessionGeometry({ columns: 160, rows: 40 }, 4, 50);
    expect(wide.side).toBe(true);
    expect(wide.timelineWidth + 1 + wide.filesWidth).toBe(160);
  });
});
