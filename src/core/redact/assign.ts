// The assignment-aware generic rule: `<secret name> <operator> <value>` in every common
// notation (env, shell, JSON, YAML incl. block scalars, TOML, INI, properties, XML
// elements, Go/Java/Kotlin/Rust/TS typed declarations, PHP `.=`, Makefile `?=` `::=`
// `:::=` `+=`, CSV, `setProperty("X_TOKEN", "...")`, CLI flags, `name:`/`value:` pairs).
// The scanner calls it after every token run that a cheap test says may be followed by
// an operator; the operator is parsed first (a few char reads reject nearly every run),
// the name next (names.ts), the value last. Every read is bounded, so each call costs
// O(1) whatever the text.
import { shannon } from './entropy.js';
import { mayBeSecretName, secretName, type SecretName } from './names.js';
import { isPlaceholder } from './placeholder.js';
import { readValue, unquoted, type Value } from './values.js';
import type { Span } from './span.js';

interface Op {
  op: string;
  /** A command-line flag (`--password x`, `--password=x`). */
  flag?: boolean;
  /** Where the value starts (after the operator and any spaces). */
  at: number;
  quotedName: boolean;
  spaced: boolean;
}

// Calls that assign: `.password("...")`, `setToken("...")`, `withApiKey("...")`.
const CALLABLE = /^_?(?:[Aa]pi[_-]?[Kk]ey|[Pp]ass(?:word|wd)?|[Ss]ecret(?:[_-]?[Kk]ey)?|[Tt]oken|[Aa]uth[_-]?[Tt]oken|[Aa]ccess[_-]?[Tt]oken|[Cc]lient[_-]?[Ss]ecret)$/;

// Declared types between a name and `=`, longest first: `token: string =`, `var token string =`.
const TYPES = ["&'static str", 'const char *', 'const char*', 'CharSequence', 'SecureString', 'SecretStr', 'String', 'string', 'Secret', '[]byte', 'bytes', 'char *', 'char*', '&str', 'str'];
const TYPE_FIRST = new Set(TYPES.map((t) => t.charCodeAt(0)));

