// The one sanitizer: text that came from anyone (pulled sessions, transcripts, tool output,
// commit messages) reaches a terminal only through `sanitize`. Characters that can act on
// a terminal or mislead a reader are shown escaped, never dropped, so what was stored
// stays visible: C0 controls except newline and tab (ESC starts every escape sequence:
// colours, cursor moves, OSC 52 clipboard writes, OSC 8 links, window titles), DEL, C1
// controls (U+0080–U+009F: 8-bit CSI and OSC), bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width characters (U+200B–
// U+200D, U+2060, U+FEFF) and the line/paragraph separators U+2028/U+2029. One exception:
// a zero-width joiner inside an emoji sequence (👨‍👩‍👧) joins visible pictographs into one
// visible emoji, so it hides nothing and is kept.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_TEST = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

/** How one unsafe character is shown: `\x1b` below U+0100, `\u202e` above. */
export function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

const PICTO = /\p{Extended_Pictographic}/u;
// What may sit between a pictograph and the joiner after it: a variation selector, a skin tone.
const EMOJI_TAIL = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/u;

/** Whether the ZWJ at `i` joins two pictographs (an emoji ZWJ sequence). */
function emojiJoiner(s: string, i: number): boolean {
  const next = s.codePointAt(i + 1);
  if (next === undefined || !PICTO.test(String.fromCodePoint(next))) return false;
  let j = i;
  for (;;) {
    const prev = [...s.slice(Math.max(0, j - 2), j)].pop();
    if (!prev) return false;
    if (EMOJI_TAIL.test(prev)) j -= prev.length;
    else return PICTO.test(prev);
  }
}

/**
 * `s` safe to print on a terminal: every unsafe character shown escaped (`\x1b`,
 * `\u202e`), newlines and tabs kept, Windows line ends (`\r\n`) read as newlines.
 */
export function sanitize(s: string): string {
  if (!UNSAFE_TEST.test(s)) return s;
  const t = s.replace(/\r\n/g, '\n');
  return t.replace(UNSAFE, (c, i: number) => (c === '\u200d' && emojiJoiner(t, i) ? c : escapeChar(c)));
}

/** `sanitize` for one line: newlines and tabs shown escaped too (error messages, names). */
export function sanitizeLine(s: string): string {
  return sanitize(s).replace(/[\n\t]/g, escapeChar);
}

/**
 * A JSON document as `JSON.stringify` writes it, with the characters it leaves raw (DEL,
 * C1, bidi, zero-width, U+2028/9) written as `\uXXXX` escapes instead: the same JSON value,
 * exactly, that cannot act on a terminal it is printed to.
 */
export function safeJson(doc: unknown, indent?: number): string {
  const text = JSON.stringify(doc, null, indent);
  if (text === undefined || !UNSAFE_TEST.test(text)) return text;
  // Outside strings JSON.stringify writes only ASCII punctuation, digits, spaces and newlines.
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
