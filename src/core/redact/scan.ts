// The single pass over the text. Every secret format we detect is, or sits next to, a
// run of the token alphabet, so one charCode loop that finds the runs and hands each to
// cheap position checks replaces a dozen regex passes: text without secrets costs one
// table lookup per character plus a few char reads per word.
import { assignmentAt } from './assign.js';
import { looksRandom, MIN_ENTROPY_LEN } from './entropy.js';
import { DIGIT, EndFinder, MIN_TOKEN_LEN, OTHER, padEnd, PEM_MAX, prefixedIn, privateKeyAt, structuredAt, TOKEN, type Span } from './rules.js';

// Digest notations whose base64 payload is random but public: npm/SRI integrity
// (`sha512-...`), Go's go.sum (`h1:...`), OCI digests (`sha256:...`).
const DIGEST_RUN = /^sha(?:1|256|384|512)-/;
const DIGEST_BEFORE = /(?:sha(?:1|256|384|512)|h1):$/;
const HEXISH = /^(?:[0-9a-f-]+|[0-9A-F-]+)$/;
// OpenSSH public keys (`ssh-ed25519 AAAAC3Nza...`): random base64, public by design.
const SSH_PUBLIC_BEFORE = /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com) $/;
const PUBLIC_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE(?: REQUEST)?|PUBLIC KEY BLOCK)-----/y;

// A run that is a whole line (a PEM body line), also across JSON-escaped newlines.
function wholeLine(text: string, s: number, e: number): boolean {
  const p = text.charCodeAt(s - 1);
  const before = p === 10 || p === 13 || (p === 110 && text.charCodeAt(s - 2) === 92);
  const n = text.charCodeAt(padEnd(text, e));
  return before && (n === 10 || n === 13 || n === 92 || Number.isNaN(n));
}

// End of a certificate or public key block starting at `s`, or -1.
function publicBlockEnd(text: string, s: number, ends: EndFinder): number {
  PUBLIC_BEGIN.lastIndex = s;
  if (!PUBLIC_BEGIN.test(text)) return -1;
  const end = ends.next(PUBLIC_BEGIN.lastIndex);
  return end < 0 || end - s > PEM_MAX ? -1 : end + 8;
}

interface ScanState {
  /** End of a public key or certificate block: no entropy judgement before it. */
  noEntropyUntil: number;
  ends: EndFinder;
}

/** All secret spans in `text`, in no particular order and possibly overlapping. */
export function scan(text: string, entropy: boolean): Span[] {
  const out: Span[] = [];
  const state: ScanState = { noEntropyUntil: 0, ends: new EndFinder(text) };
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (TOKEN[text.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    let s = i;
    let mask = 0;
    let f: number;
    while (i < n && (f = TOKEN[text.charCodeAt(i)]) !== 0) {
      mask |= f;
      i++;
    }
    // `\n`, `\t`, `\r` escapes (JSON inside text) glue a letter onto the next token.
    if (s > 0 && text.charCodeAt(s - 1) === 92) {
      const c = text.charCodeAt(s);
      if ((c === 110 || c === 116 || c === 114) && i - s > 1) s++;
    }
    i = onRun(text, s, i, mask, entropy, out, state);
  }
  return out;
}

// Checks one run text[s, e); returns where scanning resumes (past a PEM block it consumed).
function onRun(text: string, s: number, e: number, mask: number, entropy: boolean, out: Span[], state: ScanState): number {
  const len = e - s;
  if (text.charCodeAt(s) === 45 && len >= 10 && text.startsWith('-----BEGIN', s)) {
    const end = privateKeyAt(text, s, state.ends, out);
    if (end > 0) return end;
    // Certificates and public keys are random base64 but public: no entropy check on
    // their body lines (anything else in the block is still judged, so a secret pasted
    // into one does not hide).
    const pub = publicBlockEnd(text, s, state.ends);
    if (pub > 0) state.noEntropyUntil = pub;
  }
  // Hex ids and UUIDs (no OTHER class bit) are the commonest long runs: every prefix has
  // a character outside [0-9a-f-], and looksRandom rejects hex, so both checks skip them;
  // digit-free names are skipped by the entropy check too.
  if (len >= MIN_TOKEN_LEN && mask & OTHER && !prefixedIn(text, s, e, out) && entropy && len >= MIN_ENTROPY_LEN && mask & DIGIT) {
    if (!(s < state.noEntropyUntil && wholeLine(text, s, e))) entropyIn(text, s, e, out);
  }
  // Inline gates for the two per-word checks: most words are preceded and followed by
  // a space and start with a letter none of the structured formats starts with.
  const prev = s > 0 ? text.charCodeAt(s - 1) : 0;
  const c0 = text.charCodeAt(s);
  if (prev === 58 || prev === 46 || c0 === 101 || (len >= 16 && (prev === 32 || prev === 9))) structuredAt(text, s, e, out);
  let nx = text.charCodeAt(e);
  if (nx === 32 || nx === 9) nx = text.charCodeAt(e + 1) === 32 ? 61 : text.charCodeAt(e + 1);
  if (nx === 61 || nx === 58 || nx === 34 || nx === 39 || nx === 96 || nx === 92 || nx === 9) assignmentAt(text, s, e, out);
  return e;
}

function entropyIn(text: string, s: number, e: number, out: Span[]): void {
  const run = text.slice(s, e);
  if (DIGEST_RUN.test(run) || DIGEST_BEFORE.test(text.slice(Math.max(0, s - 7), s))) return;
  if (run.startsWith('AAAA') && SSH_PUBLIC_BEFORE.test(text.slice(Math.max(0, s - 28), s))) return;
  const slash = run.indexOf('/') >= 0;
  const segs = slash ? run.split('/') : [];
  // A path or URL (three or more '/', or a segment that is a git id or UUID:
  // `blob/<40-hex>/lib`) is judged segment by segment. Otherwise the run is judged whole
  // first, since base64 keys contain '/' themselves (one in 64 characters, so a 40-char
  // AWS secret key rarely has more than two).
  const pathy = segs.length > 3 || segs.some((g) => g.length >= 7 && HEXISH.test(g));
  if (!pathy && looksRandom(run)) {
    out.push({ start: s, end: padEnd(text, e), kind: 'high-entropy' });
    return;
  }
  // A random segment inside a path (`/v1/keys/<secret>/rotate`) is diluted by the path.
  let at = s;
  for (const seg of segs) {
    if (seg.length >= MIN_ENTROPY_LEN && looksRandom(seg)) out.push({ start: at, end: at + seg.length, kind: 'high-entropy' });
    at += seg.length + 1;
  }
}
