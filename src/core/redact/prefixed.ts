// The engine behind tokens.ts. The scanner calls `at(i)` at every word start; a
// two-character bucket lookup rejects nearly every position, and a hit measures the
// body as the run of the rule's alphabet (ClassRuns: measured once per run however
// many prefixes repeat inside it). Each rule judges at most one candidate per run of
// its alphabet: the checks that follow the length check (entropy, classes present, no
// `example`) can only get worse for a later, shorter suffix of the same run, so a
// hostile `sk-sk-sk-...` costs O(1) per repeat and the whole scan stays linear.
import { CLASS_IDS, ClassRuns, isAlnum, matchPositions, nearAny } from './classes.js';
import { shannon } from './entropy.js';
import { isPlaceholderBody } from './placeholder.js';
import type { Span } from './span.js';
import { TOKEN_RULES, type TokenRule } from './tokens.js';

interface Entry {
  prefix: string;
  rule: number;
  /** The prefix's 3rd and 4th characters (NaN when shorter): compared before startsWith. */
  c2: number;
  c3: number;
}

const BUCKETS: (Entry[] | undefined)[] = new Array(128 * 128);
/** Characters that start some prefix (the scanner's first, cheapest gate). */
export const PREFIX_START = new Uint8Array(128);
const BODY_CLASS = TOKEN_RULES.map((r) => CLASS_IDS[r.body]);

TOKEN_RULES.forEach((r, rule) => {
  for (const prefix of r.prefixes) {
    const k = prefix.charCodeAt(0) * 128 + prefix.charCodeAt(1);
    (BUCKETS[k] ??= []).push({ prefix, rule, c2: prefix.charCodeAt(2), c3: prefix.charCodeAt(3) });
    PREFIX_START[prefix.charCodeAt(0)] = 1;
  }
});
// Longest prefix first: `sk-ant-` before `sk-`, `xoxe.xoxb-` before `xoxe-`.
for (const b of BUCKETS) b?.sort((x, y) => y.prefix.length - x.prefix.length || x.rule - y.rule);

// Firebase web configs carry `AIza...` keys that are public by design (the key only
// identifies the project; security rules guard the data), so a key near one of these
// markers is left alone. Any other `AIza...` key is treated as a secret.
const FIREBASE = /authDomain|firebaseapp\.com|firebaseConfig|initializeApp\(|firebase\.google\.com/g;
const FIREBASE_NEAR = 400;

function hasClasses(s: string, needs: string): boolean {
  let u = !needs.includes('U');
  let l = !needs.includes('L');
  let d = !needs.includes('D');
  for (let i = 0; i < s.length && !(u && l && d); i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) u = true;
    else if (c >= 97 && c <= 122) l = true;
    else if (c >= 48 && c <= 57) d = true;
  }
  return u && l && d;
}

// A key id wrapped onto the next line (terminal width, `\` continuation, or an escaped
// `\n` inside JSON): where the continuation's characters start, or -1.
function continuation(text: string, e: number): number {
  let j = e;
  if (text.charCodeAt(j) === 92 && text.charCodeAt(j + 1) === 110) j += 2; // \n escape
  else {
    if (text.charCodeAt(j) === 92) j++; // shell continuation
    if (text.charCodeAt(j) === 13) j++;
    if (text.charCodeAt(j) !== 10) return -1;
    j++;
  }
  const limit = j + 16;
  while (j < limit && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  return j;
}

/** The kind of a span that marks a public-by-design token: kept, and shields what it covers. */
export const PUBLIC = '';

/** Finds prefixed tokens in one text; create one per scan. */
export class PrefixMatcher {
  // Allocated on the first prefix hit: most texts have none.
  private runs: ClassRuns | null = null;
  private lastEnd: Int32Array | null = null;
  private tooLong: Int32Array | null = null;
  private coveredUntil = -1;
  private firebase: number[] | null = null;
  constructor(private readonly text: string) {}

  /** Tries every prefix starting at `i`; returns the end of the token found, or -1. */
  at(i: number, out: Span[]): number {
    if (i < this.coveredUntil) return -1;
    const text = this.text;
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    if (!(c0 < 128 && c1 < 128)) return -1;
    const bucket = BUCKETS[c0 * 128 + c1];
    if (!bucket) return -1;
    const t2 = text.charCodeAt(i + 2);
    const t3 = text.charCodeAt(i + 3);
    for (const { prefix, rule, c2, c3 } of bucket) {
      if (prefix.length > 2 && (c2 !== t2 || (prefix.length > 3 && c3 !== t3) || !text.startsWith(prefix, i))) continue;
      // Every body starting before tooLong[rule] runs past the rule's maximum (the run is measured).
      if (this.tooLong !== null && i + prefix.length < this.tooLong[rule]) continue;
      this.runs ??= new ClassRuns(text);
      this.lastEnd ??= new Int32Array(TOKEN_RULES.length).fill(-1);
      this.tooLong ??= new Int32Array(TOKEN_RULES.length);
      const r = TOKEN_RULES[rule];
      const b = i + prefix.length;
      let e = this.runs.endFrom(BODY_CLASS[rule], b);
      // A token may end a sentence: a final `.` is punctuation, not part of it.
      if (text.charCodeAt(e - 1) === 46 && e > b) e--;
      const len = e - b;
      if (len < r.min) {
        if (r.kind === 'aws-access-key' && len >= 4) {
          const end = this.wrapped(r, rule, i, b, e);
          if (end > 0) return this.found(out, i, end, r.kind);
        }
        continue;
      }
      if (len > r.max) {
        this.tooLong[rule] = e - r.max;
        continue;
      }
      if (this.lastEnd[rule] === e) continue;
      this.lastEnd[rule] = e;
      if (!this.valid(r, i, b, e)) continue;
      // Public-by-design formats are found so nothing else claims them, and kept.
      if (r.public || (r.id === 'gcp-api-key' && this.nearFirebase(i))) return this.found(out, i, e, PUBLIC);
      return this.found(out, i, e, r.kind);
    }
    return -1;
  }

  private found(out: Span[], start: number, end: number, kind: string): number {
    out.push({ start, end, kind });
    this.coveredUntil = end;
    return end;
  }

  private valid(r: TokenRule, i: number, b: number, e: number): boolean {
    const text = this.text;
    if (e < text.length && isAlnum(text.charCodeAt(e))) return false;
    if (r.shape && !r.shape.test(text.slice(i, e))) return false;
    const body = text.slice(b, e);
    if (r.needs && !hasClasses(body, r.needs)) return false;
    if (r.entropy && shannon(body) < r.entropy) return false;
    return !isPlaceholderBody(body);
  }

  // The two halves of a key id split by a line break; the end of the second half, or -1.
  private wrapped(r: TokenRule, rule: number, i: number, b: number, e: number): number {
    const text = this.text;
    if (e < text.length && isAlnum(text.charCodeAt(e))) return -1;
    const s2 = continuation(text, e);
    if (s2 < 0) return -1;
    const e2 = this.runs!.endFrom(BODY_CLASS[rule], s2);
    const len = e - b + (e2 - s2);
    if (len < r.min || len > r.max || (e2 < text.length && isAlnum(text.charCodeAt(e2)))) return -1;
    const body = text.slice(b, e) + text.slice(s2, e2);
    if ((r.entropy && shannon(body) < r.entropy) || isPlaceholderBody(body)) return -1;
    return e2;
  }

  private nearFirebase(i: number): boolean {
    this.firebase ??= matchPositions(FIREBASE, this.text); // found once, when first asked
    return nearAny(this.firebase, i, FIREBASE_NEAR);
  }
}
