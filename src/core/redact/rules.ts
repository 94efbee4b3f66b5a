// Secret formats with a recognisable shape, as checks the scanner (scan.ts) calls at the
// boundaries of token runs: every format here either is a long token run (prefixed keys)
// or starts next to one (`://` before a URL's userinfo, `SG.` before a SendGrid key,
// `-----BEGIN` of a PEM block), so no check needs its own pass over the text.

/** A half-open range of the input to replace, and the kind of secret it held. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** Class bits of token-alphabet characters (0: not in the alphabet). */
export const DIGIT = 1;
/** a-f: with DIGIT and DASH, the whole alphabet of git ids, digests and UUIDs. */
export const HEX_LOWER = 2;
/** `-`. */
export const DASH = 4;
/** Everything else in the alphabet: g-z, A-Z, `_`, `+`, `/`. */
export const OTHER = 8;

/**
 * Token alphabet by char code (base64, base64url, and `-`/`_` separators), as class bits
 * so the scanner learns "hex only?" and "has a digit?" in the same pass that finds runs.
 */
export const TOKEN = new Uint8Array(65536);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz_+/') TOKEN[c.charCodeAt(0)] = OTHER;
for (const c of 'abcdef') TOKEN[c.charCodeAt(0)] = HEX_LOWER;
for (const c of '0123456789') TOKEN[c.charCodeAt(0)] = DIGIT;
TOKEN['-'.charCodeAt(0)] = DASH;

/** Shortest run worth classifying as a prefixed token (an AWS access key id is 20). */
export const MIN_TOKEN_LEN = 20;

// Prefixed tokens, tried inside a run at positions that follow a non-alphanumeric
// character (or the run's start), so `task-...` never reads as an OpenAI `sk-...` key.
const PREFIXED: { kind: string; re: string }[] = [
  { kind: 'aws-access-key', re: '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])' },
  { kind: 'github-token', re: 'gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{40,255}' },
  { kind: 'slack-token', re: 'xox[abposre]-(?:[0-9]+-)?[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}' },
  { kind: 'anthropic-key', re: 'sk-ant-[A-Za-z0-9]{2,12}-[A-Za-z0-9_-]{20,}' },
  {
    kind: 'openai-key',
    re: 'sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{32,}',
  },
  { kind: 'stripe-key', re: '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,}' },
  { kind: 'google-api-key', re: 'AIza[A-Za-z0-9_-]{35}|GOCSPX-[A-Za-z0-9_-]{20,}' },
  { kind: 'npm-token', re: 'npm_[A-Za-z0-9]{36}' },
  { kind: 'gitlab-token', re: 'glpat-[A-Za-z0-9_-]{20,}' },
  { kind: 'huggingface-token', re: 'hf_[A-Za-z0-9]{30,}' },
  { kind: 'pypi-token', re: 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}' },
  { kind: 'shopify-token', re: 'shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}' },
  { kind: 'linear-key', re: 'lin_api_[A-Za-z0-9_]{32,128}' },
  { kind: 'onepassword-token', re: 'ops_ey[A-Za-z0-9+/]{50,}' },
  { kind: 'digitalocean-token', re: 'do[opr]_v1_[a-f0-9]{64}' },
];

const PREFIX_RE = new RegExp(`(?<![A-Za-z0-9])(?:${PREFIXED.map((p, i) => `(?<k${i}>${p.re})`).join('|')})`, 'g');

// The literal start of every prefix above, bucketed by first two characters: a run with
// none of them at a boundary cannot hold a prefixed token, which spares the regex on
// nearly every run (hashes, UUIDs, paths like `lib/` or `linux-gnu`).
const LITERALS = [
  'AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA', 'APKA', 'A3T', 'AIza',
  'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'xox', 'xapp-', 'sk-', 'sk_live_', 'sk_test_',
  'rk_live_', 'rk_test_', 'whsec_', 'GOCSPX-', 'npm_', 'hf_', 'pypi-', 'shpat_', 'shpca_', 'shppa_', 'shpss_',
  'lin_api_', 'ops_ey', 'doo_v1_', 'dop_v1_', 'dor_v1_',
];
const BUCKETS = new Map<number, string[]>();
for (const p of LITERALS) {
  const k = p.charCodeAt(0) * 256 + p.charCodeAt(1);
  BUCKETS.set(k, [...(BUCKETS.get(k) ?? []), p]);
}

