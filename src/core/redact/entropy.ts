// The fallback detector for secrets with no known prefix: long runs of a base64-ish
// alphabet that look random. Random strings and code identifiers overlap in raw Shannon
// entropy (a 38-char camelCase Java name reaches ~4.3 bits/char, a random 32-char alnum
// key can score 4.2), so entropy alone is not enough. Two cheap structural signals
// separate them well: random text switches character class (upper/lower/digit) on
// ~60% of adjacent pairs while identifiers switch only at word boundaries (~15-30%),
// and random keys of this length almost always mix letters and digits.
//
// Deliberately NOT flagged, because git tooling prints them everywhere and they are not
// secrets: hex-only runs of any length (40-hex object ids, 64-hex sha256 digests, short
// hashes) and hex-with-dashes (UUIDs). The cost: a bare hex secret with no context is
// missed here; hex secrets written as `NAME=value` are still caught by the assignment
// rule, and prefixed hex tokens by their prefix rule.

/** Minimum run length judged by the entropy detector (shorter random strings are too noisy). */
export const MIN_ENTROPY_LEN = 32;

const counts = new Int32Array(128);
const seen = new Uint8Array(128);

/** Shannon entropy in bits per character over the ASCII characters of `s`. */
export function shannon(s: string): number {
  const n = s.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) & 127;
    if (counts[c]++ === 0) seen[k++] = c;
  }
  let h = 0;
  for (let j = 0; j < k; j++) {
    const c = seen[j];
    const p = counts[c] / n;
    h -= p * Math.log2(p);
    counts[c] = 0;
  }
  return h;
}

// Class codes: 1 upper, 2 lower, 3 digit, 0 other (_ - + / =).
function cls(c: number): number {
  if (c >= 65 && c <= 90) return 1;
  if (c >= 97 && c <= 122) return 2;
  if (c >= 48 && c <= 57) return 3;
  return 0;
}

function isHexish(s: string): boolean {
  // Hex digits of one case plus dashes: git ids, digests, UUIDs.
  return /^[0-9a-f-]+$/.test(s) || /^[0-9A-F-]+$/.test(s);
}

/**
 * Entropy threshold for a string of length n: random base64/alnum strings of length 32
 * score ≥ 4.08 in 99.9% of draws and the expectation grows with length; identifiers
 * rarely pass 4.0 and never pass the transition test as well.
 */
function threshold(n: number): number {
  return n >= 48 ? 4.2 : n >= 40 ? 4.0 : 3.8;
}

/** True when `s` (a run of the token alphabet) looks like a random secret rather than a name. */
export function looksRandom(s: string): boolean {
  const n = s.length;
  if (n < MIN_ENTROPY_LEN) return false;
  if (isHexish(s)) return false;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let switches = 0;
  let pairs = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const k = cls(s.charCodeAt(i));
    if (k === 1) upper++;
    else if (k === 2) lower++;
    else if (k === 3) digit++;
    if (k !== 0 && prev !== 0) {
      pairs++;
      if (k !== prev) switches++;
    }
    if (k !== 0) prev = k;
  }
  const letters = upper + lower;
  if (!digit || !letters) return false;
  // A single-case alphabet (base32, lower-case base36) has fewer classes to switch between.
  const mixed = upper > 0 && lower > 0;
  const minSwitch = mixed ? 0.4 : 0.3;
  if (pairs === 0 || switches / pairs < minSwitch) return false;
  return shannon(s) >= threshold(n);
}
