// The single pass over the text. Every secret format we detect is, or sits next to, a
// run of the token alphabet, so one charCode loop that finds the runs and hands each to
// cheap position checks replaces a hundred regex passes: text without secrets costs one
// table lookup per character plus a few char reads per word. Every check reads a
// bounded window or a run it is the first to measure (see prefixed.ts and k8s.ts), so
// the whole scan is linear in the text whatever the text.
import { assignmentAt, pairAt, typedAt } from './assign.js';
import { DASH, DIGIT, OTHER, padEnd, SEP, TOKEN } from './classes.js';
import { looksRandom, MIN_ENTROPY_LEN } from './entropy.js';
import { K8sSecrets } from './k8s.js';
import { EndFinder, privateKeyAt, publicBlockEnd } from './pem.js';
import { PREFIX_START, PrefixMatcher } from './prefixed.js';
import type { Span } from './span.js';
import { curlUserAt, mysqlPasswordAt, structuredAt } from './structured.js';

// Digest notations whose base64 payload is random but public: npm/SRI integrity
// (`sha512-...`), Go's go.sum (`h1:...`), OCI digests (`sha256:...`).
const DIGEST_RUN = /^sha(?:1|256|384|512)-/;
const DIGEST_BEFORE = /(?:sha(?:1|256|384|512)|h1):$/;
const HEXISH = /^(?:[0-9a-f-]+|[0-9A-F-]+)$/;
// OpenSSH public keys (`ssh-ed25519 AAAAC3Nza...`): random base64, public by design.
const SSH_PUBLIC_BEFORE = /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com) $/;
// `data:image/png;base64,...` payloads are random-looking and never secrets.
const DATA_URI_BEFORE = /;base64,$/;
// Base64 of binary files (PNG, JPEG, GIF, WebP, PDF, zip, gzip) pasted into transcripts,
// and any run longer than a credential ever is: data, not a secret (the formats with
// long tokens, PEM blocks and JWTs, have rules of their own).
const BINARY_B64 = /^(?:iVBORw0K|\/9j\/|R0lGOD|UklGR|JVBERi0|UEsDB|H4sI)/;
const MAX_ENTROPY_LEN = 1024;
// A query parameter's value: judged by the parameter's name (assign.ts), not by entropy.
const QUERY_BEFORE = /[?&][\w.[\]-]{1,32}=$/;
/** The shortest prefixed token that lies wholly inside the run alphabet (`AKIA` + 16). */
const MIN_TOKEN = 20;
const MYSQL = new Set(['mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mysqlsh', 'mysqlimport', 'mysqlcheck', 'mysqlpump']);

// Characters that may start a declared type between a name and `=` (Go, Rust, C).
const TYPE_START = new Uint8Array(128);
for (const ch of 'sSCbc[&') TYPE_START[ch.charCodeAt(0)] = 1;

/** Per-scan state: what earlier runs told later ones. */
interface ScanState {
  out: Span[];
  entropy: boolean;
  prefixes: PrefixMatcher;
  ends: EndFinder;
  k8s: K8sSecrets;
  /** End of a public key or certificate block: no entropy judgement before it. */
  noEntropyUntil: number;
  /** Index of the last newline seen, and of the last character that ends a URL. */
  lastNl: number;
  lastBreak: number;
  /** Where the last `://` was seen. */
  urlAt: number;
  /** Start of the last `mysql`-family word, and of the last `curl`. */
  mysqlAt: number;
  curlAt: number;
  /** End of the last assigned value read: no name is looked for inside it. */
  valueUntil: number;
}

// A run that is a whole line (a PEM body line), also across JSON-escaped newlines.
function wholeLine(text: string, s: number, e: number): boolean {
  const p = text.charCodeAt(s - 1);
  const before = p === 10 || p === 13 || (p === 110 && text.charCodeAt(s - 2) === 92);
  const n = text.charCodeAt(padEnd(text, e));
  return before && (n === 10 || n === 13 || n === 92 || Number.isNaN(n));
}

