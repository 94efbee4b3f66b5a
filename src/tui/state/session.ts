// Session view state: which pane has focus, where the timeline is scrolled, the file
// cursor, and the open diff. The timeline position is an anchor (event index + line offset
// inside its block), not a raw line number: scrolling only needs the lengths of the blocks
// it passes (so they can be laid out lazily), and rewrapping on resize or expanding tool
// output keeps the reader on the same event.
import type { FileChange } from '../../core/types.js';
import type { Anchor } from '../timeline.js';
import { type KeyInfo, clamp, follow } from './keys.js';

export type { Anchor };

export interface DiffState {
  path: string;
  top: number;
  left: number;
}

export interface SessionUiState {
  focus: 'timeline' | 'files';
  anchor: Anchor;
  fileCursor: number;
  fileTop: number;
  expand: boolean;
  diff: DiffState | null;
  /** The conflicts pane (`c`, conflicted sessions only) in place of the body, scrolled to `top`. */
  conflicts: { top: number } | null;
}

export const initialSessionState: SessionUiState = {
  focus: 'timeline',
  anchor: { event: 0, offset: 0 },
  fileCursor: 0,
  fileTop: 0,
  expand: false,
  diff: null,
  conflicts: null,
};

/** What scrolling needs to know about the timeline's layout (a `Timeline` satisfies it). */
export interface TimelineMetrics {
  /** number of events (blocks) */
  count: number;
  /** lines of block `i`, at least 1 */
  blockLength(i: number): number;
  /** rows on screen */
  page: number;
}

/** Metrics over fixed block lengths (tests). */
export function fixedMetrics(lengths: number[], page: number): TimelineMetrics {
  return { count: lengths.length, blockLength: (i) => lengths[i], page };
}

export function maxTop(total: number, page: number): number {
  return Math.max(0, total - Math.max(1, page));
}

function before(a: Anchor, b: Anchor): boolean {
  return a.event < b.event || (a.event === b.event && a.offset < b.offset);
}

/** The last anchor that still fills the screen: one page above the end. */
export function lastAnchor(m: TimelineMetrics): Anchor {
  let need = Math.max(1, m.page);
  for (let e = m.count - 1; e >= 0; e--) {
    const len = m.blockLength(e);
    if (len >= need) return { event: e, offset: len - need };
    need -= len;
  }
  return { event: 0, offset: 0 };
}

/** `a` made valid for the current layout: inside its block and not past the last page. */
export function clampAnchor(a: Anchor, m: TimelineMetrics): Anchor {
  if (m.count <= 0) return { event: 0, offset: 0 };
  const event = clamp(a.event, 0, m.count - 1);
  const offset = clamp(a.offset, 0, m.blockLength(event) - 1);
  const last = lastAnchor(m);
  const c = { event, offset };
  return before(last, c) ? last : c;
}

/** `a` moved by `delta` lines (either way), clamped to the timeline. */
export function moveAnchor(a: Anchor, delta: number, m: TimelineMetrics): Anchor {
  if (m.count <= 0) return { event: 0, offset: 0 };
  let { event: e, offset: o } = clampAnchor(a, m);
  o += delta;
  while (o < 0 && e > 0) {
    e--;
    o += m.blockLength(e);
  }
  if (o < 0) o = 0;
  while (o >= m.blockLength(e) && e < m.count - 1) {
    o -= m.blockLength(e);
    e++;
  }
  return clampAnchor({ event: e, offset: o }, m);
}

export type SessionAction =
  | { type: 'scroll'; delta: number; m: TimelineMetrics }
  | { type: 'scrollPage'; dir: 1 | -1; m: TimelineMetrics }
  | { type: 'scrollEdge'; edge: 'top' | 'bottom'; m: TimelineMetrics }
  | { type: 'jumpEvent'; dir: 1 | -1; m: TimelineMetrics }
  | { type: 'toggleFocus'; hasFiles: boolean }
  | { type: 'fileMove'; delta: number; count: number; page: number }
  | { type: 'fileEdge'; edge: 'top' | 'bottom'; count: number; page: number }
  | { type: 'toggleExpand' }
  | { type: 'openDiff'; path: string }
  | { type: 'closeDiff' }
  | { type: 'diffScroll'; delta: number; total: number; page: number }
  | { type: 'diffEdge'; edge: 'top' | 'bottom'; total: number; page: number }
  | { type: 'diffPan'; delta: number }
  | { type: 'openConflicts' }
  | { type: 'closeConflicts' }
  | { type: 'conflictsScroll'; delta: number; total: number; page: number }
  | { type: 'conflictsEdge'; edge: 'top' | 'bottom'; total: number; page: number };

