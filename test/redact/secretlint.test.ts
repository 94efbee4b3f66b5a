// Cross-check against secretlint's maintained recommended preset: anything it detects
// in our samples and fixtures, our hot-path redactor must also catch. (secretlint is
// not on the hot path: see the figures at the top of src/core/redact/index.ts.)
import { readFileSync } from 'node:fs';
import { lintSource } from '@secretlint/core';
import { creator as preset } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { findSecrets, redactText } from '../../src/core/redact/index.js';
import { createParser } from '../../src/core/transcript/index.js';
import type { TranscriptFormat } from '../../src/core/transcript/index.js';
import { SAMPLES } from './samples.js';

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] };

async function lint(content: string) {
  const r = await lintSource({
    source: { content, filePath: '/transcript.txt', ext: '.txt', contentType: 'text' },
    options: { config, noPhysicFilePath: true },
  });
  return r.messages;
}

// Every range secretlint reports must overlap one of our spans.
async function expectCovered(text: string): Promise<number> {
  const ours = findSecrets(text);
  const theirs = await lint(text);
  for (const m of theirs) {
    const [a, b] = m.range;
    const hit = ours.some((s) => s.start < b && s.end > a);
    expect(hit, `${m.ruleId}/${m.messageId} at ${a}-${b}: ${JSON.stringify(text.slice(a, b))}`).toBe(true);
  }
  return theirs.length;
}

function fixtureTexts(file: string, format: TranscriptFormat): string[] {
  const p = createParser(format);
  const out: string[] = [];
  readFileSync(`fixtures/transcripts/${file}`, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      for (const it of p.feed(line, i + 1)) out.push(it.body.text);
    });
  for (const it of p.finish()) out.push(it.body.text);
  return out;
}

describe('secretlint cross-check', () => {
  it('every sample secretlint detects, we detect too', async () => {
    let detected = 0;
    for (const s of SAMPLES) detected += (await expectCovered(s.text)) > 0 ? 1 : 0;
    // secretlint recognises a good share of the samples; the rest are kinds it has no rule for.
    expect(detected).toBeGreaterThan(10);
  });

  it('every fixture secret secretlint detects, we detect too', async () => {
    let found = 0;
    const texts = [...fixtureTexts('claude-code.jsonl', 'claude-code'), ...fixtureTexts('codex.jsonl', 'codex'), ...fixtureTexts('codex-legacy.jsonl', 'codex')];
    for (const t of texts) found += await expectCovered(t);
    expect(found).toBeGreaterThan(10);
  });

  it('secretlint finds nothing left in our redacted output', async () => {
    const texts = [...SAMPLES.map((s) => s.text), ...fixtureTexts('claude-code.jsonl', 'claude-code'), ...fixtureTexts('codex.jsonl', 'codex')];
    for (const t of texts) {
      const out = redactText(t).text;
      // Our own markers can sit where a password was (postgres://u:[REDACTED:...]@h):
      // a finding whose match is one of our markers is not a leak.
      const left = (await lint(out)).filter((m) => !out.slice(m.range[0], m.range[1]).includes('[REDACTED:'));
      expect(left.map((m) => `${m.messageId}: ${out.slice(m.range[0], m.range[1])}`)).toEqual([]);
    }
  });
});