/** All secret spans in `text`, in no particular order and possibly overlapping. */
export function scan(text: string, entropy: boolean): Span[] {
  const st: ScanState = {
    out: [],
    entropy,
    prefixes: new PrefixMatcher(text),
    ends: new EndFinder(text),
    k8s: new K8sSecrets(text),
    noEntropyUntil: 0,
    lastNl: -1,
    lastBreak: -1,
    urlAt: -1,
    mysqlAt: -1,
    curlAt: -1,
    valueUntil: -1,
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (TOKEN[c] === 0) {
      if (c < 128 && URL_BREAK[c] === 1) {
        st.lastBreak = i;
        if (c === 10) st.lastNl = i;
      }
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
      const d = text.charCodeAt(s);
      if ((d === 110 || d === 116 || d === 114) && i - s > 1) s++;
    }
    i = onRun(text, s, i, mask, st);
  }
  return st.out;
}

// Checks one run text[s, e); returns where scanning resumes (past a PEM block it consumed).
function onRun(text: string, s: number, e: number, mask: number, st: ScanState): number {
  const len = e - s;
  const out = st.out;
  const c0 = text.charCodeAt(s);
  if (c0 === 45 && len >= 10 && text.startsWith('-----BEGIN', s)) {
    const end = privateKeyAt(text, s, st.ends, out);
    if (end > 0) return end;
    // Certificates and public keys are random base64 but public: no entropy check on
    // their body lines (anything else in the block is still judged).
    const pub = publicBlockEnd(text, s, st.ends);
    if (pub > 0) st.noEntropyUntil = pub;
  }
  // Prefixed tokens: a token inside the run alphabet is at least MIN_TOKEN long, one
  // whose prefix or body holds `.` (`SG.`, `dp.pt.`, `glpat-...`) ends this run at a `.`.
  if (c0 === 47 && text.charCodeAt(s - 1) === 58 && text.charCodeAt(s + 1) === 47) st.urlAt = s;
  // A run cut short by `.`, `~` or a line break may continue past it (`sha256~...`, an
  // access key id wrapped onto the next line).
  let token = false;
  const next = text.charCodeAt(e);
  const open = next === 46 || next === 126 || next === 10 || next === 13 || next === 92;
  if ((len >= MIN_TOKEN || open) && c0 < 128 && PREFIX_START[c0] === 1 && st.prefixes.at(s, out) > 0) token = true;
  if ((len > MIN_TOKEN || open) && mask & (DASH | SEP)) {
    // Word starts inside the run: after `-`, `_`, `/`, `+` (`x-access-token:ghp_...`).
    const last = open ? e - 2 : e - MIN_TOKEN;
    for (let k = s + 1; k <= last; k++) {
      const d = text.charCodeAt(k);
      if ((d === 45 || d === 95 || d === 47 || d === 43) && PREFIX_START[text.charCodeAt(k + 1)] === 1 && st.prefixes.at(k + 1, out) > 0) token = true;
    }
  }
  // Hex ids and UUIDs (no OTHER class bit) are the commonest long runs and looksRandom
  // rejects them; digit-free names are skipped by the entropy check too.
  if (!token && st.entropy && len >= MIN_ENTROPY_LEN && len <= MAX_ENTROPY_LEN && mask & OTHER && mask & DIGIT && !BINARY_B64.test(text.slice(s, s + 8))) {
    // Inside a URL with a host (`https://docs.example.com/d/<id>/edit`), document, video
    // and file ids are random-looking but not secrets; secrets in URLs are found by their
    // format, their query parameter's name, or as the URL's password instead.
    const url = st.urlAt > st.lastBreak;
    if (!url && !(s < st.noEntropyUntil && wholeLine(text, s, e))) entropyIn(text, s, e, out);
  }
  const prev = s > 0 ? text.charCodeAt(s - 1) : 0;
  if (prev === 58 || prev === 46 || c0 === 101 || next === 126 || next === 46 || next === 58 || (len >= 16 && (prev === 32 || prev === 9))) {
    structuredAt(text, s, e, out);
    // A JWT, Terraform or Telegram token at the end of a path: `/v1/verify/eyJ...`.
    if ((next === 46 || next === 58) && mask & SEP) {
      let k = e - 1;
      while (k > s && text.charCodeAt(k) !== 47) k--;
      if (k > s && k < e - 1) structuredAt(text, k + 1, e, out);
    }
  }
  words(text, s, e, len, prev, st);
  // Operators after a name, with optional spaces before them.
  let j = e;
  let nx = next;
  while (nx === 32 || nx === 9) nx = text.charCodeAt(++j);
  const spaced = j > e;
  if (
    mayAssign(text, s, e, j, nx, spaced) ||
    c0 === 45 ||
    (spaced && nx < 128 && TYPE_START[nx] === 1 && typedAt(text, j) !== null) ||
    (spaced && s >= 4 && text.charCodeAt(s - 1) === 32 && (text.startsWith('ENV', s - 4) || text.startsWith('ARG', s - 4)))
  ) {
    // Inside an unquoted value already read, only an assignment whose own value starts
    // past it can add anything (`password = SECRET_KEY = "..."`).
    const inside = s < st.valueUntil;
    const covered = assignmentAt(text, s, e, out, inside ? st.valueUntil : -1);
    if (covered >= 0 || !inside) st.valueUntil = covered;
  }
  // `name: X_TOKEN`: a secret name given as a value is followed by a line end or quote.
  if (st.valueUntil < s && (prev === 34 || prev === 39 || prev === 32 || prev === 61) && (next === 10 || next === 13 || next === 34 || next === 39 || next === 92 || next === 44)) {
    st.valueUntil = pairIfNamed(text, s, e, out);
  }
  return e;
}