export function sessionReducer(s: SessionUiState, a: SessionAction): SessionUiState {
  switch (a.type) {
    case 'scroll':
      return { ...s, anchor: moveAnchor(s.anchor, a.delta, a.m) };
    case 'scrollPage':
      return { ...s, anchor: moveAnchor(s.anchor, a.dir * Math.max(1, a.m.page - 1), a.m) };
    case 'scrollEdge':
      return { ...s, anchor: a.edge === 'top' ? { event: 0, offset: 0 } : lastAnchor(a.m) };
    case 'jumpEvent': {
      if (a.m.count <= 0) return s;
      const cur = clampAnchor(s.anchor, a.m);
      const event = a.dir > 0 ? cur.event + 1 : cur.offset > 0 ? cur.event : cur.event - 1;
      if (event >= a.m.count) return { ...s, anchor: lastAnchor(a.m) };
      return { ...s, anchor: clampAnchor({ event: Math.max(0, event), offset: 0 }, a.m) };
    }
    case 'toggleFocus':
      if (!a.hasFiles) return { ...s, focus: 'timeline' };
      return { ...s, focus: s.focus === 'timeline' ? 'files' : 'timeline' };
    case 'fileMove': {
      if (a.count <= 0) return s;
      const fileCursor = clamp(s.fileCursor + a.delta, 0, a.count - 1);
      return { ...s, fileCursor, fileTop: follow(s.fileTop, fileCursor, a.page, a.count) };
    }
    case 'fileEdge': {
      const fileCursor = a.edge === 'top' ? 0 : Math.max(0, a.count - 1);
      return { ...s, fileCursor, fileTop: follow(s.fileTop, fileCursor, a.page, a.count) };
    }
    case 'toggleExpand':
      return { ...s, expand: !s.expand };
    case 'openDiff':
      return { ...s, focus: 'files', diff: { path: a.path, top: 0, left: 0 } };
    case 'closeDiff':
      return { ...s, diff: null };
    case 'diffScroll':
      if (!s.diff) return s;
      return { ...s, diff: { ...s.diff, top: clamp(s.diff.top + a.delta, 0, maxTop(a.total, a.page)) } };
    case 'diffEdge':
      if (!s.diff) return s;
      return { ...s, diff: { ...s.diff, top: a.edge === 'top' ? 0 : maxTop(a.total, a.page) } };
    case 'diffPan':
      if (!s.diff) return s;
      return { ...s, diff: { ...s.diff, left: Math.max(0, s.diff.left + a.delta) } };
    case 'openConflicts':
      return { ...s, diff: null, conflicts: { top: 0 } };
    case 'closeConflicts':
      return { ...s, conflicts: null };
    case 'conflictsScroll':
      if (!s.conflicts) return s;
      return { ...s, conflicts: { top: clamp(s.conflicts.top + a.delta, 0, maxTop(a.total, a.page)) } };
    case 'conflictsEdge':
      if (!s.conflicts) return s;
      return { ...s, conflicts: { top: a.edge === 'top' ? 0 : maxTop(a.total, a.page) } };
  }
}

export type SessionIntent =
  | { kind: 'action'; action: SessionAction }
  | { kind: 'back' }
  | { kind: 'help' }
  | { kind: 'none' };

/** Layout facts the key map needs: timeline metrics, files and their pane height, diff length, conflicts pane length. */
export interface SessionContext {
  m: TimelineMetrics;
  files: FileChange[];
  filePage: number;
  diffTotal: number;
  diffPage: number;
  /** lines of the conflicts pane (0: the session is not conflicted, `c` does nothing) */
  conflictsTotal?: number;
}

const act = (action: SessionAction): SessionIntent => ({ kind: 'action', action });
const PAN = 8;

