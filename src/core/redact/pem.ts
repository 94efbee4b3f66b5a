// PEM blocks: private keys are redacted whole (BEGIN through END, or through the body
// of a truncated block); certificates and public keys are public, and their body lines
// are spared the entropy check.
import type { Span } from './span.js';

const PEM_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_END_LINE = /-----END[A-Z0-9 ]{0,60}-----/y;
// A truncated block (no END line): the body lines after BEGIN (base64, or the
// Proc-Type/DEK-Info headers), each after a real or an escaped newline, up to the first
// line that is neither. Every repetition consumes a newline, so this cannot backtrack.
const PEM_BODY = /(?:(?:\r?\n|\\r\\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]+(?=[\r\n\\"'`]|$)|(?:Proc-Type|DEK-Info):[ \w,-]*|(?=\r?\n)))*/y;
const PUBLIC_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE(?: REQUEST)?|PUBLIC KEY BLOCK)-----/y;
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

/** End of a certificate or public key block starting at `s`, or -1. */
export function publicBlockEnd(text: string, s: number, ends: EndFinder): number {
  PUBLIC_BEGIN.lastIndex = s;
  if (!PUBLIC_BEGIN.test(text)) return -1;
  const end = ends.next(PUBLIC_BEGIN.lastIndex);
  return end < 0 || end - s > PEM_MAX ? -1 : end + 8;
}
