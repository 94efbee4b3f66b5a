// Pure text helpers: make untrusted session text safe for a terminal, measure it in
// terminal columns, and cut it to a width deliberately (truncate or wrap) so no frame
// line ever overflows the screen.

import { sanitize } from '../core/sanitize.js';
import { charWidth, displayWidth, splitAtWidth, truncate } from '../core/width.js';

export { charWidth, displayWidth, splitAtWidth, truncate };

/**
 * Session text comes from agents, transcripts and tool output: through the one sanitizer
 * (escape sequences and control characters shown escaped, so they can neither move the
 * cursor nor retitle the terminal), then tabs expanded to 4-column stops.
 */
export function clean(s: string): string {
  const t = sanitize(s);
  return t.includes('\t') ? t.split('\n').map(expandTabs).join('\n') : t;
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
