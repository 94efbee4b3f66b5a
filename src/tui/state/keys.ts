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

/** One key press: what a key handler receives. */
export interface KeyPress {
  input: string;
  key: KeyInfo;
}

/**
 * The key one character stands for, as Ink reports it when that character arrives
 * alone: Enter is `return` (input "\r"), DEL is `delete`, ^H `backspace`, Tab `tab`,
 * ^@ and ^A–^Z `ctrl` with the letter as input, A–Z `shift`.
 */
export function charKey(ch: string): KeyPress {
  switch (ch) {
    case '\r':
      return { input: '\r', key: { return: true } };
    case '\t':
      return { input: '', key: { tab: true } };
    case '\b':
      return { input: '', key: { backspace: true } };
    case '\u007F':
      return { input: '', key: { delete: true } };
  }
  if (ch !== '\n' && ch <= '\u001A') return { input: String.fromCharCode(ch.charCodeAt(0) + 96), key: { ctrl: true } };
  if (ch >= 'A' && ch <= 'Z') return { input: ch, key: { shift: true } };
  return { input: ch, key: {} };
}

const FLAGS: (keyof KeyInfo)[] = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'return', 'escape', 'tab', 'backspace', 'delete', 'ctrl', 'meta'];

/**
 * The key presses in one `input` from Ink. Ink separates escape sequences (arrows, PgUp,
 * Esc...) into inputs of their own, but hands a run of plain characters that arrived in
 * one read (fast typing, a held key, a paste) over as a single input with no key flags:
 * that run is split into one press per character (code point), each flagged as if typed
 * alone, so "jjj" moves three rows and a pasted "/text⏎" ends with an Enter.
 */
export function splitKeys(input: string, key: KeyInfo): KeyPress[] {
  if (input.length <= 1 || FLAGS.some((f) => key[f])) return [{ input, key }];
  const chars = [...input];
  if (chars.length === 1) return [{ input, key }];
  return chars.map(charKey);
}
