// Which names say "the value is a secret". A name qualifies when it ends with a secret
// word, optionally followed by a second secret word and a representation suffix:
// `password`, `DB_PASS`, `authToken`, `secret_key_base`, `X-Api-Key`, `SNYK_KEY`,
// `password_confirmation`. Not: `token_count`, `max_tokens`, `author`, `primary_key`,
// `csrf_token`, `CancellationToken`, `jsonwebtoken` (a package, in Maven coordinates).

/** How much a name alone vouches for its value. */
export type Strength = 'strong' | 'weak';

/** The secret word a name ends with, and how strongly it marks the value. */
export interface SecretName {
  word: string;
  strength: Strength;
}

const SECRET_NAME = new RegExp(
  '(?:(authorization)|(passphrase|password|passwd|secret|token|credentials?|creds|api[_-]?key|apikey|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|secret[_-]?key|client[_-]?secret|account[_-]?key|auth[_-]?key)|(pass|pwd|auth|key|pat|psk))' +
    '(?:[_-]?(?:key|token|secret|password|pass|passwd|phrase|pwd))?' +
    '(?:[_-]?(?:value|base|str|string|b64|base64|hex|hash|header|bytes|confirm|confirmation|plain|cleartext|raw|enc|encrypted))?$',
  'gi',
);

// Name parts in front of the secret word that make the name about something else.
const NOT_BEFORE_KEY = new Set([
  'primary', 'foreign', 'public', 'pub', 'sort', 'partition', 'hash', 'range', 'cache', 'row', 'composite', 'unique',
  'idempotency', 'dedup', 'dedupe', 'lookup', 'map', 'dict', 'object', 'group', 'hot', 'short', 'shortcut', 'i18n',
  'translation', 'message', 'msg', 'label', 'column', 'field', 'index', 'sequence', 'schema', 'natural', 'surrogate',
  'bucket', 'react', 'list', 'item', 'node', 'entry', 'search', 'query', 'event', 'metric', 'tag', 'table', 'secondary',
  'parent', 'child', 'next', 'prev', 'cursor', 'page', 'shard', 'routing', 'action', 'command', 'mon', 'tur', 'don',
  'whis', 'joc', 'hoc', 'ssh', 'gpg', 'pgp', 'registry', 'route', 'file', 'path', 'id', 'name', 'type', 'keyboard',
  'sub', 'super', 'verify', 'verification', 'issuer', 'kid', 'jwk', 'jwks', 'x5t', 'dynamo', 'redis', 'publishable', 'site',
  'encryption_key_id', 'idx', 'turkey', 'monkey', 'donkey', 'whiskey', 'jockey', 'hockey',
]);
const NOT_BEFORE_TOKEN = new Set([
  'csrf', 'xsrf', 'next', 'page', 'continuation', 'pagination', 'cursor', 'sync', 'public', 'cancellation', 'cancel',
  'lexer', 'parser', 'design', 'color', 'spacing', 'typography', 'theme', 'eos', 'bos', 'pad', 'unk', 'sep', 'cls',
  'mask', 'special', 'start', 'end', 'stop', 'jsonweb', 'json_web', 'max', 'min', 'num', 'total', 'input', 'output',
  'prompt', 'completion', 'reasoning', 'cached', 'count', 'device', 'push', 'fcm', 'apns', 'registration', 'verify',
  'verification', 'idempotency', 'correlation', 'trace',
]);
const NOT_BEFORE_PASSWORD = new Set([
  'forgot', 'reset', 'change', 'show', 'toggle', 'validate', 'check', 'verify', 'require', 'min', 'max', 'hide', 'no',
  'has', 'is', 'use', 'allow', 'enable', 'disable', 'empty', 'weak', 'strong', 'policy', 'expire', 'expired', 'last',
]);

