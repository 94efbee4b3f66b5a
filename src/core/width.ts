// Terminal columns: how wide text is on screen, and cutting it to a width. Shared by the
// CLI's tables and the terminal browser; callers sanitize first (core/sanitize.ts), so
// no escape sequence is ever cut in half and left open.

// Code point ranges (inclusive) that take no column: combining marks, zero-width
// characters, variation selectors.
const ZERO_WIDTH: readonly [number, number][] = [
  [0x300, 0x36f], [0x200b, 0x200f], [0xfe00, 0xfe0f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x20d0, 0x20ff], [0xe0100, 0xe01ef],
];
// Ranges that take two columns: wide East Asian scripts and emoji.
const DOUBLE_WIDTH: readonly [number, number][] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

function inRanges(cp: number, ranges: readonly [number, number][]): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** Terminal columns one code point takes: 0 for combining marks, 2 for wide East Asian and emoji. */
export function charWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (inRanges(cp, ZERO_WIDTH)) return 0;
  return inRanges(cp, DOUBLE_WIDTH) ? 2 : 1;
}

// eslint-disable-next-line no-control-regex
const PLAIN = /^[\u0020-\u007E]*$/;

/** Width of a string in terminal columns. */
export function displayWidth(s: string): number {
  if (PLAIN.test(s)) return s.length;
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** The longest prefix of `s` that fits in `width` columns, and the rest. */
export function splitAtWidth(s: string, width: number): [string, string] {
  if (PLAIN.test(s)) return [s.slice(0, width), s.slice(width)];
  let w = 0;
  let i = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    i += ch.length;
  }
  return [s.slice(0, i), s.slice(i)];
}

/** Cut `s` to `width` columns, marking the cut with an ellipsis. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  return splitAtWidth(s, width - 1)[0] + '…';
}
