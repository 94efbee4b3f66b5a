// Terminal widths of emoji, CJK and combining marks: every cut and pad of the browser
// measures what Ink (string-width) measures, so no frame line overflows or misaligns.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { lineText, wrapSegs, seg } from '../../src/tui/lines.js';
import { clean, displayWidth, padEnd, padStart, splitAtWidth, truncate, truncateStart } from '../../src/tui/text.js';
import { NOW, memoryData, summary } from './fixtures.js';
import { KEY, renderAt } from './render.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(() => cleanup());

/** Graphemes that are easy to mis-measure, with the columns a terminal gives them. */
const TRICKY: [string, number][] = [
  ['🚀', 2],
  ['✅', 2],
  ['⚠️', 2], // text-default symbol made emoji by VS16
  ['👨‍👩‍👧', 2], // ZWJ family
  ['🇫🇷', 2], // flag: two regional indicators
  ['👍🏽', 2], // skin tone modifier
  ['日', 2],
  ['한', 2],
  ['ｱ', 1], // halfwidth katakana
  ['e\u0301', 1], // e + combining acute
  ['a\u0308\u0301', 1], // two combining marks
  ['x', 1],
];
const graphemes = fc.array(fc.constantFrom(...TRICKY.map(([g]) => g), ' ', 'ab', '-'), { maxLength: 30 }).map((a) => a.join(''));

describe('displayWidth and the cuts built on it', () => {
  it('measures emoji and CJK as two columns, combining marks as none', () => {
    for (const [g, w] of TRICKY) expect(displayWidth(g), JSON.stringify(g)).toBe(w);
    expect(displayWidth('ship it 🚀 ✅')).toBe(13);
  });

  it('never cuts inside an emoji or between a letter and its accent', () => {
    expect(splitAtWidth('a👨‍👩‍👧b', 2)).toEqual(['a', '👨‍👩‍👧b']);
    expect(splitAtWidth('e\u0301e\u0301', 1)).toEqual(['e\u0301', 'e\u0301']);
    expect(truncate('🚀🚀🚀', 4)).toBe('🚀…');
    expect(truncateStart('🇫🇷🇫🇷🇫🇷', 4)).toBe('…🇫🇷');
  });

  it('cuts and pads to the width asked, whatever the text (property)', () => {
    fc.assert(
      fc.property(graphemes, fc.integer({ min: 2, max: 20 }), (s, w) => {
        expect(displayWidth(s)).toBe(stringWidth(s));
        const [head, tail] = splitAtWidth(s, w);
        expect(head + tail).toBe(s);
        expect(displayWidth(head)).toBeLessThanOrEqual(w);
        expect(displayWidth(truncate(s, w))).toBeLessThanOrEqual(w);
        expect(displayWidth(truncateStart(s, w))).toBeLessThanOrEqual(w);
        expect(displayWidth(padEnd(s, w))).toBe(w);
        expect(displayWidth(padStart(s, w))).toBe(w);
        for (const l of wrapSegs([seg(s)], w)) expect(displayWidth(lineText(l))).toBeLessThanOrEqual(w);
      }),
      { numRuns: 500 },
    );
  });

  it('expands tabs to 4-column stops after wide characters', () => {
    expect(clean('🚀\tx')).toBe('🚀  x');
    expect(clean('e\u0301\tx')).toBe('e\u0301   x');
  });
});

describe('a browser full of emoji, CJK and combining marks at 80 columns', () => {
  const goals = ['Ship it 🚀 ✅ today', '日本語のゴールを直す', 'Cafe\u0301 menu re\u0301sume\u0301 fix', 'Family 👨‍👩‍👧 flags 🇫🇷🇯🇵 thumbs 👍🏽', 'Plain ASCII goal'];
  const sessions = goals.map((goal, i) => summary(i, { goal, author: i % 2 ? '山田 太郎 <t@example.com>' : 'Zoë Émile <z@example.com>', events: 10 + i, files: i }));

  /** Visible width of a frame line (what the terminal shows). */
  const cols = (l: string) => stringWidth(l);

  it('no line overflows, and every list row keeps its columns aligned to the end', async () => {
    const r = renderAt(<App data={memoryData({ sessions })} now={() => NOW} />, 80, 24);
    await r.until('Plain ASCII goal');
    const lines = r.frame().split('\n');
    for (const l of lines) expect(cols(l), `too wide: ${l}`).toBeLessThanOrEqual(80);
    const rows = lines.filter((l) => /^[› ] (open|landed|abandoned) /.test(l));
    expect(rows).toHaveLength(goals.length);
    // every row ends in its EVENTS and FILES numbers at the same column as the header
    const header = lines.find((l) => l.includes('EVENTS'))!;
    for (const [i, row] of rows.entries()) {
      expect(row, row).toMatch(new RegExp(` ${10 + i} +${i}$`));
      expect(cols(row)).toBe(cols(header.trimEnd()));
    }
    for (const g of ['Ship it 🚀 ✅', '日本語のゴール', 'Cafe\u0301 menu', '👨‍👩‍👧']) expect(r.frame()).toContain(g);
  });

  it('the session header and detail lines fit too', async () => {
    const r = renderAt(<App data={memoryData({ sessions })} now={() => NOW} />, 80, 24);
    await r.until('Plain ASCII goal');
    for (const k of ['j', 'j', 'j']) {
      await r.press(k);
      for (const l of r.frame().split('\n')) expect(cols(l), `too wide: ${l}`).toBeLessThanOrEqual(80);
    }
    await r.press(KEY.enter);
    await r.until('timeline');
    for (const l of r.frame().split('\n')) expect(cols(l), `too wide: ${l}`).toBeLessThanOrEqual(80);
    expect(r.frame()).toContain('Family 👨‍👩‍👧 flags');
  });
});
