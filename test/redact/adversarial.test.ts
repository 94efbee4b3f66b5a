// Hostile inputs for every rule (bench/redact-adversarial.ts): repeated prefixes, 1 MB
// single tokens, near misses, 1 MB of base64 and of single characters. Redaction must
// still work on each: a secret before and after the hostile text is still found. How
// fast is the benchmark's business (`npm run bench -- redact`), not a test's.
import { describe, expect, it } from 'vitest';
import { adversarialInputs } from '../../bench/redact-adversarial.js';
import { redactText } from '../../src/core/redact/index.js';
import { ClassRuns, CLASS_IDS } from '../../src/core/redact/classes.js';

const GH = 'ghp_' + 'Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8';
const PW = 'Tr0ub4dor-3xQ';

describe('hostile inputs: redaction still works', () => {
  const inputs = adversarialInputs(1_000_000);

  it('there is one for every token rule, every structured rule and the classic shapes', () => {
    expect(inputs.length).toBeGreaterThan(300);
    for (const name of ['repeated prefix sk-', '1 MB token openai-key', '1 MB of base64', '1 MB of "a"', 'repeated "password="']) {
      expect(inputs.map((a) => a.name)).toContain(name);
    }
  });

  it.each(inputs.map((a) => [a.name, a] as const))('%s', async (_name, a) => {
    // Let the worker answer its runner between these long synchronous calls.
    await new Promise((r) => setImmediate(r));
    const text = `export GITHUB_TOKEN=${GH}\n${a.make()}\nDB_PASSWORD=${PW}\n`;
    const out = redactText(text).text;
    expect(out).not.toContain(GH);
    expect(out).not.toContain(PW);
    expect(out.startsWith('export GITHUB_TOKEN=[REDACTED:github-token]\n')).toBe(true);
  });
});

describe('class runs are measured once however many prefixes repeat', () => {
  it('a later start inside a measured run reuses its end', () => {
    const text = 'sk-'.repeat(1000) + ' tail';
    const runs = new ClassRuns(text);
    const cls = CLASS_IDS.b64url;
    const end = runs.endFrom(cls, 3);
    expect(end).toBe(3000);
    for (let i = 3; i < 3000; i += 3) expect(runs.endFrom(cls, i)).toBe(end);
    // A start before the cached run joins it rather than rescanning.
    expect(runs.endFrom(cls, 0)).toBe(end);
    expect(runs.endFrom(cls, 3001)).toBe(3005);
  });
});
