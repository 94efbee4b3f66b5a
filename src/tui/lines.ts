// Styled lines: the unit every scrollable pane is made of. Panes lay their content out
// into lines of at most `width` columns up front (pure, memoised on width), then render
// only the window of lines that is on screen.
import type { StyleKey } from './theme.js';
import { clean, displayWidth, splitAtWidth } from './text.js';

export interface Seg {
  text: string;
  style?: StyleKey;
}
export type Line = Seg[];

export function seg(text: string, style?: StyleKey): Seg {
  return style ? { text, style } : { text };
}

export function lineWidth(line: Line): number {
  let w = 0;
  for (const s of line) w += displayWidth(s.text);
  return w;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

function push(line: Line, text: string, style?: StyleKey): void {
  const last = line[line.length - 1];
  if (last && last.style === style) last.text += text;
  else line.push(seg(text, style));
}

function trimEnd(line: Line): Line {
  while (line.length) {
    const last = line[line.length - 1];
    const t = last.text.replace(/\s+$/, '');
    if (t) {
      last.text = t;
      break;
    }
    line.pop();
  }
  return line;
}

/**
 * Word-wrap styled segments to `width` columns. Newlines break lines; words longer than a
 * line are broken hard; leading indentation of a paragraph is kept (code stays readable).
 * Segment text is cleaned of control characters first.
 */
export function wrapSegs(segs: Seg[], width: number): Line[] {
  const w = Math.max(1, width);
  const out: Line[] = [];
  let line: Line = [];
  let lw = 0;
  const flush = () => {
    out.push(trimEnd(line));
    line = [];
    lw = 0;
  };
  for (const s of segs) {
    const paras = clean(s.text).split('\n');
    for (let p = 0; p < paras.length; p++) {
      if (p > 0) flush();
      for (const tok of paras[p].split(/(\s+)/)) {
        if (!tok) continue;
        const tw = displayWidth(tok);
        if (lw + tw <= w) {
          push(line, tok, s.style);
          lw += tw;
          continue;
        }
        if (/^\s+$/.test(tok)) {
          // break at the space, dropping it
          flush();
          continue;
        }
        if (lw > 0) flush();
        let rest = tok;
        while (displayWidth(rest) > w) {
          const [head, tail] = splitAtWidth(rest, w);
          if (!head) break; // a character wider than the whole line
          push(line, head, s.style);
          flush();
          rest = tail;
        }
        push(line, rest, s.style);
        lw = displayWidth(rest);
      }
    }
  }
  if (line.length || out.length === 0) flush();
  return out;
}

/**
 * Wrap `body` into `width` columns behind a prefix: `first` on the first line, `cont`
 * (usually spaces of the same width) on the following ones. Returns lines of at most
 * `width` columns.
 */
export function hanging(first: Line, cont: Line, body: Seg[], width: number): Line[] {
  const pw = Math.max(lineWidth(first), lineWidth(cont));
  const wrapped = wrapSegs(body, Math.max(1, width - pw));
  return wrapped.map((l, i) => [...(i === 0 ? first : cont).map((s) => ({ ...s })), ...l]);
}

/** Mark `line` as cut short with a trailing ellipsis, staying within `width` columns. */
export function ellipsize(line: Line, width: number): Line {
  const out = line.map((s) => ({ ...s }));
  if (lineWidth(out) + 1 <= width) {
    out.push(seg('…', out[out.length - 1]?.style));
    return out;
  }
  const last = out[out.length - 1];
  if (last) last.text = splitAtWidth(last.text, Math.max(0, displayWidth(last.text) - 1))[0] + '…';
  return out;
}
