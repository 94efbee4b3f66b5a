// The subset of Ink's `Key` the key maps read. Ink's own Key object satisfies it, and
// tests can build one by hand, so key handling stays pure and testable without a terminal.
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

/** The first visible row so that `cursor` is on screen, moving the window as little as possible. */
export function follow(top: number, cursor: number, page: number, count: number): number {
  const p = Math.max(1, page);
  let t = top;
  if (cursor < t) t = cursor;
  if (cursor >= t + p) t = cursor - p + 1;
  return clamp(t, 0, Math.max(0, count - p));
}
