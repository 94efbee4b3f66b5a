// The generated corpus (bench/redact-corpus.ts): a representative sample of every
// family must be redacted, and the figures the benchmark prints must meet the issue's
// goals (recall >= 99%, false alarms <= 5%). Counts, not timings.
import { describe, expect, it } from 'vitest';
import { evaluate, falsePositives, truePositives } from '../../bench/redact-corpus.js';
import { detect, redactText } from '../../src/core/redact/index.js';

const trues = truePositives();
const families = [...new Set(trues.map((c) => c.family))];

describe('generated corpus: a sample of every family', () => {
  it.each(families)('%s', (family) => {
    const cases = trues.filter((c) => c.family === family);
    // Every sixth context: about ten per family, spread over the notations.
    const sample = cases.filter((_c, i) => i % 6 === 0);
    expect(sample.length).toBeGreaterThan(1);
    for (const c of sample) {
      const out = redactText(c.text).text;
      expect(out, `${c.context}: ${c.text}`).not.toContain(c.secret);
      expect(out).toContain('[REDACTED:');
      expect(detect(c.text).found).toBe(true);
    }
  });
});

describe('generated corpus: the benchmark figures meet the goals', () => {
  const ev = evaluate((t) => redactText(t).text);

  it('recall is at least 99% overall and 95% in every family', () => {
    expect(ev.overallRecall).toBeGreaterThanOrEqual(0.99);
    for (const [family, t] of ev.recall) expect(t.hit / t.n, family).toBeGreaterThanOrEqual(0.95);
  });

  it('false alarms are at most 5% overall and in every false-positive family', () => {
    expect(ev.overallAlarms).toBeLessThanOrEqual(0.05);
    for (const [family, t] of ev.alarms) expect(t.hit / t.n, family).toBeLessThanOrEqual(0.05);
  });

  it('the corpus is as large as the public scanners use (thousands of secrets, hundreds of traps)', () => {
    expect(trues.length).toBeGreaterThan(5000);
    expect(families.length).toBeGreaterThan(90);
    expect(falsePositives().length).toBeGreaterThan(300);
  });

  it('is deterministic: the same seed gives the same corpus', () => {
    expect(truePositives(22).slice(0, 50)).toEqual(trues.slice(0, 50));
  });
});
