import { GsError } from './errors.js';
import { sanitizeLine } from './sanitize.js';

// Crockford base32, lower case: ids read like git's short hashes and sort by time.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const ID_RE = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** Source of randomness; injectable so tests can pin ids. */
export type RandomBytes = (n: number) => Uint8Array;

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A ULID-shaped id: 48-bit millisecond time then 80 random bits, monotonic within a
 * process (same millisecond increments the random part) so ids sort in creation order.
 */
export function newId(nowMs: number, random: RandomBytes): string {
  let rnd: number[];
  if (nowMs === lastTime) {
    rnd = increment(lastRandom);
  } else {
    const bytes = random(16);
    rnd = Array.from({ length: 16 }, (_, i) => bytes[i] % 32);
  }
  lastTime = nowMs;
  lastRandom = rnd;
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + rnd.map((d) => ALPHABET[d]).join('');
}

function increment(digits: number[]): number[] {
  const out = digits.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] < 31) {
      out[i]++;
      return out;
    }
    out[i] = 0;
  }
  return out;
}

/** The millisecond timestamp encoded in an id. */
export function idTime(id: string): number {
  let t = 0;
  for (const c of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(c);
  return t;
}

/** True for a well-formed full session id. */
export function isId(s: string): boolean {
  return ID_RE.test(s);
}

/** Normalises what a user typed (case, Crockford's I/L/O aliases) for prefix matching. */
export function normalisePrefix(s: string): string {
  return s.toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
}

/** Short form printed to humans; long enough to stay unique in practice (time + 2 random chars). */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/**
 * Resolve a unique prefix against known ids, as git does for short hashes.
 * Throws unknown-session or ambiguous-session (listing candidates).
 */
export function resolvePrefix(prefix: string, ids: Iterable<string>): string {
  const p = normalisePrefix(prefix.trim());
  if (!/^[0-9a-z]+$/.test(p) || p.length > 26) {
    throw new GsError('unknown-session', `not a session id: '${printable(prefix)}'`);
  }
  const hits: string[] = [];
  for (const id of ids) {
    if (id === p) return id;
    if (id.startsWith(p)) hits.push(id);
  }
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) throw new GsError('unknown-session', `no session matches '${p}'`);
  hits.sort();
  const shown = hits.slice(0, 5).join(', ') + (hits.length > 5 ? `, … (${hits.length} in all)` : '');
  throw new GsError('ambiguous-session', `session id '${p}' is ambiguous: ${shown}`, { candidates: hits });
}

/** Makes untrusted text safe to echo in a one-line error (the one sanitizer, newlines escaped too). */
export function printable(s: string): string {
  return sanitizeLine(s);
}
