// `NAME=value`, `"name": "value"`, `name: value`, `'name' => 'value'` where the name says
// "secret". The scanner calls this after every token run (a name candidate); the cheap
// separator test rejects almost all runs before any regex runs, and the rules about
// names and values are plain code, easier to read and to test than one giant regex.
import { isPlaceholder, type Span } from './rules.js';

// A secret word ending the name, optionally followed by a second secret word and a
// representation suffix: `password`, `DB_PASS`, `authToken`, `secret_key_base`,
// `X-Api-Key`, `password_confirmation`. Not: `token_count`, `max_tokens`, `author`.
const SECRET_NAME = new RegExp(
  '(?:(authorization)|(passphrase|password|passwd|secret|token|credentials?|api[_-]?key|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|client[_-]?secret)|(pass|pwd|auth))' +
    '(?:[_-]?(?:key|token|secret|password|pass|passwd|phrase|pwd))?' +
    '(?:[_-]?(?:value|base|str|string|b64|hex|hash|header|bytes|confirm|confirmation))?$',
  'gi',
);

// Unquoted values that are type names or literals, not secrets (`token: string`).
const NOT_VALUES = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no', 'on', 'off', 'required', 'optional',
  'string', 'str', 'number', 'int', 'integer', 'bool', 'boolean', 'bytes', 'buffer', 'any', 'object',
  'unknown', 'void', 'never', 'text', 'varchar', 'option', 'secret', 'password', 'token', 'redacted',
]);

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest)[ \t]+/i;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const CAMEL = /[a-z][A-Z]/;
const TERNARY = /^[A-Za-z_$][\w$]*\?/;
const AWS_SECRET = /^[A-Za-z0-9/+=]{40}$/;

/**
 * If the run text[start, end) is a secret-looking name followed by `=`, `:`, `=>` or
 * `:=`, the value it is given (as a span over the value only); returns whether it was.
 */
export function assignmentAt(text: string, start: number, end: number, out: Span[]): boolean {
  // Separator first: it rejects nearly every run, and costs a few char reads.
  let j = end;
  let c = text.charCodeAt(j);
  if (c === 34 || c === 39 || c === 96) c = text.charCodeAt(++j);
  else if (c === 92 && (text.charCodeAt(j + 1) === 34 || text.charCodeAt(j + 1) === 39)) c = text.charCodeAt((j += 2));
  const beforeSep = j;
  while (c === 32 || c === 9) c = text.charCodeAt(++j);
  let sep: string;
  if (c === 61) {
    const d = text.charCodeAt(j + 1);
    if (d === 61) return false; // ==
    sep = d === 62 ? '=>' : '=';
  } else if (c === 58) {
    const d = text.charCodeAt(j + 1);
    if (d === 58) return false; // Token::new
    sep = d === 61 ? ':=' : ':';
  } else {
    return false;
  }
  // Whitespace around the separator is code style (`secret = value`), not env style.
  let spaced = j > beforeSep;
  j += sep.length;
  const afterSep = j;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  spaced ||= j > afterSep;
  const name = text.slice(start, end);
  const keyword = secretWord(text, start, name);
  if (!keyword) return false;
  if (/^(?:old)?pwd$/i.test(name)) return false; // the shell's working directory
  return judge(text, j, name, keyword, sep, spaced, out);
}

// The secret word the name ends with (lower case), or '' when it has none that counts.
function secretWord(text: string, start: number, name: string): string {
  SECRET_NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SECRET_NAME.exec(name)) !== null) {
    if (m[3] === undefined) return (m[1] ?? m[2]).toLowerCase();
    // Short words must start a name part: `db_pass`, `dbPass`, not `bypass`/`oldpwd`.
    const at = start + m.index;
    const prev = m.index === 0 ? 0 : text.charCodeAt(at - 1);
    const camel = prev >= 97 && prev <= 122 && m[3].charCodeAt(0) <= 90;
    if (m.index === 0 || camel || prev === 95 || prev === 45) return m[3].toLowerCase();
    SECRET_NAME.lastIndex = m.index + 1;
  }
  return '';
}

