// Secret formats with a recognisable shape. Two families:
//  - prefixed tokens (ghp_, AKIA, sk-ant-, ...): found by classifying the long runs of the
//    token alphabet that the main scan already extracts, so they cost nothing extra on
//    text without long runs;
//  - structured secrets (PEM blocks, URL passwords, webhooks, JWTs, ...): each behind a
//    literal trigger checked with indexOf, so text without the trigger skips the regex.

/** A half-open range of the input to replace, and the kind of secret it held. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** The token alphabet: base64, base64url, and the separators token formats use. */
export const TOKEN_CHAR = 'A-Za-z0-9_+/\\-';

/**
 * Runs of ≥ 20 token characters that start at a run boundary. 20 is the shortest
 * prefixed secret we know (an AWS access key id); the lookbehind makes every position
 * inside a word fail after one character, which is what keeps the scan near memchr speed.
 */
export const TOKEN_RUN = new RegExp(`(?<![${TOKEN_CHAR}])[${TOKEN_CHAR}]{20,}`, 'g');

// Prefixed tokens, tried inside a run at positions that follow a non-alphanumeric
// character (or the run's start), so `task-...` never reads as an OpenAI `sk-...` key.
const PREFIXED: { kind: string; re: string }[] = [
  { kind: 'aws-access-key', re: '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])' },
  { kind: 'github-token', re: 'gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{40,255}' },
  { kind: 'slack-token', re: 'xox[abposre]-(?:[0-9]+-)?[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}' },
  { kind: 'anthropic-key', re: 'sk-ant-[A-Za-z0-9]{2,12}-[A-Za-z0-9_-]{20,}' },
  { kind: 'openai-key', re: 'sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{32,}' },
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

const PREFIX_RE = new RegExp(
  `(?<![A-Za-z0-9])(?:${PREFIXED.map((p, i) => `(?<k${i}>${p.re})`).join('|')})`,
  'g',
);

/** Prefixed secrets inside one token run, as spans relative to the whole text (`base`). */
export function prefixedIn(run: string, base: number, out: Span[]): boolean {
  PREFIX_RE.lastIndex = 0;
  let found = false;
  let m: RegExpExecArray | null;
  while ((m = PREFIX_RE.exec(run)) !== null) {
    const g = m.groups!;
    for (let i = 0; i < PREFIXED.length; i++) {
      if (g[`k${i}`] !== undefined) {
        out.push({ start: base + m.index, end: base + m.index + m[0].length, kind: PREFIXED[i].kind });
        found = true;
        break;
      }
    }
  }
  return found;
}

/** Cheap first test for the prefixed family: none of these substrings, no prefixed token. */
export const PREFIX_HINTS = /AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|A3T|gh[pousr]_|github_pat_|xox|xapp-|sk-|sk_|rk_|whsec_|AIza|GOCSPX-|npm_|glpat-|hf_|pypi-|shp|lin_api_|ops_ey|do[opr]_v1_/;

interface Structured {
  kind: string;
  /** Literal that must occur (case-sensitive) for the regex to be worth running. */
  trigger: string;
  re: RegExp;
  /** Which capture group to replace; 0 (default) replaces the whole match. */
  group?: number;
}

// URL userinfo: scheme://user:password@host. The password group is greedy up to the last
// '@' before the path, so a password containing '@' is still covered whole.
const URL_PASSWORD = /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:@/?#"'`<>]{1,256}:([^\s/?#"'`<>]{1,512})@[^\s@/?#"'`<>]/dg;

const STRUCTURED: Structured[] = [
  { kind: 'url-password', trigger: '://', re: URL_PASSWORD, group: 1 },
  {
    kind: 'slack-webhook',
    trigger: 'hooks.slack.com',
    re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/+-]{8,})/dg,
    group: 1,
  },
  {
    kind: 'discord-webhook',
    trigger: '/api/webhooks/',
    re: /discord(?:app)?\.com\/api\/webhooks\/([0-9]{5,30}\/[A-Za-z0-9_-]{20,})/dg,
    group: 1,
  },
  { kind: 'jwt', trigger: 'eyJ', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'sendgrid-key', trigger: 'SG.', re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g },
  { kind: 'bearer-token', trigger: 'earer', re: /\b[Bb]earer\s+([A-Za-z0-9._~+/-]{16,}=*)/dg, group: 1 },
];

/** Structured secrets other than private keys and assignments, appended to `out`. */
export function structuredIn(text: string, out: Span[]): void {
  for (const s of STRUCTURED) {
    if (text.indexOf(s.trigger) < 0) continue;
    s.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = s.re.exec(text)) !== null) {
      const g = s.group ?? 0;
      if (g && isPlaceholder(m[g])) continue;
      // 'd' flag: exact offsets of the capture group.
      const [start, end] = m.indices![g];
      out.push({ start, end, kind: s.kind });
    }
  }
}

const PEM_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
// A truncated block (no END line): the base64 body, headers and escaped newlines after BEGIN.
const PEM_BODY = /[A-Za-z0-9+/=\s\\:,.-]*/y;

/** Private key blocks, BEGIN through END (or through the body when END is missing). */
export function privateKeysIn(text: string, out: Span[]): void {
  if (text.indexOf('PRIVATE KEY') < 0) return;
  PEM_BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text)) !== null) {
    const start = m.index;
    PEM_END.lastIndex = start + m[0].length;
    const e = PEM_END.exec(text);
    let end: number;
    if (e && e.index - start < 64 * 1024) {
      end = e.index + e[0].length;
    } else {
      PEM_BODY.lastIndex = start + m[0].length;
      PEM_BODY.exec(text);
      end = PEM_BODY.lastIndex;
    }
    out.push({ start, end, kind: 'private-key' });
    PEM_BEGIN.lastIndex = end;
  }
}

/** Values that are obviously not a secret: references, placeholders, our own markers. */
export function isPlaceholder(v: string): boolean {
  if (v.length < 3) return true;
  const c = v.charCodeAt(0);
  // $VAR, ${VAR}, %VAR%, {{ var }}, <placeholder>, [REDACTED:...]
  if (c === 36 || c === 37 || c === 60 || c === 91 || v.startsWith('{{')) return true;
  // ****, xxxx, ....: one character repeated
  if (/^(.)\1*$/.test(v)) return true;
  return false;
}
