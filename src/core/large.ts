// Large values inside events (issue 8, item 8): a chunk stays within its limit whatever
// one event weighs. When an event's JSON line would exceed LARGE_LINE bytes, its longest
// strings are stored as blobs of their own; the line keeps each one's first LARGE_PREFIX
// characters followed by a marker naming the blob and the whole size, and lists them in
// `large` (JSON pointer, blob id, bytes). The stub is still a string, so the event keeps
// its schema, and any reader (an older version too) shows the prefix and how to get the
// rest; `show --full` / `log --full` put the whole text back (inflateLarge).
import { LARGE_LINE, LARGE_PREFIX } from './layout.js';

/** Where one stored-apart string was, in which blob, and how many bytes it has. */
export interface LargeRef {
  /** JSON pointer (RFC 6901) into the event, e.g. `/text` or `/rejected/2/reason`. */
  path: string;
  blob: string;
  bytes: number;
}

/** A string moved out of an event line: its blob's text. */
export interface LargePart {
  oid: string;
  text: string;
}

// Fields that identify the event: never moved out.
const KEEP = new Set(['/id', '/ts', '/kind']);
// A string is moved only when that saves a good share of its size.
const WORTH = LARGE_PREFIX + 256;

interface Leaf {
  path: string;
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  text: string;
}

function escapeToken(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

function leaves(value: unknown, path: string, out: Leaf[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push({ path: `${path}/${i}`, holder: value, key: i, text: v });
      else leaves(v, `${path}/${i}`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = `${path}/${escapeToken(k)}`;
      if (p === '/large') continue;
      if (typeof v === 'string') out.push({ path: p, holder: value as Record<string, unknown>, key: k, text: v });
      else leaves(v, p, out);
    }
  }
}

/** The first `n` UTF-16 units of `s`, never ending inside a surrogate pair. */
function prefix(s: string, n: number): string {
  const cut = s.slice(0, n);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** What a stored-apart string reads as in the line: its prefix, then where the whole is. */
export function stubText(text: string, oid: string, bytes: number): string {
  return `${prefix(text, LARGE_PREFIX)}… [${bytes.toLocaleString('en')} bytes in all: git cat-file blob ${oid}]`;
}

/**
 * The line to store for an event given as its JSON `line`: the line itself when it fits
 * LARGE_LINE bytes, else the event with its longest strings (never id, ts, kind) replaced
 * by stubs until it fits (or nothing long is left), and the texts to store as blobs.
 * `blobId` names a text's blob (git's id of it).
 */
export function splitLarge(line: string, blobId: (text: string) => string): { line: string; parts: LargePart[] } {
  if (Buffer.byteLength(line) <= LARGE_LINE) return { line, parts: [] };
  const ev = JSON.parse(line) as Record<string, unknown>;
  if (!ev || typeof ev !== 'object' || Array.isArray(ev)) return { line, parts: [] };
  const found: Leaf[] = [];
  leaves(ev, '', found);
  found.sort((a, b) => b.text.length - a.text.length);
  let size = Buffer.byteLength(line);
  const refs: LargeRef[] = Array.isArray(ev.large) ? (ev.large as LargeRef[]).slice() : [];
  const parts: LargePart[] = [];
  for (const leaf of found) {
    if (size <= LARGE_LINE || leaf.text.length < WORTH) break;
    if (KEEP.has(leaf.path)) continue;
    const bytes = Buffer.byteLength(leaf.text);
    const oid = blobId(leaf.text);
    const stub = stubText(leaf.text, oid, bytes);
    (leaf.holder as Record<string | number, unknown>)[leaf.key] = stub;
    size -= bytes - Buffer.byteLength(stub);
    refs.push({ path: leaf.path, blob: oid, bytes });
    parts.push({ oid, text: leaf.text });
  }
  if (!parts.length) return { line, parts: [] };
  ev.large = refs;
  return { line: JSON.stringify(ev), parts };
}

/** How many stored-apart strings a stored line points at (cheap: no parse), for chunk bounds. */
export function largeCount(line: string): number {
  const at = line.indexOf('"large":[');
  if (at < 0) return 0;
  let n = 0;
  for (let i = line.indexOf('"blob":"', at); i >= 0; i = line.indexOf('"blob":"', i + 1)) n++;
  return n;
}

/** The well-formed `large` references of a stored event (anything else is ignored). */
export function largeRefs(ev: unknown): LargeRef[] {
  const list = (ev as { large?: unknown })?.large;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is LargeRef =>
      !!r && typeof r === 'object' && typeof r.path === 'string' && r.path.startsWith('/') && typeof r.blob === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(r.blob) && typeof r.bytes === 'number',
  );
}

/**
 * The event with every stored-apart string put back from `texts` (blob id → text) and
 * `large` removed; a reference whose place no longer holds a string, or whose blob is
 * missing, stays a stub (and stays listed).
 */
export function inflateLarge<T>(ev: T, texts: Map<string, string>): T {
  const refs = largeRefs(ev);
  if (!refs.length) return ev;
  const copy = structuredClone(ev) as Record<string, unknown>;
  const left: LargeRef[] = [];
  for (const r of refs) {
    const text = texts.get(r.blob);
    const tokens = r.path.slice(1).split('/').map(unescapeToken);
    let holder: unknown = copy;
    for (const t of tokens.slice(0, -1)) holder = holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[t] : undefined;
    const key = tokens[tokens.length - 1];
    if (text === undefined || !holder || typeof holder !== 'object' || typeof (holder as Record<string, unknown>)[key] !== 'string' || key === '__proto__') {
      left.push(r);
      continue;
    }
    (holder as Record<string, unknown>)[key] = text;
  }
  if (left.length) copy.large = left;
  else delete copy.large;
  return copy as T;
}