/** `typed:<index of the =>` when a declared type and `=` follow at j, else null. */
export function typedAt(text: string, j: number): string | null {
  let k = j;
  if (text.charCodeAt(k) === 58) k++;
  while (isSpace(text.charCodeAt(k))) k++;
  if (!TYPE_FIRST.has(text.charCodeAt(k))) return null;
  const type = TYPES.find((t) => text.startsWith(t, k));
  if (!type) return null;
  k += type.length;
  while (isSpace(text.charCodeAt(k))) k++;
  const d = text.charCodeAt(k + 1);
  return text.charCodeAt(k) === 61 && d !== 61 && d !== 62 && d !== 126 ? `typed:${k}` : null;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** The operator after the name text[s, e), or null. `flag` names start with `-`. */
function operatorAfter(text: string, s: number, e: number, flag: boolean, ns: number): Op | null {
  let j = e;
  let c = text.charCodeAt(j);
  if (c === 62 && text.charCodeAt(s - 1) === 60) return { op: 'xml', at: j + 1, quotedName: false, spaced: false };
  let quotedName = false;
  if (c === 34 || c === 39 || c === 96) {
    quotedName = true;
    c = text.charCodeAt(++j);
  } else if (c === 92 && (text.charCodeAt(j + 1) === 34 || text.charCodeAt(j + 1) === 39)) {
    quotedName = true;
    c = text.charCodeAt((j += 2));
  }
  if (quotedName && c === 93) c = text.charCodeAt(++j); // ENV["TOKEN"] = ...
  const before = j;
  while (isSpace(c)) c = text.charCodeAt(++j);
  let spaced = j > before;
  if (flag) {
    if (c === 61) return { op: '=', flag: true, at: skipSpaces(text, j + 1), quotedName, spaced: false };
    return spaced && !Number.isNaN(c) && c !== 45 && c !== 10 && c !== 13 ? { op: ' ', flag: true, at: j, quotedName, spaced } : null;
  }
  let op = '';
  const d = text.charCodeAt(j + 1);
  switch (c) {
    case 61: // =  =>  (not ==, =~)
      if (d === 61 || d === 126) return null;
      op = d === 62 ? '=>' : '=';
      break;
    case 58: // :  :=  ::=  :::=  (not ::, ://) and `name: string = ...`
      if (d === 61) op = ':=';
      else if (d === 58) op = text.startsWith('::=', j) ? '::=' : text.startsWith(':::=', j) ? ':::=' : '';
      else if (d === 47 && text.charCodeAt(j + 2) === 47) return null;
      else op = typedAt(text, j) ?? ':';
      break;
    case 63: // ?=  ??=
      op = d === 61 ? '?=' : d === 63 && text.charCodeAt(j + 2) === 61 ? '??=' : '';
      break;
    case 124: // ||=
      op = d === 124 && text.charCodeAt(j + 2) === 61 ? '||=' : '';
      break;
    case 46: // .=
    case 43: // +=
      op = d === 61 ? (c === 46 ? '.=' : '+=') : '';
      break;
    case 44: // CSV, setProperty("X_TOKEN", "..."); not prose ("the token, which")
      op = quotedName || !isSpace(d) ? ',' : '';
      break;
    case 40: // .password("..."), setToken("...")
      op = !spaced && CALLABLE.test(text.slice(ns, e).replace(/^(?:set|with)(?=[A-Z_])/, '')) ? '(' : '';
      break;
    default: // var token string = "..."
      op = spaced ? (typedAt(text, j) ?? '') : '';
  }
  if (!op) return null;
  if (op.startsWith('typed:')) {
    j = Number(op.slice(6));
    op = '=';
  }
  j += op.length;
  const after = j;
  while (isSpace(text.charCodeAt(j))) j++;
  spaced ||= j > after;
  return { op, at: j, quotedName, spaced };
}

function skipSpaces(text: string, j: number): number {
  while (isSpace(text.charCodeAt(j))) j++;
  return j;
}


// Unquoted values that are type names, literals or code, not secrets.
const NOT_VALUES = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no', 'on', 'off', 'required', 'optional', 'string', 'str',
  'number', 'int', 'integer', 'bool', 'boolean', 'bytes', 'buffer', 'any', 'object', 'unknown', 'void', 'never', 'text',
  'varchar', 'option', 'secret', 'password', 'token', 'redacted', 'new', 'function', 'fn', 'lambda', 'await', 'async',
  'return', 'this', 'self', 'env', 'process', 'os', 'config', 'settings', 'params', 'args', 'props', 'options', 'opts',
  'req', 'request', 'ctx', 'context', 'input', 'value', 'data', 'get', 'set', 'type', 'hidden', 'masked', 'sensitive',
]);
const MAX_NOT_VALUE = Math.max(...[...NOT_VALUES].map((w) => w.length));
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest|ApiKey|Api-Key)[ \t]+/i;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const DOTTED = /^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+(?:\(\)?)?$/;
const CAMEL = /[a-z][A-Z]/;
const TERNARY = /^[A-Za-z_$][\w$]*\?/;
const AWS_SECRET = /^[A-Za-z0-9/+=]{40}$/;
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\//i;
const PATH_VALUE = /^(?:~|\.{1,2})?\/[\w.\/@-]*$|^[A-Za-z]:\\|\.(?:pem|key|crt|cer|pub|p12|pfx|jks|keystore|json|txt|env|ya?ml|gpg|asc|der)$/i;
const COORDINATE = /^[A-Za-z][\w.-]*:[0-9][\w.-]*$/; // io.jsonwebtoken:jjwt-jackson:0.11.2
const WORDS = /^[a-z]+(?:[._-][a-z]+)*$/i; // home.title, my-key-name

function classesIn(v: string): number {
  let u = 0;
  let l = 0;
  let d = 0;
  let o = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 65 && c <= 90) u = 1;
    else if (c >= 97 && c <= 122) l = 1;
    else if (c >= 48 && c <= 57) d = 1;
    else o = 1;
  }
  return u + l + d + o;
}

