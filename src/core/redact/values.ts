// Reading a value after an operator: quoted (also with escaped quotes inside JSON text),
// unquoted up to a terminator, an XML element's text, a YAML block scalar's next line.
// Every read is bounded by MAX_VALUE characters, and unquoted ends are memoised so a
// start inside the last value read costs O(1).

function skipSpaces(text: string, j: number): number {
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  return j;
}

/** Where a value lies, and whether it was quoted. */
export interface Value {
  start: number;
  end: number;
  quoted: boolean;
}

// Terminators of an unquoted value: whitespace, quotes, and the punctuation that ends a
// value in shells, query strings, code and connection strings.
const UNQUOTED_END = new Uint8Array(128);
for (const ch of ' \t\r\n\f\v"\'`,;&()[]{}<>') UNQUOTED_END[ch.charCodeAt(0)] = 1;
const MAX_VALUE = 1024;
// `&` ends a value only where it starts the next query parameter or shell command.
const QUERY_NEXT = /^&(?:&|amp;|[\w.\[\]-]{1,32}=|\s|$)/;


// indexOf that gives up after MAX_VALUE characters (a value is never longer).
function boundedIndexOf(text: string, needle: string, from: number): number {
  const at = text.slice(from, from + MAX_VALUE + needle.length).indexOf(needle);
  return at < 0 ? -1 : from + at;
}

function quoted(text: string, pos: number): Value | null {
  const c = text.charCodeAt(pos);
  if (c === 92 && (text.charCodeAt(pos + 1) === 34 || text.charCodeAt(pos + 1) === 39)) {
    // A value quoted with escaped quotes, inside an escaped JSON string: \"value\"
    const close = boundedIndexOf(text, '\\' + text[pos + 1], pos + 2);
    if (close < 0) return null;
    return close > pos + 2 && text.slice(pos + 2, close).indexOf('\n') < 0 ? { start: pos + 2, end: close, quoted: true } : null;
  }
  const start = pos + 1;
  const limit = Math.min(text.length, start + MAX_VALUE);
  for (let i = start; i < limit; i++) {
    const d = text.charCodeAt(i);
    if (d === 10) return null;
    if (d === 92) i++;
    else if (d === c) return i > start ? { start, end: i, quoted: true } : null;
  }
  return null;
}

/** An unquoted value starting at `pos`, up to its first terminator. */
export function unquoted(text: string, pos: number): Value | null {
  const c = text.charCodeAt(pos);
  // Structures and operators: `auth: {`, `token: [`, `secret => (`, end of text.
  if (Number.isNaN(c) || (c < 128 && UNQUOTED_END[c] === 1) || c === 61 || c === 58 || c === 62 || c === 33 || c === 124) return null;
  // A value ends at the first terminator: a start inside the last value read shares its
  // end (when a terminator, not the length limit, ended it), so re-reading is O(1).
  if (text === last.text && pos > last.start && pos < last.end && last.end - last.start < MAX_VALUE) return { start: pos, end: last.end, quoted: false };
  let end = pos;
  const limit = Math.min(text.length, pos + MAX_VALUE);
  while (end < limit) {
    const d = text.charCodeAt(end);
    if (d < 128 && UNQUOTED_END[d] === 1 && (d !== 38 || QUERY_NEXT.test(text.slice(end, end + 40)))) break;
    // An escaped quote or newline ends the value too (`\"...\"` or `\n` inside JSON text).
    if (d === 92 && (text.charCodeAt(end + 1) === 34 || text.charCodeAt(end + 1) === 39 || text.charCodeAt(end + 1) === 110)) break;
    end++;
  }
  if (end === pos) return null;
  last.text = text;
  last.start = pos;
  last.end = end;
  return { start: pos, end, quoted: false };
}
const last = { text: '', start: -1, end: -1 };

// `<xToken>value</xToken>`, the value possibly on its own line.
function xmlValue(text: string, pos: number): Value | null {
  let i = pos;
  const limit = Math.min(text.length, pos + 64);
  while (i < limit && /\s/.test(text[i])) i++;
  const close = boundedIndexOf(text, '<', i);
  if (close < 0 || text.charCodeAt(close + 1) !== 47) return null;
  let end = close;
  while (end > i && /\s/.test(text[end - 1])) end--;
  return end > i && text.slice(i, end).indexOf('\n') < 0 ? { start: i, end, quoted: true } : null;
}

// YAML block scalars: `token: |` or `token: >-` with the value on the next line.
function blockValue(text: string, pos: number): Value | null {
  let i = pos + 1;
  const d = text.charCodeAt(i);
  if (d === 45 || d === 43) i++;
  i = skipSpaces(text, i);
  if (text.charCodeAt(i) === 13) i++;
  if (text.charCodeAt(i) !== 10) return null;
  i = skipSpaces(text, i + 1);
  const v = unquoted(text, i);
  if (v) v.quoted = true;
  return v;
}

/** The value after an operator `op` that ends at `pos`: quoted, unquoted, an XML element's or a YAML block's. */
export function readValue(text: string, op: string, pos: number): Value | null {
  if (op === 'xml') return xmlValue(text, pos);
  const c = text.charCodeAt(pos);
  if (op === ':' && (c === 124 || c === 62)) return blockValue(text, pos);
  if (c === 34 || c === 39 || c === 96 || c === 92) return quoted(text, pos);
  if (op === '(') return null;
  return unquoted(text, pos);
}