function judge(text: string, pos: number, name: string, keyword: string, sep: string, spaced: boolean, out: Span[]): boolean {
  let v = readValue(text, pos);
  if (!v) return false;
  // `Authorization: Bearer <token>`: keep the scheme word, hide the credential.
  if (keyword === 'authorization' || keyword === 'auth') {
    const scheme = AUTH_SCHEME.exec(text.slice(v.start, v.start + 16));
    if (scheme) {
      const at = v.start + scheme[0].length;
      v = v.quoted ? { start: at, end: v.end, quoted: true } : readValue(text, at);
      if (!v || v.end <= v.start) return false;
    }
  }
  const value = text.slice(v.start, v.end);
  if (isPlaceholder(value)) return false;
  const lower = value.toLowerCase();
  if (NOT_VALUES.has(lower)) return false;
  if (!v.quoted) {
    const after = text.charCodeAt(v.end);
    if (DOTTED.test(value)) return false; // a reference: process.env.TOKEN, this.secret
    if (TERNARY.test(value)) return false; // minified code: password:i?e.slice(n+1):void 0
    if (/^(?:0x[0-9a-fA-F]+|[0-9]{1,4})$/.test(value)) return false; // a constant: STENCIL_PASS: 0x0B96, max_token: 4096
    if (IDENT.test(value) && !/[0-9]/.test(value)) {
      // A bare identifier is a variable in code (`secret = secretValue`, `f(password=pw)`,
      // `{ token: accessToken }`) but a value in env files and YAML (`PASSWORD=hunter`).
      if (after === 40 || after === 91) return false; // a call or an index: getToken(), result[idx]
      if (spaced && sep !== ':') return false;
      if (after === 44 || after === 41) return false; // `,` or `)`: an argument list
      if (sep === ':' && after === 59) return false; // `;`: a type annotation, `token: TOperator;`
      if (CAMEL.test(value) || lower.includes(keyword.replace(/[^a-z]/g, ''))) return false;
    }
  }
  const kind = /aws/i.test(name) && /secret/i.test(name) && AWS_SECRET.test(value) ? 'aws-secret-key' : 'secret-assignment';
  out.push({ start: v.start, end: v.end, kind });
  return true;
}

interface Value {
  start: number;
  end: number;
  quoted: boolean;
}

// Terminators of an unquoted value: whitespace, quotes, and the punctuation that ends a
// value in shells, query strings, code and connection strings.
const UNQUOTED_END = new Uint8Array(128);
for (const ch of ' \t\r\n\f\v"\'`,;&()[]{}<>') UNQUOTED_END[ch.charCodeAt(0)] = 1;

function readValue(text: string, pos: number): Value | null {
  const c = text.charCodeAt(pos);
  if (c === 92 && (text.charCodeAt(pos + 1) === 34 || text.charCodeAt(pos + 1) === 39)) {
    // A value quoted with escaped quotes, inside an escaped JSON string: \"value\"
    const close = text.indexOf('\\' + text[pos + 1], pos + 2);
    if (close < 0 || close - pos > 1024) return null;
    return close > pos + 2 && text.slice(pos + 2, close).indexOf('\n') < 0 ? { start: pos + 2, end: close, quoted: true } : null;
  }
  if (c === 34 || c === 39 || c === 96) {
    const start = pos + 1;
    const limit = Math.min(text.length, start + 1024);
    for (let i = start; i < limit; i++) {
      const d = text.charCodeAt(i);
      if (d === 10) return null;
      if (d === 92) i++;
      else if (d === c) return i > start ? { start, end: i, quoted: true } : null;
    }
    return null;
  }
  // Structures and operators: `auth: {`, `token: [`, `secret => (`, end of text.
  if (Number.isNaN(c) || c < 128 && UNQUOTED_END[c] === 1 || c === 61 || c === 58 || c === 62 || c === 33 || c === 124) return null;
  let end = pos;
  const limit = Math.min(text.length, pos + 512);
  while (end < limit) {
    const d = text.charCodeAt(end);
    if (d < 128 && UNQUOTED_END[d] === 1) break;
    // An escaped quote ends the value too: `\"Authorization: Bearer abc\"` inside JSON text.
    if (d === 92 && (text.charCodeAt(end + 1) === 34 || text.charCodeAt(end + 1) === 39)) break;
    end++;
  }
  return end > pos ? { start: pos, end, quoted: false } : null;
}
