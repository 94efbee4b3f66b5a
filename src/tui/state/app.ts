// Which view is on screen. The list's own state lives in its reducer and survives a visit
// to a session, so going back lands on the same row with the same filter and search.
import { type KeyInfo, clamp } from './keys.js';

export type Route = { view: 'list' } | { view: 'session'; id: string };

export interface AppState {
  route: Route;
  help: boolean;
  /** first help line on screen: the help scrolls when the terminal is shorter than it */
  helpTop: number;
}

export const initialAppState: AppState = { route: { view: 'list' }, help: false, helpTop: 0 };

/** `total` is how many lines the help has, `page` how many fit on screen. */
export type AppAction =
  | { type: 'open'; id: string }
  | { type: 'back' }
  | { type: 'help'; show: boolean }
  | { type: 'helpScroll'; delta: number; total: number; page: number };

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case 'open':
      return { ...s, route: { view: 'session', id: a.id }, help: false };
    case 'back':
      return { ...s, route: { view: 'list' }, help: false };
    case 'help':
      return { ...s, help: a.show, helpTop: 0 };
    case 'helpScroll':
      return { ...s, helpTop: clamp(s.helpTop + a.delta, 0, Math.max(0, a.total - Math.max(1, a.page))) };
  }
}

export type HelpIntent = { kind: 'scroll'; delta: number } | { kind: 'close' } | { kind: 'none' };

/** What a key press means on the help screen, `page` lines of it on screen. */
export function helpKey(input: string, key: KeyInfo, page: number): HelpIntent {
  if (key.escape || input === 'q' || input === '?') return { kind: 'close' };
  const step = Math.max(1, page - 1);
  if (key.upArrow || input === 'k') return { kind: 'scroll', delta: -1 };
  if (key.downArrow || input === 'j' || key.return) return { kind: 'scroll', delta: 1 };
  if (key.pageUp || input === 'b') return { kind: 'scroll', delta: -step };
  if (key.pageDown || input === ' ') return { kind: 'scroll', delta: step };
  if (key.home || input === 'g') return { kind: 'scroll', delta: -Infinity };
  if (key.end || input === 'G') return { kind: 'scroll', delta: Infinity };
  return { kind: 'none' };
}