// Whether the character `nx` at `j` (after the name text[s, e) and any spaces) can start
// an operator: a cheap first look that spares assign.ts nearly every word of code/JSON.
function mayAssign(text: string, s: number, e: number, j: number, nx: number, spaced: boolean): boolean {
  const d = text.charCodeAt(j + 1);
  switch (nx) {
    case 61: // =
    case 58: // :
      return true;
    case 46: // .=
    case 43: // +=
      return d === 61;
    case 63: // ?= ??=
      return d === 61 || d === 63;
    case 124: // ||=
      return d === 124;
    case 44: // CSV `name,value,` (not prose "token, which")
      return !spaced && d !== 32 && d !== 9;
    case 62: // <name>value</name>
      return text.charCodeAt(s - 1) === 60;
    case 40: {
      // .password("..."), setToken("..."): the name ends like a secret word.
      const l = text.charCodeAt(e - 1) | 32;
      return !spaced && (l === 100 || l === 121 || l === 116 || l === 110);
    }
    case 34: // a quoted name: "password": ..., setProperty("X_TOKEN", ...)
    case 39:
    case 96:
    case 92: {
      if (spaced) return false;
      let k = j + (nx === 92 ? 2 : 1);
      if (text.charCodeAt(k) === 93) k++;
      while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
      const c = text.charCodeAt(k);
      if (c === 44) {
        // Only as the first argument of a call: `("X_TOKEN", "...")`.
        let b = s - 2;
        while (text.charCodeAt(b) === 32) b--;
        return text.charCodeAt(b) === 40;
      }
      return c === 61 || c === 58 || c === 46 || c === 43 || c === 63 || c === 124;
    }
    default:
      return false;
  }
}

