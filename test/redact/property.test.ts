import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/core/redact/index.js';
import { BENIGN, SAMPLES } from './samples.js';

// Secrets are delimited in real text (spaces, quotes, '=', newlines...); a secret glued
// to arbitrary letters is a different token and is not what these properties are about.
const DELIMS = [' ', '\n', '\t', '"', "'", '(', ')', ',', ';', '\r\n', ' = ', ': ', '> ', '`'];

// Benign-looking text: arbitrary ASCII, arbitrary Unicode, or shuffled benign samples.
const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.array(fc.constantFrom(...BENIGN), { maxLength: 6 }).map((xs) => xs.join('\n')),
);

describe('redaction properties', () => {
  it('never lets an inserted known secret through', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom(...SAMPLES), fc.constantFrom(...DELIMS), fc.constantFrom(...DELIMS), (t, at, sample, d1, d2) => {
        const i = at % (t.length + 1);
        const input = t.slice(0, i) + d1 + sample.text + d2 + t.slice(i);
        const out = redactText(input).text;
        expect(out).not.toContain(sample.secret);
      }),
      { numRuns: 2000 },
    );
  });

  it('reports at least one kind whenever it changed the text, and none when it did not', () => {
    fc.assert(
      fc.property(text, fc.option(fc.constantFrom(...SAMPLES)), (t, sample) => {
        const input = sample ? `${t}\n${sample.text}\n` : t;
        const r = redactText(input);
        expect(r.text !== input).toBe(r.kinds.length > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent on arbitrary text with secrets in it', () => {
    fc.assert(
      fc.property(text, fc.array(fc.constantFrom(...SAMPLES), { maxLength: 3 }), (t, samples) => {
        const input = [t, ...samples.map((s) => s.text)].join('\n');
        const once = redactText(input).text;
        expect(redactText(once).text).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves text made only of benign samples unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BENIGN), { minLength: 1, maxLength: 8 }), fc.constantFrom(' ', '\n', '\n\n'), (xs, sep) => {
        const input = xs.join(sep);
        expect(redactText(input).text).toBe(input);
      }),
      { numRuns: 500 },
    );
  });
});
