// Secret redaction for everything imported or recorded, before it reaches the object store.
//
// Rules are data: prefixed formats are rows in tokens.ts (prefix, body alphabet, length
// bounds, optional shape, entropy floor, classes to mix, public-by-design flag);
// structured formats (URLs, PEM, JWT, curl -u, mysql -p, Kubernetes Secrets...) live in
// structured.ts, pem.ts and k8s.ts; the assignment-aware generic rule in assign.ts and
// names.ts; placeholders in placeholder.ts; random-looking strings in entropy.ts.
//
// Engine, decided by measurement (2-core VM shared with other jobs, Node 20):
//   RE2JS (pure-JS RE2), a union of the rules      1.2-1.6 MB/s
//   re2-wasm, the same union, one test() call      ~12 MB/s (copies the whole input into
//                                                  wasm on every exec(): a global match
//                                                  loop is quadratic in the matches)
//   JS RegExp, the same union                      ~200 MB/s, but can backtrack
// Neither RE2 port is fast enough for the hot path (goal >= 50 MB/s on typical text), so
// there is no regex over unbounded text at all: one charCode loop (scan.ts) finds the
// runs of the token alphabet and hands each to position checks. Prefixed tokens are
// measured as class runs that are cached (classes.ts: a later prefix inside a measured
// run costs O(1)), each rule judges at most one candidate per run, and every sticky
// regex that remains runs on a candidate already cut to a bounded length or stops at a
// character its class excludes. So the scan is linear in the text whatever the text:
// bench/redact-adversarial.ts repeats every rule's prefix and near miss a megabyte long.
// `npm run bench -- redact` prints recall and false alarms per family on the generated
// corpus (bench/redact-corpus.ts) and MB/s on typical text and on every hostile input.
//
// secretlint (maintained rules, async, 12-40x slower per message) is not on the hot path;
// it stays as the reference in test/redact/secretlint.test.ts: every secret it finds in
// our samples and fixtures must also be found here, and nothing in our output.
//
// Git object ids (40/64 hex) and UUIDs are never flagged by the entropy check (see
// entropy.ts for why and what that costs).
import { PUBLIC } from './prefixed.js';
import { scan } from './scan.js';
import type { Span } from './span.js';
import { TOKEN_KINDS } from './tokens.js';

export type { Span } from './span.js';

/** What `redact` returns: the safe text and the kinds of secret it replaced (sorted, unique). */
export interface RedactResult {
  text: string;
  kinds: string[];
}

/** Replaces secrets in text with `[REDACTED:<kind>]` markers. */
export interface Redactor {
  redact(text: string): RedactResult;
}

/** Tuning knobs; the defaults are what the importer uses. */
export interface RedactorOptions {
  /** Flag long random-looking strings with no known format (default true). */
  entropy?: boolean;
}

/** Every kind a marker can name, most specific first (the order breaks ties on overlap). */
export const SECRET_KINDS: readonly string[] = [
  'private-key',
  ...TOKEN_KINDS,
  'slack-webhook',
  'discord-webhook',
  'azure-client-secret',
  'terraform-token',
  'telegram-token',
  'jwt',
  'kubernetes-secret',
  'url-password',
  'basic-auth',
  'bearer-token',
  'aws-secret-key',
  'secret-assignment',
  'high-entropy',
];


const RANK = new Map<string, number>(SECRET_KINDS.map((k, i) => [k, i]));

/** The marker that replaces a secret of `kind`. */
export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** All secret spans in `text`, unsorted and possibly overlapping. */
export function findSecrets(text: string, opts: RedactorOptions = {}): Span[] {
  const spans = scan(text, opts.entropy !== false);
  if (!spans.some((s) => s.kind === PUBLIC)) return spans;
  // Public-by-design tokens (a Firebase `AIza...` key, `pk_live_...`) shield their text
  // from the other rules (`apiKey: "AIza..."` is an assignment too).
  const shields = spans.filter((s) => s.kind === PUBLIC).sort((a, b) => a.start - b.start);
  return spans.filter((s) => s.kind !== PUBLIC && !overlapsAny(shields, s));
}

function overlapsAny(sorted: Span[], s: Span): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= s.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].start < s.end;
}

/**
 * The secrets in `text` as sorted, non-overlapping spans; where rules overlap, one span
 * covers them all and keeps the most specific kind.
 */
export function mergedSecrets(text: string, opts: RedactorOptions = {}): Span[] {
  if (text.length < 6) return [];
  const spans = findSecrets(text, opts);
  if (spans.length === 0) return spans;
  // The scanner emits spans nearly in order: sort only when it has to.
  let ordered = true;
  for (let i = 1; i < spans.length && ordered; i++) ordered = spans[i - 1].start < spans[i].start || (spans[i - 1].start === spans[i].start && spans[i - 1].end >= spans[i].end);
  if (!ordered) spans.sort((a, b) => a.start - b.start || b.end - a.end);
  // The spans are fresh from this scan: merge them in place.
  let n = 0;
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i];
    const cur = spans[n];
    if (s.start < cur.end) {
      if (s.end > cur.end) cur.end = s.end;
      if (s.kind !== cur.kind && rank(s.kind) < rank(cur.kind)) cur.kind = s.kind;
    } else {
      spans[++n] = s;
    }
  }
  spans.length = n + 1;
  return spans;
}

/** Redacts `text` with the given options; the pure function behind every Redactor. */
export function redactText(text: string, opts: RedactorOptions = {}): RedactResult {
  const merged = mergedSecrets(text, opts);
  if (merged.length === 0) return { text, kinds: [] };
  const parts: string[] = [];
  let at = 0;
  const kinds = new Set<string>();
  for (const s of merged) {
    parts.push(text.slice(at, s.start), markerOf(s.kind));
    at = s.end;
    kinds.add(s.kind);
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), kinds: [...kinds].sort() };
}

function rank(kind: string): number {
  return RANK.get(kind) ?? SECRET_KINDS.length;
}

const MARKERS = new Map<string, string>();
function markerOf(kind: string): string {
  let m = MARKERS.get(kind);
  if (m === undefined) MARKERS.set(kind, (m = marker(kind)));
  return m;
}


/** What `detect` reports: whether text holds a secret, which kinds, and where. */
export interface Detection {
  found: boolean;
  kinds: string[];
  spans: Span[];
}

/**
 * Whether `text` contains a secret, without building the redacted text: for warning
 * about a file a snapshot adds, or recognising a secret file by its content. Files hold
 * many long random-looking strings that are not secrets (fixtures, lockfiles, minified
 * code), so callers scanning files may want `{ entropy: false }`.
 */
export function detect(text: string, opts: RedactorOptions = {}): Detection {
  const spans = mergedSecrets(text, opts);
  const kinds = [...new Set(spans.map((s) => s.kind))].sort();
  return { found: spans.length > 0, kinds, spans };
}

/** A synchronous Redactor (everything here is pure and precompiled). */
export function createRedactorSync(opts: RedactorOptions = {}): Redactor {
  return { redact: (text: string) => redactText(text, opts) };
}

/**
 * The Redactor the importer and `record` use. Async so a future rule set that must load
 * (e.g. secretlint on a slow, thorough path) can slot in without changing callers.
 */
export async function createRedactor(opts: RedactorOptions = {}): Promise<Redactor> {
  return createRedactorSync(opts);
}
