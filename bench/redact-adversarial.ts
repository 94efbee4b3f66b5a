// Hostile inputs for the redactor, one family per rule: every token prefix repeated to
// fill the input, every prefix followed by one giant body, the near-miss of every
// structured rule repeated, 1 MB of base64 and 1 MB of each interesting character.
// The tests assert redaction still works on each (a secret after it is still found);
// the benchmark reports MB/s on each against typical text.
import { CLASS_CHARS } from '../src/core/redact/classes.js';
import { TOKEN_RULES } from '../src/core/redact/tokens.js';
import { Rng } from './redact-corpus.js';

/** One hostile input, built on demand (all of them at once would be ~400 MB). */
export interface Adversarial {
  name: string;
  make(): string;
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length))).slice(0, size);
}

// Near misses of the structured and assignment rules: the start of a match, repeated.
const STRUCTURED = [
  'https://user:',
  '://:',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----BEGIN PUBLIC KEY-----\nabc\n',
  'password=',
  'password: |\n',
  'token: >-\n  ',
  '"password": "',
  '\\"password\\": \\"',
  'api_key ',
  '--password ',
  'ENV TOKEN ',
  '<password>',
  '<add key="Password" value="',
  'name: DB_PASSWORD\n  value: ',
  'kind: Secret\ndata:\n',
  'data:\n  k: v\n',
  'eyJhbGciOi.',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.',
  'Bearer ',
  'Authorization: Basic ',
  'curl -u ',
  'curl -u a:',
  'mysql -p',
  'mysql -px ',
  'x1Q~',
  'abcdefghijklmn.atlasv1.',
  '0123456789:AA',
  'hooks.slack.com/services/',
  'discord.com/api/webhooks/1/',
  '${TOKEN:-',
  'AKIA0123456789\n',
  'secret_key_base = ',
  'setToken(',
  'x,password,',
  'System.setProperty("X_TOKEN", ',
];

/** Every hostile input, each about `size` characters. */
export function adversarialInputs(size = 1_000_000): Adversarial[] {
  const out: Adversarial[] = [];
  const add = (name: string, make: (r: Rng) => string) => out.push({ name, make: () => make(new Rng(out.length + 10)) });
  const prefixes = [...new Set(TOKEN_RULES.flatMap((t) => t.prefixes))];
  for (const p of prefixes) add(`repeated prefix ${p}`, () => fill(p, size));
  for (const t of TOKEN_RULES) {
    const body = CLASS_CHARS[t.body];
    add(`1 MB token ${t.id}`, (r) => t.prefixes[0] + r.str(size - t.prefixes[0].length, body));
    // Near misses: a valid-looking token one character too short, repeated.
    add(`near-miss ${t.id}`, (r) => fill(t.prefixes[0] + r.str(Math.max(0, t.min - 1), body) + ' ', size));
  }
  for (const s of STRUCTURED) add(`repeated ${JSON.stringify(s)}`, () => fill(s, size));
  add('1 MB of base64', (r) => r.str(size, CLASS_CHARS.b64));
  add('1 MB of base64 lines', (r) => fill(r.str(76, CLASS_CHARS.b64) + '\n', size));
  add('1 MB of hex', (r) => r.str(size, CLASS_CHARS.hex));
  for (const ch of ['a', 'A', '0', '-', '_', '/', '+', '=', ':', '.', ' ', '\n', '"', "'", '\\', '<', '~', '@', '$', '{', 'é']) {
    add(`1 MB of ${JSON.stringify(ch)}`, () => fill(ch, size));
  }
  return out;
}
