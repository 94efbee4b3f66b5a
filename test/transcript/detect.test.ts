import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GsError } from '../../src/core/errors.js';
import { detectFormat, sniffLine } from '../../src/core/transcript/index.js';

const head = (f: string) => readFileSync(`fixtures/transcripts/${f}`, 'utf8').split('\n').slice(0, 5);

describe('detectFormat', () => {
  it('recognises each fixture from its first lines', () => {
    expect(detectFormat(head('claude-code.jsonl'))).toBe('claude-code');
    expect(detectFormat(head('codex.jsonl'))).toBe('codex');
    expect(detectFormat(head('codex-legacy.jsonl'))).toBe('codex');
  });

  it('looks past blank, malformed and uninformative lines', () => {
    expect(detectFormat(['', 'not json', '{}', '{"type":"summary","summary":"x","leafUuid":"u"}'])).toBe('claude-code');
    expect(detectFormat(['', '{"record_type":"state"}'])).toBe('codex');
  });

  it('knows the line shapes of both formats', () => {
    expect(sniffLine('{"type":"user","message":{"role":"user","content":"hi"},"sessionId":"s"}')).toBe('claude-code');
    expect(sniffLine('{"type":"file-history-snapshot","messageId":"m","snapshot":{}}')).toBe('claude-code');
    expect(sniffLine('{"type":"queue-operation","operation":"dequeue","sessionId":"s"}')).toBe('claude-code');
    expect(sniffLine('{"timestamp":"t","type":"session_meta","payload":{"id":"x"}}')).toBe('codex');
    expect(sniffLine('{"timestamp":"t","type":"event_msg","payload":{"type":"token_count"}}')).toBe('codex');
    expect(sniffLine('{"id":"x","timestamp":"t","instructions":null}')).toBe('codex');
    expect(sniffLine('{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}')).toBe('codex');
    expect(sniffLine('{"type":"function_call","name":"shell","arguments":"{}","call_id":"c"}')).toBe('codex');
    expect(sniffLine('{"foo":1}')).toBeUndefined();
    expect(sniffLine('[1]')).toBeUndefined();
    expect(sniffLine('')).toBeUndefined();
  });

  it('is bad input when nothing tells', () => {
    expect(() => detectFormat(['{"foo":1}', ''])).toThrowError(GsError);
    expect(() => detectFormat([])).toThrowError(/pass --format claude-code, codex or gemini/);
  });
});
