import { describe, expect, it } from 'vitest';
import { GsError } from '../../src/core/errors.js';
import { exitCode } from '../../src/cli/exit.js';
import { jsonl, parseFixture, parseLines, sig } from './helpers.js';

const A = (content: unknown, extra: object = {}) => ({ type: 'assistant', sessionId: 's1', timestamp: '2025-08-04T10:00:00.000Z', message: { role: 'assistant', model: 'claude-opus-4-1', content }, ...extra });
const U = (content: unknown, extra: object = {}) => ({ type: 'user', sessionId: 's1', timestamp: '2025-08-04T10:00:01.000Z', message: { role: 'user', content }, ...extra });

describe('Claude Code parser: fixture', () => {
  const { items, parser } = parseFixture('claude-code.jsonl', 'claude-code');

  it('produces the expected sequence of events', () => {
    expect(items.map(sig)).toEqual([
      'note', // summary line
      'prompt',
      'message:agent:reasoning',
      'message:agent',
      'message:agent:Bash',
      'message:tool:Bash',
      // parallel calls: Read, Grep, result Grep, result Read -> paired
      'message:agent:Read',
      'message:tool:Read',
      'message:agent:Grep',
      'message:tool:Grep',
      'message:agent:Bash',
      'message:tool:Bash',
      // the Task tool's subagent runs between its call and its result
      'message:agent:Task',
      'message:agent:subagent-input',
      'message:agent:subagent',
      'message:tool:Task',
      'message:agent',
      'prompt', // /cost slash command
      'message:system', // local-command-stdout
      'message:system', // isMeta caveat
      'message:system', // system line
      'prompt', // text + private key + image
      'message:agent',
      'message:agent:Edit',
      'message:tool:Edit',
      'prompt',
      'message:agent',
      'prompt',
      'message:agent',
    ]);
  });

  it('learns the session meta and counts what it skipped', () => {
    expect(parser.format).toBe('claude-code');
    expect(parser.meta.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parser.meta.cwd).toBe('/home/dev/shop-api');
    expect(parser.meta.branch).toBe('fix/login-timeout');
    expect(parser.meta.model).toBe('claude-sonnet-4-20250514');
    expect(parser.meta.lines).toBe(33);
    expect(parser.meta.skippedTypes).toEqual({ 'queue-operation': 1, 'file-history-snapshot': 1, 'assistant:redacted_thinking': 1, progress: 1 });
    expect(parser.meta.skipped).toBe(4);
    expect(parser.meta.unpaired).toBe(0);
  });

  it('carries the model on agent messages and timestamps that never go backwards', () => {
    for (const it of items) {
      if (it.body.kind === 'message' && it.body.role === 'agent' && it.body.name !== 'subagent-input') expect(it.body.model).toBe('claude-sonnet-4-20250514');
    }
    const ts = items.filter((i) => i.ts).map((i) => i.ts!);
    expect([...ts].sort()).toEqual(ts);
  });

  it('keeps tool input as JSON and marks error results', () => {
    const bash = items.filter((i) => sig(i) === 'message:agent:Bash')[0];
    expect(JSON.parse(bash.body.text)).toEqual({ command: 'cat .env', description: 'Show the local env file' });
    const err = items.filter((i) => sig(i) === 'message:tool:Bash')[1];
    expect(err.body.text).toBe('[error] curl: (28) Operation timed out after 2001 milliseconds');
  });

  it('turns image blocks into placeholders', () => {
    const p = items.filter((i) => i.body.kind === 'prompt')[2];
    expect(p.body.text).toMatch(/^Here is my SSH key.*\n-----BEGIN OPENSSH PRIVATE KEY-----[\s\S]*\n\[image\]$/);
  });
});