function mayHavePrefix(text: string, start: number, end: number): boolean {
  let boundary = true;
  for (let i = start; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (boundary && c < 128) {
      const bucket = BUCKETS.get(c * 256 + text.charCodeAt(i + 1));
      if (bucket) for (const p of bucket) if (text.startsWith(p, i)) return true;
    }
    boundary = c === 45 || c === 95 || c === 47 || c === 43; // - _ / +
  }
  return false;
}

/** Prefixed secrets inside the run text[start, end); true when any was found. */
export function prefixedIn(text: string, start: number, end: number, out: Span[]): boolean {
  if (!mayHavePrefix(text, start, end)) return false;
  const run = text.slice(start, end);
  PREFIX_RE.lastIndex = 0;
  let found = false;
  let m: RegExpExecArray | null;
  while ((m = PREFIX_RE.exec(run)) !== null) {
    const g = m.groups!;
    for (let i = 0; i < PREFIXED.length; i++) {
      if (g[`k${i}`] !== undefined) {
        out.push({ start: start + m.index, end: start + m.index + m[0].length, kind: PREFIXED[i].kind });
        found = true;
        break;
      }
    }
  }
  return found;
}

// Sticky regexes, each tried only at the one position the scanner points at.
const URL_USERINFO = /([^\s:@/?#"'`<>]{1,256}):([^\s/?#"'`<>]{1,512})@[^\s@/?#"'`<>]/dy;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/y;
const SENDGRID = /SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/y;
const SLACK_HOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/+-]{8,})/dy;
const DISCORD_HOOK = /discord(?:app)?\.com\/api\/webhooks\/([0-9]{5,30}\/[A-Za-z0-9_-]{20,})/dy;
const BEARER_BEFORE = /[Bb]earer[ \t]+$/;

function sticky(re: RegExp, text: string, at: number, group: number, kind: string, out: Span[]): boolean {
  re.lastIndex = at;
  const m = re.exec(text);
  if (!m) return false;
  if (group && isPlaceholder(m[group])) return false;
  const [s, e] = group ? m.indices![group] : [m.index, m.index + m[0].length];
  out.push({ start: s, end: e, kind });
  return true;
}

/**
 * Structured secrets that begin at or just before the run text[start, end): URL
 * passwords (`scheme://user:pass@`), webhooks, JWTs, SendGrid keys, bearer tokens.
 */