export function sessionKey(input: string, key: KeyInfo, s: SessionUiState, c: SessionContext): SessionIntent {
  if (input === '?') return { kind: 'help' };
  if (s.conflicts) {
    // the same keys as the diff pane, without panning (lines are wrapped to fit)
    const total = c.conflictsTotal ?? 0;
    const page = c.diffPage;
    if (key.escape || input === 'q' || input === 'c' || key.backspace || key.delete) return act({ type: 'closeConflicts' });
    if (key.upArrow || input === 'k') return act({ type: 'conflictsScroll', delta: -1, total, page });
    if (key.downArrow || input === 'j' || key.return) return act({ type: 'conflictsScroll', delta: 1, total, page });
    if (key.pageUp || input === 'b' || (key.ctrl && input === 'b')) return act({ type: 'conflictsScroll', delta: -Math.max(1, page - 1), total, page });
    if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return act({ type: 'conflictsScroll', delta: Math.max(1, page - 1), total, page });
    if (key.home || input === 'g') return act({ type: 'conflictsEdge', edge: 'top', total, page });
    if (key.end || input === 'G') return act({ type: 'conflictsEdge', edge: 'bottom', total, page });
    return { kind: 'none' };
  }
  if (s.diff) {
    const { diffTotal: total, diffPage: page } = c;
    if (key.escape || input === 'q' || key.backspace || key.delete) return act({ type: 'closeDiff' });
    if (key.upArrow || input === 'k') return act({ type: 'diffScroll', delta: -1, total, page });
    if (key.downArrow || input === 'j' || key.return) return act({ type: 'diffScroll', delta: 1, total, page });
    if (key.pageUp || input === 'b' || (key.ctrl && input === 'b'))
      return act({ type: 'diffScroll', delta: -Math.max(1, page - 1), total, page });
    if (key.pageDown || input === ' ' || (key.ctrl && input === 'f'))
      return act({ type: 'diffScroll', delta: Math.max(1, page - 1), total, page });
    if (key.home || input === 'g') return act({ type: 'diffEdge', edge: 'top', total, page });
    if (key.end || input === 'G') return act({ type: 'diffEdge', edge: 'bottom', total, page });
    if (key.leftArrow || input === 'h') return act({ type: 'diffPan', delta: -PAN });
    if (key.rightArrow || input === 'l') return act({ type: 'diffPan', delta: PAN });
    return { kind: 'none' };
  }
  if (key.escape || input === 'q') return { kind: 'back' };
  if (key.tab) return act({ type: 'toggleFocus', hasFiles: c.files.length > 0 });
  if (input === 'e') return act({ type: 'toggleExpand' });
  if (input === 'c' && c.conflictsTotal) return act({ type: 'openConflicts' });
  if (s.focus === 'files' && c.files.length > 0) {
    const count = c.files.length;
    const page = c.filePage;
    if (key.upArrow || input === 'k') return act({ type: 'fileMove', delta: -1, count, page });
    if (key.downArrow || input === 'j') return act({ type: 'fileMove', delta: 1, count, page });
    if (key.pageUp) return act({ type: 'fileMove', delta: -page, count, page });
    if (key.pageDown) return act({ type: 'fileMove', delta: page, count, page });
    if (key.home || input === 'g') return act({ type: 'fileEdge', edge: 'top', count, page });
    if (key.end || input === 'G') return act({ type: 'fileEdge', edge: 'bottom', count, page });
    if (key.return) return act({ type: 'openDiff', path: c.files[clamp(s.fileCursor, 0, count - 1)].path });
    return { kind: 'none' };
  }
  const { m } = c;
  if (key.upArrow || input === 'k') return act({ type: 'scroll', delta: -1, m });
  if (key.downArrow || input === 'j' || key.return) return act({ type: 'scroll', delta: 1, m });
  if (key.pageUp || input === 'b' || (key.ctrl && input === 'b')) return act({ type: 'scrollPage', dir: -1, m });
  if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return act({ type: 'scrollPage', dir: 1, m });
  if (key.home || input === 'g') return act({ type: 'scrollEdge', edge: 'top', m });
  if (key.end || input === 'G') return act({ type: 'scrollEdge', edge: 'bottom', m });
  if (input === ']' || input === 'n') return act({ type: 'jumpEvent', dir: 1, m });
  if (input === '[' || input === 'p') return act({ type: 'jumpEvent', dir: -1, m });
  return { kind: 'none' };
}