describe('Claude Code parser: shapes and edge cases', () => {
  it('string content vs text blocks', () => {
    const { items } = parseLines('claude-code', jsonl(U('hello'), U([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]), A('plain string reply')));
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['prompt', 'hello'],
      ['prompt', 'a\nb'],
      ['message:agent', 'plain string reply'],
    ]);
  });

  it('tool_result content as blocks, and a result whose call was never seen', () => {
    const { items, parser } = parseLines(
      'claude-code',
      jsonl(
        A([{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'a.ts' } }]),
        U([{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'line1' }, { type: 'image', source: {} }, { type: 'text', text: 'line2' }] }]),
        U([{ type: 'tool_result', tool_use_id: 'nope', content: 'orphan' }]),
      ),
    );
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['message:agent:Read', '{"file_path":"a.ts"}'],
      ['message:tool:Read', 'line1\n[image]\nline2'],
      ['message:tool', 'orphan'],
    ]);
    expect(parser.meta.unpaired).toBe(1);
  });

  it('a call whose result never comes is released at the next message and counted', () => {
    const { items, parser } = parseLines('claude-code', jsonl(A([{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }]), U('interrupting you'), A([{ type: 'text', text: 'ok' }])));
    expect(items.map(sig)).toEqual(['message:agent:Bash', 'prompt', 'message:agent']);
    expect(parser.meta.unpaired).toBe(1);
  });

  it('several tool_use blocks in one assistant line pair with their results in call order', () => {
    const { items } = parseLines(
      'claude-code',
      jsonl(
        A([{ type: 'tool_use', id: 'a', name: 'A', input: {} }, { type: 'tool_use', id: 'b', name: 'B', input: {} }, { type: 'tool_use', id: 'c', name: 'C', input: {} }]),
        U([{ type: 'tool_result', tool_use_id: 'c', content: 'rc' }, { type: 'tool_result', tool_use_id: 'a', content: 'ra' }]),
        U([{ type: 'tool_result', tool_use_id: 'b', content: 'rb' }]),
      ),
    );
    expect(items.map((i) => i.body.text)).toEqual(['{}', 'ra', '{}', 'rb', '{}', 'rc']);
    expect(items.map(sig)).toEqual(['message:agent:A', 'message:tool:A', 'message:agent:B', 'message:tool:B', 'message:agent:C', 'message:tool:C']);
  });

  it('skips and counts unknown lines and blocks without failing', () => {
    const { items, parser } = parseLines(
      'claude-code',
      jsonl({ type: 'brand-new-thing', x: 1 }, { no: 'type' }, A([{ type: 'future_block', data: 1 }, { type: 'text', text: '  ' }, { type: 'thinking', thinking: '' }]), U({ weird: true }), { type: 'summary' }, { type: 'system', subtype: 'compact_boundary' }),
    );
    expect(items).toEqual([]);
    expect(parser.meta.skippedTypes).toEqual({
      'brand-new-thing': 1,
      'no-type': 1,
      'assistant:future_block': 1,
      'assistant:empty': 1,
      'assistant:empty-thinking': 1,
      'user:no-content': 1,
      'summary:empty': 1,
      'system:empty': 1,
    });
  });

  it('does not take <synthetic> for a model', () => {
    const { items, parser } = parseLines('claude-code', jsonl({ type: 'assistant', message: { role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: 'API Error' }] } }));
    expect(parser.meta.model).toBeUndefined();
    expect(items[0].body).toEqual({ kind: 'message', role: 'agent', text: 'API Error' });
  });

  it('blank lines are fine; a malformed line is bad input naming its line number', () => {
    const lines = ['', '   ', JSON.stringify(U('hi')), '{"type": "user", "message": {'];
    expect(() => parseLines('claude-code', lines)).toThrowError(GsError);
    try {
      parseLines('claude-code', lines);
    } catch (e) {
      expect((e as GsError).code).toBe('bad-input');
      expect(exitCode((e as GsError).code)).toBe(2);
      expect((e as GsError).message).toMatch(/^transcript line 4: not valid JSON/);
    }
  });

  it('a JSON line that is not an object is bad input', () => {
    expect(() => parseLines('claude-code', ['[1,2]'])).toThrowError(/transcript line 1: expected a JSON object, got an array/);
    expect(() => parseLines('claude-code', ['"str"'])).toThrowError(/transcript line 1: expected a JSON object, got string/);
    expect(() => parseLines('claude-code', ['null'])).toThrowError(/transcript line 1: expected a JSON object, got null/);
  });
});