export function structuredAt(text: string, start: number, end: number, out: Span[]): void {
  const prev = start > 0 ? text.charCodeAt(start - 1) : 0;
  const c0 = text.charCodeAt(start);
  if (c0 === 47 && prev === 58 && text.charCodeAt(start + 1) === 47) {
    // '://': userinfo; GitHub's `TOKEN:x-oauth-basic@` form hides the user instead.
    URL_USERINFO.lastIndex = start + 2;
    const m = URL_USERINFO.exec(text);
    if (m) {
      const g = m[2] === 'x-oauth-basic' ? 1 : 2;
      if (!isPlaceholder(m[g])) {
        const [s, e] = m.indices![g];
        out.push({ start: s, end: e, kind: 'url-password' });
      }
    }
    return;
  }
  if (prev === 46 && c0 === 99 && text.startsWith('com/', start)) {
    // '.com/...': webhook URLs put the secret in the path.
    if (start >= 12 && text.startsWith('hooks.slack.', start - 12)) sticky(SLACK_HOOK, text, start - 12, 1, 'slack-webhook', out);
    else if (start >= 8 && text.startsWith('discord.', start - 8)) sticky(DISCORD_HOOK, text, start - 8, 1, 'discord-webhook', out);
    else if (start >= 11 && text.startsWith('discordapp.', start - 11)) sticky(DISCORD_HOOK, text, start - 11, 1, 'discord-webhook', out);
    return;
  }
  if (c0 === 101 && text.startsWith('eyJ', start)) {
    sticky(JWT, text, start, 0, 'jwt', out);
    return;
  }
  if (prev === 46 && start >= 3 && text.startsWith('SG.', start - 3)) {
    sticky(SENDGRID, text, start - 3, 0, 'sendgrid-key', out);
    return;
  }
  if ((prev === 32 || prev === 9) && end - start >= 16) {
    // 'Bearer <token>': the token is the run itself (plus '.', '~' and padding).
    let k = start - 1;
    while (k > 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
    if (text.charCodeAt(k) === 114 && BEARER_BEFORE.test(text.slice(Math.max(0, k - 5), start))) {
      out.push({ start, end: b64tokenEnd(text, end), kind: 'bearer-token' });
    }
  }
}

const PEM_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_END_LINE = /-----END[A-Z0-9 ]{0,60}-----/y;
// A truncated block (no END line): the base64 body, headers and escaped newlines after BEGIN.
const PEM_BODY = /[A-Za-z0-9+/=\s\\:,.-]*/y;
/** How far after BEGIN an END line may be and still close the block. */
export const PEM_MAX = 64 * 1024;

/**
 * Finds the next `-----END` at or after a position, remembering the last answer so
 * that many BEGIN lines with no END (hostile or truncated text) cost one pass, not one
 * pass each.
 */
export class EndFinder {
  private from = -1;
  private at = -1;
  constructor(private readonly text: string) {}
  /** Index of the first `-----END` at or after `from`, or -1. */
  next(from: number): number {
    if (this.at >= from) return this.at;
    if (this.at === -1 && this.from !== -1 && from >= this.from) return -1;
    this.from = from;
    this.at = this.text.indexOf('-----END', from);
    return this.at;
  }
}

/** A private key block starting at `start` (BEGIN through END, or through the body); its end, or -1. */
export function privateKeyAt(text: string, start: number, ends: EndFinder, out: Span[]): number {
  PEM_BEGIN.lastIndex = start;
  const m = PEM_BEGIN.exec(text);
  if (!m) return -1;
  const bodyStart = start + m[0].length;
  const e = ends.next(bodyStart);
  let end: number;
  if (e >= 0 && e - start < PEM_MAX) {
    PEM_END_LINE.lastIndex = e;
    end = PEM_END_LINE.test(text) ? PEM_END_LINE.lastIndex : e + 8;
  } else {
    PEM_BODY.lastIndex = bodyStart;
    PEM_BODY.exec(text);
    end = PEM_BODY.lastIndex;
  }
  out.push({ start, end, kind: 'private-key' });
  return end;
}

// RFC 6750 b64token: a bearer token may also hold '.', '~' (JWT-like and opaque tokens).
function b64tokenEnd(text: string, end: number): number {
  let e = end;
  for (let c = text.charCodeAt(e); e < text.length && (TOKEN[c] !== 0 || c === 46 || c === 126); c = text.charCodeAt(++e));
  return padEnd(text, e);
}

/** Extends `end` over up to two '=' of base64 padding (outside the run alphabet so `K=v` splits). */
export function padEnd(text: string, end: number): number {
  let e = end;
  while (e < text.length && e < end + 2 && text.charCodeAt(e) === 61) e++;
  return e;
}

/** Values that are obviously not a secret: references, placeholders, our own markers. */
export function isPlaceholder(v: string): boolean {
  if (v.length < 3) return true;
  const c = v.charCodeAt(0);
  // $VAR, ${VAR}, %VAR%, <placeholder>, [REDACTED:...], {{ var }}
  if (c === 36 || c === 37 || c === 60 || c === 91 || v.startsWith('{{')) return true;
  // ****, xxxx, ....: one character repeated
  return /^(.)\1*$/.test(v);
}
