// Pure text helpers: make untrusted session text safe for a terminal, measure it in
// terminal columns, and cut it to a width deliberately (truncate or wrap) so no frame
// line ever overflows the screen. The measures are core/width.ts's (the measure Ink lays
// frames out with), re-exported here for the browser.
import { sanitize } from '../core/sanitize.js';
import { graphemeWidth, graphemes } from '../core/width.js';

export { displayWidth, padEnd, padStart, skipColumns, splitAtWidth, truncate, truncateStart } from '../core/width.js';

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
  for (const g of graphemes(line)) {
    if (g === '\t') {
      const n = 4 - (col % 4);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += g;
      col += graphemeWidth(g);
    }
  }
  return out;
}

/** `clean`, then every run of whitespace (newlines included) becomes one space. */
export function oneLine(s: string): string {
  return clean(s).replace(/\s+/g, ' ').trim();
}