function partBefore(name: string, at: number): string {
  // The name part just before the word: `SNYK_KEY` -> `snyk`, `primaryKey` -> `primary`.
  let end = at;
  while (end > 0 && (name[end - 1] === '_' || name[end - 1] === '-' || name[end - 1] === '.')) end--;
  let start = end;
  while (start > 0 && /[A-Za-z0-9]/.test(name[start - 1])) {
    start--;
    // camelCase boundary: `primaryKey` starts the part at `p`; `PRIMARY_KEY` at the `_`.
    if (start < end && /[a-z0-9]/.test(name[start - 1] ?? '') && /[A-Z]/.test(name[start])) break;
  }
  return name.slice(start, end).toLowerCase();
}

// Every word a qualifying name can end with (the last alternative the pattern matched).
const LAST_WORDS = [
  'authorization', 'passphrase', 'password', 'passwd', 'secret', 'token', 'credential', 'credentials', 'creds', 'key',
  'pass', 'pwd', 'auth', 'pat', 'psk', 'phrase', 'value', 'base', 'str', 'string', 'b64', 'base64', 'hex', 'hash',
  'header', 'bytes', 'confirm', 'confirmation', 'plain', 'cleartext', 'raw', 'enc', 'encrypted',
];
const ENDINGS = new Set(LAST_WORDS.map((w) => w.charCodeAt(w.length - 2) * 128 + w.charCodeAt(w.length - 1)));

/** A cheap first look: can the name text[s, e) end with a secret word at all? */
export function mayBeSecretName(text: string, s: number, e: number): boolean {
  if (e - s < 3) return false;
  const a = text.charCodeAt(e - 2);
  const b = text.charCodeAt(e - 1);
  return ENDINGS.has((a < 91 && a > 64 ? a | 32 : a) * 128 + (b < 91 && b > 64 ? b | 32 : b));
}

// Names repeat (JSON keys, config keys): remember the last few thousand answers.
const memo = new Map<string, SecretName | null>();

/** The secret word `name` ends with (lower case) and its strength, or null. */
export function secretName(name: string): SecretName | null {
  if (name.length > 80) return null;
  const known = memo.get(name);
  if (known !== undefined) return known;
  if (memo.size >= 4096) memo.clear();
  const answer = judgeName(name);
  memo.set(name, answer);
  return answer;
}

function judgeName(name: string): SecretName | null {
  SECRET_NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SECRET_NAME.exec(name)) !== null) {
    const at = m.index;
    const prev = at === 0 ? 0 : name.charCodeAt(at - 1);
    const startsPart = at === 0 || prev === 95 || prev === 45 || prev === 46 || prev === 47 || (prev >= 97 && prev <= 122 && m[0].charCodeAt(0) <= 90) || (prev >= 48 && prev <= 57);
    const word = (m[1] ?? m[2] ?? m[3]).toLowerCase();
    const before = partBefore(name, at);
    const base = word.replace(/[^a-z]/g, '');
    if (m[3] !== undefined) {
      // Short words must start a name part: `db_pass`, `dbPass`, not `bypass`, `oldpwd`, `monkey`.
      if (!startsPart) {
        SECRET_NAME.lastIndex = at + 1;
        continue;
      }
      if (base === 'key' && (at === 0 || NOT_BEFORE_KEY.has(before))) return null;
      if (base === 'pat' && at === 0) return null;
      if (base === 'pwd' && /^(?:old)?pwd$/i.test(name)) return null; // the shell's working directory
      return { word, strength: base === 'key' || base === 'pat' || base === 'psk' ? 'weak' : 'strong' };
    }
    if (base === 'token' && NOT_BEFORE_TOKEN.has(before)) return null;
    if (base === 'token' && !startsPart && NOT_BEFORE_TOKEN.has(name.slice(0, at).toLowerCase().replace(/[^a-z]/g, ''))) return null;
    if ((base === 'password' || base === 'passwd') && NOT_BEFORE_PASSWORD.has(before)) return null;
    return { word, strength: 'strong' };
  }
  return null;
}