// Command words that change how later runs read: `mysql ... -pSECRET`, `curl -u user:pw`,
// and Kubernetes `data:` blocks.
function words(text: string, s: number, e: number, len: number, prev: number, st: ScanState): void {
  const c0 = text.charCodeAt(s);
  if (c0 === 109 && len >= 5 && len <= 11 && (text.startsWith('mysql', s) || text.startsWith('mariadb', s)) && MYSQL.has(text.slice(s, e))) st.mysqlAt = s;
  else if (c0 === 99 && len === 4 && text.startsWith('curl', s)) st.curlAt = s;
  else if (c0 === 45 && (prev === 32 || prev === 9)) {
    const q = text.charCodeAt(e);
    if (text.charCodeAt(s + 1) === 112 && (len > 2 || (len === 2 && (q === 34 || q === 39))) && st.mysqlAt > st.lastNl) mysqlPasswordAt(text, s, e, st.out);
    else if (st.curlAt >= 0 && s - st.curlAt < 4096 && ((len === 2 && text.charCodeAt(s + 1) === 117) || (len === 6 && text.startsWith('--user', s)))) curlUserAt(text, e, st.out);
  } else if ((c0 === 100 && len === 4 && text.startsWith('data', s)) || (c0 === 115 && len === 10 && text.startsWith('stringData', s))) {
    st.k8s.blockAt(s, e, st.out);
  }
}

// `name: DB_PASSWORD` / `key="ClearTextPassword"`: a name given as a value.
function pairIfNamed(text: string, s: number, e: number, out: Span[]): number {
  let k = s - 1;
  if (text.charCodeAt(k) === 34 || text.charCodeAt(k) === 39) k--;
  while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k--;
  const op = text.charCodeAt(k);
  if (op !== 58 && op !== 61) return -1;
  k--;
  if (text.charCodeAt(k) === 34 || text.charCodeAt(k) === 39) k--;
  const last = text.charCodeAt(k) | 32;
  const named = (last === 101 && (text.charCodeAt(k - 1) | 32) === 109) || (last === 121 && (text.charCodeAt(k - 1) | 32) === 101);
  return named ? pairAt(text, s, e, out) : -1;
}

// Characters that end a URL (and the scanner notes the last one it passed).
const URL_BREAK = new Uint8Array(128);
for (const ch of ' \t\r\n"\'`<>()') URL_BREAK[ch.charCodeAt(0)] = 1;

function entropyIn(text: string, s: number, e: number, out: Span[]): void {
  const run = text.slice(s, e);
  const slash = run.indexOf('/') >= 0;
  const segs = slash ? run.split('/') : [];
  // A path or URL (three or more '/', or a segment that is a git id or UUID:
  // `blob/<40-hex>/lib`) is judged segment by segment. Otherwise the run is judged whole
  // first, since base64 keys contain '/' themselves (one in 64 characters, so a 40-char
  // AWS secret key rarely has more than two).
  const pathy = segs.length > 3 || segs.some((g) => g.length >= 7 && HEXISH.test(g));
  if (!pathy && looksRandom(run)) {
    if (!publicRandom(text, s, run)) out.push({ start: s, end: padEnd(text, e), kind: 'high-entropy' });
    return;
  }
  // A random segment inside a path (`/v1/keys/<secret>/rotate`) is diluted by the path.
  let at = s;
  for (const seg of segs) {
    if (seg.length >= MIN_ENTROPY_LEN && looksRandom(seg) && !publicRandom(text, s, run)) out.push({ start: at, end: at + seg.length, kind: 'high-entropy' });
    at += seg.length + 1;
  }
}

// Random-looking but public: digests, SSH public keys, data URIs, query values, URL ids.
function publicRandom(text: string, s: number, run: string): boolean {
  if (run.charCodeAt(0) === 115 && DIGEST_RUN.test(run)) return true;
  const prev = text.charCodeAt(s - 1);
  if (prev === 58) return DIGEST_BEFORE.test(text.slice(Math.max(0, s - 7), s));
  if (prev === 32) return run.startsWith('AAAA') && SSH_PUBLIC_BEFORE.test(text.slice(Math.max(0, s - 28), s));
  if (prev === 44) return DATA_URI_BEFORE.test(text.slice(Math.max(0, s - 8), s));
  return prev === 61 && QUERY_BEFORE.test(text.slice(Math.max(0, s - 40), s));
}
