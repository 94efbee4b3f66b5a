// List view state: cursor and window over the visible sessions, the state filter, and the
// search box. Pure reducer plus a pure key map; the component only renders.
import type { SessionState, SessionSummary } from '../../core/types.js';
import { type KeyInfo, clamp, follow } from './keys.js';

export type StateFilter = 'all' | SessionState;
export const FILTERS: readonly StateFilter[] = ['all', 'open', 'landed', 'abandoned'];

export interface SearchState {
  /** the search box has focus */
  editing: boolean;
  /** text in the search box */
  input: string;
  /** the applied (or in-flight) query; '' when no search is applied */
  query: string;
  /** ids matching `query`, null when no search is applied or results are not in yet */
  matches: Set<string> | null;
  /** a `data.search` call is in flight for `seq` */
  pending: boolean;
  /** bumped on every submit and clear, so late results of an old query are dropped */
  seq: number;
  error: string | null;
}

export interface ListState {
  cursor: number;
  top: number;
  filter: StateFilter;
  search: SearchState;
}

export const initialListState: ListState = {
  cursor: 0,
  top: 0,
  filter: 'all',
  search: { editing: false, input: '', query: '', matches: null, pending: false, seq: 0, error: null },
};

/** `count` is how many sessions are visible, `page` how many rows fit on screen. */
export type ListAction =
  | { type: 'move'; delta: number; count: number; page: number }
  | { type: 'page'; dir: 1 | -1; count: number; page: number }
  | { type: 'first' }
  | { type: 'last'; count: number; page: number }
  | { type: 'cycleFilter' }
  | { type: 'searchStart' }
  | { type: 'searchType'; text: string }
  | { type: 'searchBackspace' }
  | { type: 'searchSubmit' }
  | { type: 'searchClear' }
  | { type: 'searchResult'; seq: number; ids: Set<string> }
  | { type: 'searchError'; seq: number; message: string };

const reset = { cursor: 0, top: 0 };

export function listReducer(s: ListState, a: ListAction): ListState {
  switch (a.type) {
    case 'move': {
      if (a.count <= 0) return { ...s, ...reset };
      const cursor = clamp(s.cursor + a.delta, 0, a.count - 1);
      return { ...s, cursor, top: follow(s.top, cursor, a.page, a.count) };
    }
    case 'page': {
      if (a.count <= 0) return { ...s, ...reset };
      const p = Math.max(1, a.page);
      const cursor = clamp(s.cursor + a.dir * p, 0, a.count - 1);
      const top = clamp(s.top + a.dir * p, 0, Math.max(0, a.count - p));
      return { ...s, cursor, top: follow(top, cursor, p, a.count) };
    }
    case 'first':
      return { ...s, ...reset };
    case 'last': {
      const cursor = Math.max(0, a.count - 1);
      return { ...s, cursor, top: follow(s.top, cursor, a.page, a.count) };
    }
    case 'cycleFilter': {
      const filter = FILTERS[(FILTERS.indexOf(s.filter) + 1) % FILTERS.length];
      return { ...s, ...reset, filter };
    }
    case 'searchStart':
      return { ...s, search: { ...s.search, editing: true, input: s.search.query } };
    case 'searchType':
      if (!s.search.editing) return s;
      return { ...s, search: { ...s.search, input: s.search.input + a.text } };
    case 'searchBackspace':
      if (!s.search.editing) return s;
      return { ...s, search: { ...s.search, input: [...s.search.input].slice(0, -1).join('') } };
    case 'searchSubmit': {
      const query = s.search.input.trim();
      if (!query) return listReducer(s, { type: 'searchClear' });
      return {
        ...s,
        search: { ...s.search, editing: false, input: query, query, pending: true, error: null, seq: s.search.seq + 1 },
      };
    }
    case 'searchClear':
      return {
        ...s,
        ...reset,
        search: { ...initialListState.search, seq: s.search.seq + 1 },
      };
    case 'searchResult':
      if (a.seq !== s.search.seq) return s;
      return { ...s, ...reset, search: { ...s.search, pending: false, matches: a.ids } };
    case 'searchError':
      if (a.seq !== s.search.seq) return s;
      return { ...s, search: { ...s.search, pending: false, matches: null, query: '', error: a.message } };
  }
}

/** The sessions the list shows: the state filter and, once results are in, the search. */
export function visibleSessions(all: SessionSummary[], filter: StateFilter, matches: Set<string> | null): SessionSummary[] {
  if (filter === 'all' && !matches) return all;
  // A conflicted session is still open (being worked on): the `open` filter shows it.
  const shown = (s: SessionSummary) => filter === 'all' || s.state === filter || (filter === 'open' && s.state === 'conflicted');
  return all.filter((s) => shown(s) && (!matches || matches.has(s.id)));
}

export type ListIntent =
  | { kind: 'action'; action: ListAction }
  | { kind: 'open' }
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'none' };

const act = (action: ListAction): ListIntent => ({ kind: 'action', action });

/** What a key press means on the list, given what is visible. */
export function listKey(input: string, key: KeyInfo, s: ListState, count: number, page: number): ListIntent {
  if (s.search.editing) {
    if (key.escape) return act({ type: 'searchClear' });
    if (key.return) return act({ type: 'searchSubmit' });
    if (key.backspace || key.delete) return act({ type: 'searchBackspace' });
    if (key.ctrl || key.meta || key.tab) return { kind: 'none' };
    if (key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.leftArrow || key.rightArrow) return { kind: 'none' };
    // eslint-disable-next-line no-control-regex
    const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
    return text ? act({ type: 'searchType', text }) : { kind: 'none' };
  }
  if (key.upArrow || input === 'k') return act({ type: 'move', delta: -1, count, page });
  if (key.downArrow || input === 'j') return act({ type: 'move', delta: 1, count, page });
  if (key.pageUp || (key.ctrl && input === 'b')) return act({ type: 'page', dir: -1, count, page });
  if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return act({ type: 'page', dir: 1, count, page });
  if (key.home || input === 'g') return act({ type: 'first' });
  if (key.end || input === 'G') return act({ type: 'last', count, page });
  if (key.return) return count > 0 ? { kind: 'open' } : { kind: 'none' };
  if (input === '/') return act({ type: 'searchStart' });
  if (input === 'f') return act({ type: 'cycleFilter' });
  if (key.escape) return s.search.query || s.search.error ? act({ type: 'searchClear' }) : { kind: 'none' };
  if (input === '?') return { kind: 'help' };
  if (input === 'q') return { kind: 'quit' };
  return { kind: 'none' };
}
