// Values that look like a secret's slot but are not a secret: documentation
// placeholders (`<your-token>`, `xxxx`, `AKIAIOSFODNN7EXAMPLE`, `changeme`), references
// to one held elsewhere (`${VAR}`, `$VAR`, `%VAR%`, `{{ secrets.X }}`), masks (`****`)
// and our own markers. Redacting them would be a false alarm, and missing a real secret
// because of them is unlikely: a random secret does not contain `example` or `xxxx`.

// References and templates: the whole value is a variable, never a literal.
const REFERENCE = [
  /^\$\{[^}\n]*\}$/, // ${VAR}, ${{ secrets.X }}
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^\$\([^)\n]*\)$/, // $(command)
  /^%[A-Za-z_][A-Za-z0-9_.]*%$/, // %VAR%
  /^\{\{.*\}\}$/, // {{ .Values.token }}
  /^#\{[^}\n]*\}$/, // #{interpolation}
  /^@[A-Za-z_][A-Za-z0-9_]*@$/, // @VAR@ (Maven resources)
  /^<[^<>\n]*>$/, // <your-token>
  /^\[REDACTED:[a-z0-9-]+\]$/, // our own marker
];

// Words that mark a value as a stand-in wherever they appear in it.
const STAND_IN = /example|xxxx|\*\*\*|placeholder|changeme|change_me|change-me|changeit|dummy|redacted|your[_-]|yourtoken|yourkey|yoursecret|yourpass|_here\b|-here\b|<your|insert[_-]?your|replace[_-]?me|replace[_-]?with|0123456789|123456789|abcdefghij|qwertyuiop/i;

const STAND_IN_BODY = new RegExp(STAND_IN.source.replace('example|', ''), 'i');

// Whole values that name a slot rather than fill it.
const SLOT_WORDS = new Set([
  'password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'none', 'null', 'nil', 'true', 'false', 'undefined',
  'todo', 'tbd', 'fixme', 'required', 'optional', 'string', 'test', 'testing', 'default', 'empty', 'unset', 'hidden',
  'masked', 'notset', 'not-set', 'not_set', 'n/a', 'sample', 'value', 'mypassword', 'mysecret', 'mytoken', 'pass', 'pwd',
  'foo', 'bar', 'baz', 'foobar',
]);

/** Distinct characters in `s`, stopping once more than `cap` are seen. */
function distinct(s: string, cap: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < s.length && seen.size <= cap; i++) seen.add(s.charCodeAt(i));
  return seen.size;
}

// In a token body `example` counts only at the end (`AKIAIOSFODNN7EXAMPLE`, the AWS
// documentation convention): test fixtures seed `AKIAFAKEEXAMPLE7Q2ZX`-style fakes that
// must still be redacted.
const BODY_EXAMPLE = /example(?:key)?$/i;

/** True when the body of a prefixed token is a stand-in (`ghp_xxxx...`, `...7EXAMPLE`). */
export function isPlaceholderBody(body: string): boolean {
  if (BODY_EXAMPLE.test(body) || STAND_IN_BODY.test(body)) return true;
  // One or two characters repeated (`AAAA`, `0000`, `abab`), or close to it.
  return body.length >= 8 && distinct(body, 4) <= (body.length >= 16 ? 4 : 3);
}

/** True when an assigned or embedded value is obviously not a secret. */
export function isPlaceholder(v: string): boolean {
  if (v.length < 3) return true;
  if (v.length <= 16 && SLOT_WORDS.has(v.toLowerCase())) return true;
  const c = v.charCodeAt(0);
  if ((c === 36 || c === 37 || c === 60 || c === 123 || c === 35 || c === 64 || c === 91) && REFERENCE.some((re) => re.test(v))) return true;
  if (c === 36 && v.charCodeAt(1) === 123) return true; // ${... with text after: still a template
  if (STAND_IN.test(v)) return true;
  if (v.charCodeAt(1) === c && /^(.)\1*$/.test(v)) return true; // ****, xxxx, ....
  return v.length >= 10 && distinct(v, 3) <= 2;
}
