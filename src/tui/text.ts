// Pure text helpers: make untrusted session text safe for a terminal, measure it in
// terminal columns, and cut it to a width deliberately (truncate or wrap) so no frame
// line ever overflows the screen.

// CSI, OSC (ended by BEL or ST) and two-byte escape sequences.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;
// C0 controls except \n, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/**
 * Session text comes from agents, transcripts and tool output: strip escape sequences and
 * control characters (they could move the cursor or retitle the terminal), normalise line
 * ends and expand tabs to 4-column stops.
 */
export function clean(s: string): string {
  let t = s;
  if (t.includes('\u001B')) t = t.replace(ANSI, '');
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  if (t.includes('\t')) t = t.split('\n').map(expandTabs).join('\n');
  return t.replace(CONTROL, '');
}

function expandTabs(line: string): string {
  let out = '';
  let col = 0;
  for (const ch of line) {
    if (ch === '\t') {
      const n = 4 - (col % 4);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col += charWidth(ch.codePointAt(0)!);
    }
  }
  return out;
}

/** `clean`, then every run of whitespace (newlines included) becomes one space. */
export function oneLine(s: string): string {
  return clean(s).replace(/\s+/g, ' ').trim();
}

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

/** Cut `s` to `width` columns keeping its end (for paths: the file name matters most). */
export function truncateStart(s: string, width: number): string {
  if (width <= 0) return '';
  const w = displayWidth(s);
  if (w <= width) return s;
  const chars = [...s];
  let keep = 0;
  let kw = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = charWidth(chars[i].codePointAt(0)!);
    if (kw + cw > width - 1) break;
    kw += cw;
    keep++;
  }
  return '…' + chars.slice(chars.length - keep).join('');
}

/** `s` cut to and padded to exactly `width` columns. */
export function padEnd(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}

/** `s` cut to and right-aligned in exactly `width` columns. */
export function padStart(s: string, width: number): string {
  const t = truncate(s, width);
  return ' '.repeat(Math.max(0, width - displayWidth(t))) + t;
}

/** `s` without the first `cols` columns (horizontal scrolling). */
export function skipColumns(s: string, cols: number): string {
  if (cols <= 0) return s;
  return splitAtWidth(s, cols)[1];
}