function switches(v: string): number {
  let n = 0;
  for (let i = 1; i < v.length; i++) if ((v.charCodeAt(i) < 97) !== (v.charCodeAt(i - 1) < 97)) n++;
  return n / v.length;
}

/** A value that could only be a credential, whatever its name says. */
export function credentialLike(v: string): boolean {
  if (v.length < 8 || v.indexOf(' ') >= 0 || WORDS.test(v) || shannon(v) < 2.5) return false;
  const digit = /[0-9]/.test(v);
  const letter = /[A-Za-z]/.test(v);
  return (digit && letter) || (v.length >= 20 && classesIn(v) >= 3 && switches(v) >= 0.3) || (digit && v.length >= 12 && classesIn(v) >= 2);
}

function judge(text: string, op: Op, v: Value, name: string, sn: SecretName): boolean {
  const value = text.slice(v.start, v.end);
  if (isPlaceholder(value)) return false;
  const lower = value.length <= MAX_NOT_VALUE ? value.toLowerCase() : '';
  if (NOT_VALUES.has(lower)) return false;
  if (URL_VALUE.test(value) || PATH_VALUE.test(value)) return false;
  if (op.op === ',') return op.quotedName ? v.quoted && (sn.strength === 'strong' || credentialLike(value)) : credentialLike(value);
  if (op.flag) return credentialLike(value) || (sn.strength === 'strong' && /[^A-Za-z]/.test(value) && !/^-/.test(value));
  if (sn.strength === 'weak') return credentialLike(value);
  if (v.quoted) return true;
  const after = text.charCodeAt(v.end);
  if (DOTTED.test(value)) return false; // a reference: process.env.TOKEN, this.secret, Foo::BAR
  if (TERNARY.test(value)) return false; // minified code: password:i?e.slice(n+1):void 0
  if (COORDINATE.test(value)) return false;
  if (/^(?:0x[0-9a-fA-F]+|[0-9]{1,4})$/.test(value)) return false; // a constant: STENCIL_PASS: 0x0B96, max_token: 4096
  if (IDENT.test(value) && !/[0-9]/.test(value)) {
    // Followed by more words on the line: prose or an expression (`token: used for auth`).
    if ((op.spaced || op.op === ':') && isSpace(after) && /[\w$(]/.test(text[v.end + 1] ?? '')) return false;
    // A bare identifier is a variable in code (`secret = secretValue`, `f(password=pw)`,
    // `{ token: accessToken }`) but a value in env files and YAML (`PASSWORD=hunter`).
    if (after === 40 || after === 91) return false; // a call or an index: getToken(), result[idx]
    if (op.spaced && op.op !== ':') return false;
    if (after === 44 || after === 41) return false; // `,` or `)`: an argument list
    if (op.op === ':' && after === 59) return false; // `;`: a type annotation, `token: TOperator;`
    if (CAMEL.test(value) || value.toLowerCase().includes(sn.word.replace(/[^a-z]/g, ''))) return false;
  }
  return true;
}

function emit(text: string, v: Value, name: string, out: Span[]): true {
  const aws = v.end - v.start === 40 && /aws/i.test(name) && /secret/i.test(name) && AWS_SECRET.test(text.slice(v.start, v.end));
  const kind = aws ? 'aws-secret-key' : 'secret-assignment';
  out.push({ start: v.start, end: v.end, kind });
  return true;
}

/**
 * If the run text[s, e) is a secret-looking name followed by an operator, records the
 * value it is given (as a span over the value only). Returns how far the scanner may
 * skip looking for names (see `covered`), or -1.
 */
export function assignmentAt(text: string, s: number, e: number, out: Span[], skipBefore = -1): number {
  let ns = s;
  while (ns < e && text.charCodeAt(ns) === 45) ns++;
  const flag = ns > s;
  if (ns - s > 2 || !mayBeSecretName(text, ns, e)) return -1;
  // `ENV TOKEN value` in a Dockerfile reads like a flag.
  const docker = !flag && s >= 4 && (text.startsWith('ENV ', s - 4) || text.startsWith('ARG ', s - 4)) && (s === 4 || text.charCodeAt(s - 5) === 10);
  // `${TOKEN:-default}`: a shell parameter expansion, not an assignment.
  if (text.charCodeAt(s - 1) === 123 && text.charCodeAt(s - 2) === 36) return -1;
  const op = operatorAfter(text, s, e, flag || docker, ns);
  if (!op || op.at < skipBefore) return -1;
  const name = text.slice(ns, e);
  // `arn:aws:secretsmanager:...:secret:prod/db`, `urn:x:token:y`: a path of `:` parts.
  if (op.op === ':' && !op.spaced && !op.quotedName && text.charCodeAt(s - 1) === 58) return -1;
  const sn = secretName(name);
  if (!sn) return -1;
  let v = readValue(text, op.op, op.at);
  if (!v) return -1;
  // `Authorization: Bearer <token>`: keep the scheme word, hide the credential.
  if (sn.word === 'authorization' || sn.word === 'auth') {
    const scheme = AUTH_SCHEME.exec(text.slice(v.start, v.start + 16));
    if (scheme) {
      const at = v.start + scheme[0].length;
      v = v.quoted ? { start: at, end: v.end, quoted: true } : unquoted(text, at);
      if (!v || v.end - v.start < 4 || isPlaceholder(text.slice(v.start, v.end))) return v ? covered(v, text) : -1;
      emit(text, v, name, out);
      return covered(v, text);
    }
  }
  const ok = judge(text, op, v, name, sn);
  if (ok) emit(text, v, name, out);
  return covered(v, text);
}

/**
 * How far the scanner may skip looking for assignments whose value would start inside
 * this one: an unquoted value ends at the first terminator, so an assignment inside it
 * (`password=password=...`) can only find a part of it, while reading it again would
 * make a hostile text quadratic. A quoted value's reading stops at its closing quote
 * anyway, and it may hold an assignment of its own (`"x; Password=..."`).
 */
function covered(v: Value, text: string): number {
  if (v.quoted) return -1;
  // A URL's query holds assignments of its own (`?access_token=...`).
  const q = text.slice(v.start, v.end).indexOf('?');
  return q >= 0 ? v.start + q + 1 : v.end;
}

// `name: DB_PASSWORD` ... `value: xyz` (Kubernetes env, NuGet `<add key=... value=...>`,
// JSON `{"name": ..., "value": ...}`): the secret name is itself a value.
const PAIR_BEFORE = /(?:name|key|Name|Key|NAME|KEY)["']?[ \t]*[:=][ \t]*["']?$/;
const PAIR_VALUE = /["']?[ \t]*,?[ \t]*(?:\r?\n[ \t-]*)?["']?(?:value|Value|VALUE)["']?[ \t]*[:=][ \t]*/y;

/** The value paired with a secret name given as a `name`/`key` field; the end of the value read, or -1. */
export function pairAt(text: string, s: number, e: number, out: Span[]): number {
  if (!mayBeSecretName(text, s, e)) return -1;
  if (s < 5 || !PAIR_BEFORE.test(text.slice(Math.max(0, s - 12), s))) return -1;
  const name = text.slice(s, e);
  const sn = secretName(name);
  if (!sn) return -1;
  PAIR_VALUE.lastIndex = e;
  if (!PAIR_VALUE.test(text)) return -1;
  const op: Op = { op: '=', at: PAIR_VALUE.lastIndex, quotedName: true, spaced: false };
  const v = readValue(text, op.op, op.at);
  if (!v) return -1;
  const value = text.slice(v.start, v.end);
  if (isPlaceholder(value) || (value.length <= MAX_NOT_VALUE && NOT_VALUES.has(value.toLowerCase())) || URL_VALUE.test(value)) return covered(v, text);
  if (!v.quoted && !credentialLike(value) && sn.strength === 'weak') return covered(v, text);
  emit(text, v, name, out);
  return covered(v, text);
}
