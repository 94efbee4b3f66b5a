import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTranscript, type TranscriptItem } from '../../src/repo/bridges/transcript-file.js';
import { GsError } from '../../src/core/errors.js';
import { synthClaudeLines } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'gs-transcript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS: { id: string; value: string }[] = JSON.parse(readFileSync('fixtures/transcripts/secrets.json', 'utf8')).secrets;

async function readAll(path: string, format: 'auto' | 'claude-code' | 'codex' = 'auto') {
  const items: TranscriptItem[] = [];
  const res = await readTranscript(path, format, (it) => {
    items.push(it);
  });
  return { items, res };
}

async function rejection(p: Promise<unknown>): Promise<GsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GsError);
    return e as GsError;
  }
  throw new Error('expected a rejection');
}

describe('readTranscript on the fixtures', () => {
  it.each([
    ['claude-code.jsonl', 'claude-code', 29],
    ['codex.jsonl', 'codex', 16],
    ['codex-legacy.jsonl', 'codex', 6],
  ] as const)('%s: detects %s, yields %i items, no seeded secret survives', async (file, format, count) => {
    const { items, res } = await readAll(`fixtures/transcripts/${file}`);
    expect(res.format).toBe(format);
    expect(res.items).toBe(count);
    expect(items).toHaveLength(count);
    const dump = JSON.stringify(items);
    for (const s of SECRETS) expect(dump, s.id).not.toContain(s.value);
    // every item with a marker says which kinds it replaced, and only those
    for (const it of items) {
      const marks = [...it.body.text.matchAll(/\[REDACTED:([a-z-]+)\]/g)].map((m) => m[1]);
      expect([...new Set(marks)].sort()).toEqual(it.redacted ?? []);
    }
    expect(res.redactedItems).toBe(items.filter((i) => i.redacted).length);
  });

  it('every seeded secret appears in some fixture (so the check above means something)', () => {
    const all = ['claude-code.jsonl', 'codex.jsonl', 'codex-legacy.jsonl'].map((f) => readFileSync(`fixtures/transcripts/${f}`, 'utf8')).join('\n');
    for (const s of SECRETS) expect(all.includes(s.value) || all.includes(JSON.stringify(s.value).slice(1, -1)), s.id).toBe(true);
  });

  it('honours an explicit format', async () => {
    const { res } = await readAll('fixtures/transcripts/codex.jsonl', 'codex');
    expect(res.format).toBe('codex');
  });

  it('reports the kinds it replaced', async () => {
    const { res } = await readAll('fixtures/transcripts/claude-code.jsonl');
    expect(Object.keys(res.redactedKinds).sort()).toEqual(
      ['anthropic-key', 'aws-access-key', 'aws-secret-key', 'bearer-token', 'github-token', 'google-api-key', 'high-entropy', 'jwt', 'npm-token', 'openai-key', 'private-key', 'secret-assignment', 'slack-token', 'slack-webhook', 'stripe-key', 'url-password'].sort(),
    );
  });
});

describe('readTranscript on bad input', () => {
  it('a malformed line: bad-input with its line number', async () => {
    const e = await rejection(readAll('fixtures/transcripts/malformed.jsonl'));
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/^transcript line 4: not valid JSON/);
  });

  it('a line that is not an object', async () => {
    const e = await rejection(readAll('fixtures/transcripts/not-object.jsonl'));
    expect(e.message).toBe('transcript line 2: expected a JSON object, got an array');
  });

  it('a malformed line before the format is known still names its line', async () => {
    const p = join(dir, 'early-bad.jsonl');
    writeFileSync(p, '\n{"oops": \n' + readFileSync('fixtures/transcripts/codex.jsonl', 'utf8'));
    const e = await rejection(readAll(p));
    expect(e.message).toMatch(/^transcript line 2: not valid JSON/);
  });

  it('empty, missing, undetectable', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    expect((await rejection(readAll(empty))).message).toMatch(/is empty$/);
    expect((await rejection(readAll(join(dir, 'nope.jsonl')))).message).toMatch(/cannot read transcript .*ENOENT/);
    const odd = join(dir, 'odd.jsonl');
    writeFileSync(odd, '{"a":1}\n{"b":2}\n');
    expect((await rejection(readAll(odd))).message).toMatch(/cannot tell the transcript format/);
  });

  it('awaits an async consumer in order', async () => {
    const seen: string[] = [];
    await readTranscript('fixtures/transcripts/codex-legacy.jsonl', 'auto', async (it) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(it.body.kind);
    });
    expect(seen).toEqual(['message', 'prompt', 'message', 'message', 'message', 'message']);
  });
});

describe('readTranscript on a large file', () => {
  it('streams 20 MB in bounded memory and loses nothing', async () => {
    const path = join(dir, 'big.jsonl');
    const expected = { prompt: 0, note: 0, agent: 0, tool: 0, skipped: 0, lines: 0 };
    const out = createWriteStream(path);
    for (const line of synthClaudeLines(42, 20e6)) {
      const o = JSON.parse(line);
      expected.lines++;
      if (o.type === 'summary') expected.note++;
      else if (o.type === 'user') typeof o.message.content === 'string' ? expected.prompt++ : expected.tool++;
      else if (o.type === 'assistant') expected.agent++;
      else expected.skipped++;
      if (!out.write(line + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const got = { prompt: 0, note: 0, agent: 0, tool: 0 };
    const res = await readTranscript(path, 'auto', (it) => {
      if (it.body.kind === 'message') got[it.body.role === 'tool' ? 'tool' : 'agent']++;
      else got[it.body.kind]++;
      if ((got.agent & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    });
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(got).toEqual({ prompt: expected.prompt, note: expected.note, agent: expected.agent, tool: expected.tool });
    expect(res.meta.lines).toBe(expected.lines);
    expect(res.meta.skipped).toBe(expected.skipped);
    expect(res.meta.unpaired).toBe(0);
    expect(res.items).toBe(expected.prompt + expected.note + expected.agent + expected.tool);
    expect(peak - before).toBeLessThan(150e6);
  }, 120_000);
});
