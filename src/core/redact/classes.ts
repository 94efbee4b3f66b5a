// Character classes shared by the scanner and the rules, as lookup tables (one array
// read per character), and the class-run cache that keeps prefixed-token matching
// linear however many prefixes a hostile text repeats.

/** Class bits of the scanner's token alphabet (0: not in the alphabet). */
export const DIGIT = 1;
/** a-f: with DIGIT and DASH, the whole alphabet of git ids, digests and UUIDs. */
export const HEX_LOWER = 2;
/** `-`. */
export const DASH = 4;
/** Everything else in the alphabet: g-z, A-Z, `_`, `+`, `/`. */
export const OTHER = 8;

/**
 * The scanner's token alphabet by char code (base64, base64url, `-`/`_` separators), as
 * class bits so one pass learns "hex only?" and "has a digit?" while it finds runs.
 */
export const TOKEN = new Uint8Array(65536);
/** `_`, `+`, `/` (also OTHER): a run without DASH or SEP has no word start inside it. */
export const SEP = 16;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz') TOKEN[c.charCodeAt(0)] = OTHER;
for (const c of '_+/') TOKEN[c.charCodeAt(0)] = OTHER | SEP;
for (const c of 'abcdef') TOKEN[c.charCodeAt(0)] = HEX_LOWER;
for (const c of '0123456789') TOKEN[c.charCodeAt(0)] = DIGIT;
TOKEN['-'.charCodeAt(0)] = DASH;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;

/** The body alphabets token rules use, by name. */
export const CLASS_CHARS = {
  alnum: ALNUM,
  word: ALNUM + '_',
  b64url: ALNUM + '_-',
  b64: ALNUM + '+/',
  b64pad: ALNUM + '+/=',
  dotted: ALNUM + '_.=-',
  hex: DIGITS + 'abcdef',
  anyhex: DIGITS + 'abcdefABCDEF',
  upnum: UPPER + DIGITS,
  lownum: LOWER + DIGITS,
  b32: UPPER + '234567',
  updash: UPPER + DIGITS + '-',
  b64word: ALNUM + '+/=_',
  pct: ALNUM + '%',
  alpha: UPPER + LOWER,
} as const;

/** A body alphabet's name. */
export type ClassName = keyof typeof CLASS_CHARS;

/** Class name to its index in the tables below. */
export const CLASS_IDS = Object.fromEntries(Object.keys(CLASS_CHARS).map((k, i) => [k, i])) as Record<ClassName, number>;

/** Membership tables, one per class, over ASCII (non-ASCII is in no class). */
export const CLASS_TABLES: Uint8Array[] = Object.values(CLASS_CHARS).map((chars) => {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
});

/** True for [A-Za-z0-9]. */
export function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Where the run of one class starting at a position ends, remembering the last run per
 * class: a later start inside a run already measured costs O(1), so a text that repeats
 * a prefix a million times (`sk-sk-sk-...`) is measured once, not once per repeat.
 */
export class ClassRuns {
  private readonly starts = new Int32Array(CLASS_TABLES.length).fill(-1);
  private readonly ends = new Int32Array(CLASS_TABLES.length).fill(-1);
  constructor(private readonly text: string) {}
  /** End (exclusive) of the maximal run of class `cls` that starts at `from`. */
  endFrom(cls: number, from: number): number {
    const s = this.starts[cls];
    const e = this.ends[cls];
    if (from >= s && from < e) return e;
    const t = CLASS_TABLES[cls];
    const text = this.text;
    const n = text.length;
    let i = from;
    // Join the cached run when this one reaches it (a shorter prefix before a longer one).
    while (i < n) {
      if (i === s) {
        i = e;
        break;
      }
      const c = text.charCodeAt(i);
      if (c >= 128 || t[c] === 0) break;
      i++;
    }
    this.starts[cls] = from;
    this.ends[cls] = i;
    return i;
  }
}

/** Extends `end` over up to two '=' of base64 padding (outside the run alphabet so `K=v` splits). */
export function padEnd(text: string, end: number): number {
  let e = end;
  while (e < text.length && e < end + 2 && text.charCodeAt(e) === 61) e++;
  return e;
}

/** Where the global regex `re` matches in `text`, in order (the positions `nearAny` searches). */
export function matchPositions(re: RegExp, text: string): number[] {
  const at: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) at.push(m.index);
  return at;
}

/** True when some position in the sorted list `xs` lies within `d` of `i` (binary search). */
export function nearAny(xs: number[], i: number, d: number): boolean {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < i - d) lo = mid + 1;
    else hi = mid;
  }
  return lo < xs.length && xs[lo] <= i + d;
}
