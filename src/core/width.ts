// Terminal columns: how wide text is on screen, and cutting it to a width, grapheme by
// grapheme. One measure for the CLI's tables and the terminal browser: `string-width`, the
// one Ink lays frames out with, so a line cut to fit is a line Ink agrees fits. Callers
// sanitize first (core/sanitize.ts), so no escape sequence is ever cut in half and left open.
import stringWidth from 'string-width';

// eslint-disable-next-line no-control-regex
const PLAIN = /^[\u0020-\u007E]*$/;
const segmenter = new Intl.Segmenter();
const widths = new Map<string, number>();

/** The user-perceived characters of `s`: a cut between two of them never splits an emoji or a letter from its accent. */
export function graphemes(s: string): Iterable<string> {
  if (PLAIN.test(s)) return s;
  return (function* () {
    for (const { segment } of segmenter.segment(s)) yield segment;
  })();
}

/** Terminal columns of one grapheme, as `string-width` (and so Ink) measures it; memoised, clusters repeat. */
export function graphemeWidth(g: string): number {
  if (g.length === 1 && g >= ' ' && g <= '~') return 1;
  let w = widths.get(g);
  if (w === undefined) {
    w = stringWidth(g);
    if (widths.size >= 4096) widths.clear();
    widths.set(g, w);
  }
  return w;
}

/** Width of a string in terminal columns: 2 for wide East Asian characters and emoji, 0 for combining marks. */
export function displayWidth(s: string): number {
  if (PLAIN.test(s)) return s.length;
  let w = 0;
  for (const g of graphemes(s)) w += graphemeWidth(g);
  return w;
}

/** The longest prefix of `s` that fits in `width` columns, and the rest; never cuts inside a grapheme. */
export function splitAtWidth(s: string, width: number): [string, string] {
  if (PLAIN.test(s)) return [s.slice(0, width), s.slice(width)];
  let w = 0;
  let i = 0;
  for (const g of graphemes(s)) {
    const gw = graphemeWidth(g);
    if (w + gw > width) break;
    w += gw;
    i += g.length;
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
  if (displayWidth(s) <= width) return s;
  const gs = [...graphemes(s)];
  let keep = 0;
  let kw = 0;
  for (let i = gs.length - 1; i >= 0; i--) {
    const gw = graphemeWidth(gs[i]);
    if (kw + gw > width - 1) break;
    kw += gw;
    keep++;
  }
  return '…' + gs.slice(gs.length - keep).join('');
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
