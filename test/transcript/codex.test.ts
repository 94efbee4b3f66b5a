import { describe, expect, it } from 'vitest';
import { jsonl, parseFixture, parseLines, sig } from './helpers.js';

const ts = '2025-09-20T14:00:00.000Z';
const env = (type: string, payload: object) => ({ timestamp: ts, type, payload });
const userMsg = (text: string) => env('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const agentMsg = (text: string) => env('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

describe('Codex parser: current (enveloped) rollout fixture', () => {
  const { items, parser } = parseFixture('codex.jsonl', 'codex');

  it('produces the expected sequence of events', () => {
    expect(items.map(sig)).toEqual([
      'message:system', // <environment_context>
      'prompt',
      'message:agent:reasoning',
      'message:agent:shell',
      'message:tool:shell',
      'message:agent',
      'message:agent:apply_patch',
      'message:tool:apply_patch',
      // local_shell_call c3, function_call c4, output c4, output c3 -> paired
      'message:agent:local_shell',
      'message:tool:local_shell',
      'message:agent:shell',
      'message:tool:shell',
      'message:agent:web_search',
      'message:system', // compacted
      'prompt',
      'message:agent',
    ]);
  });

  it('takes messages from response_item and drops the event_msg copies', () => {
    expect(parser.meta.skippedTypes['event_msg:duplicate']).toBe(4);
    const prompts = items.filter((i) => i.body.kind === 'prompt');
    expect(prompts).toHaveLength(2);
  });

  it('learns meta from session_meta and turn_context', () => {
    expect(parser.meta).toMatchObject({ cwd: '/home/dev/shop-api', branch: 'main', model: 'gpt-5-codex', lines: 30, unpaired: 0 });
    expect(parser.meta.sessionId).toMatch(/^0199/);
    for (const it of items) if (it.body.kind === 'message' && it.body.role === 'agent') expect(it.body.model).toBe('gpt-5-codex');
  });

  it('skips encrypted-only reasoning, telemetry and unknown types, counting them', () => {
    expect(parser.meta.skippedTypes).toMatchObject({
      'reasoning:empty': 1,
      'event_msg:token_count': 1,
      'event_msg:patch_apply_end': 1,
      'event_msg:task_complete': 1,
      'event_msg:turn_aborted': 1,
      'response_item:ghost_snapshot': 1,
      'response_item:some_future_type': 1,
    });
  });

  it('unwraps every tool output shape', () => {
    const tools = items.filter((i) => i.body.kind === 'message' && i.body.role === 'tool').map((i) => i.body.text);
    expect(tools[0]).toMatch(/^#!\/bin\/sh\nset -e\n/); // JSON {output, metadata}
    expect(tools[1]).toBe('Success. Updated the following files:\nM scripts/deploy.sh\n');
    expect(tools[2]).toMatch(/^> shop-api@1.4.0 test/); // plain string
    expect(tools[3]).toBe('[error] fatal: not a git repository'); // {content, success: false}
  });

  it('renders local_shell_call as its command line and web search as its query', () => {
    expect(items.find((i) => sig(i) === 'message:agent:local_shell')!.body.text).toBe('bash -lc npm test -- deploy');
    expect(items.find((i) => sig(i) === 'message:agent:web_search')!.body.text).toBe('aws cli s3 sync --delete credentials precedence');
  });
});

describe('Codex parser: legacy (no envelope) rollout fixture', () => {
  const { items, parser } = parseFixture('codex-legacy.jsonl', 'codex');

  it('reads the bare meta line and bare items, skipping state markers', () => {
    expect(items.map(sig)).toEqual(['message:system', 'prompt', 'message:agent:reasoning', 'message:agent:shell', 'message:tool:shell', 'message:agent']);
    expect(parser.meta.sessionId).toMatch(/^b3c4e1d2-/);
    expect(parser.meta.branch).toBe('legacy-main');
    expect(parser.meta.skippedTypes).toEqual({ 'record_type:state': 3 });
    expect(items.every((i) => i.ts === undefined)).toBe(true);
  });
});

describe('Codex parser: duplicates and variants', () => {
  it('uses event_msg messages when the file has no response_item messages', () => {
    const { items, parser } = parseLines(
      'codex',
      jsonl(
        env('session_meta', { id: 'x', cwd: '/w' }),
        env('event_msg', { type: 'user_message', message: 'do it' }),
        env('event_msg', { type: 'agent_reasoning', text: 'thinking' }),
        env('event_msg', { type: 'agent_message', message: 'done' }),
      ),
    );
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['prompt', 'do it'],
      ['message:agent:reasoning', 'thinking'],
      ['message:agent', 'done'],
    ]);
    expect(parser.meta.skipped).toBe(0);
  });

  it('drops event_msg copies whichever comes first', () => {
    const { items } = parseLines(
      'codex',
      jsonl(
        env('event_msg', { type: 'user_message', message: 'hello' }), // before its response_item
        userMsg('hello'),
        agentMsg('hi'),
        env('event_msg', { type: 'agent_message', message: 'hi' }), // after
      ),
    );
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['prompt', 'hello'],
      ['message:agent', 'hi'],
    ]);
  });

  it('emits held event messages if no response_item ever shows up, after a cap', () => {
    const lines = jsonl(...Array.from({ length: 300 }, (_, i) => env('event_msg', { type: 'agent_message', message: `m${i}` })));
    const { items } = parseLines('codex', lines);
    expect(items.map((i) => i.body.text)).toEqual(Array.from({ length: 300 }, (_, i) => `m${i}`));
  });

  it('treats developer messages and injected context as system, images as placeholders', () => {
    const { items } = parseLines(
      'codex',
      jsonl(
        env('response_item', { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>...' }] }),
        userMsg('# AGENTS.md instructions for /w\n\nbe nice'),
        env('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] }),
      ),
    );
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['message:system', '<permissions instructions>...'],
      ['message:system', '# AGENTS.md instructions for /w\n\nbe nice'],
      ['prompt', 'look\n[image]'],
    ]);
  });

  it('reasoning falls back to raw content when there is no summary', () => {
    const { items } = parseLines('codex', jsonl(env('response_item', { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'raw thoughts' }] })));
    expect(items[0].body).toEqual({ kind: 'message', role: 'agent', name: 'reasoning', text: 'raw thoughts' });
  });

  it('marks non-zero exit codes of wrapped shell output, and outputs given as content items', () => {
    const { items } = parseLines(
      'codex',
      jsonl(
        env('response_item', { type: 'function_call', name: 'shell', arguments: '{"command":["false"]}', call_id: 'c1' }),
        env('response_item', { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ output: 'boom', metadata: { exit_code: 1 } }) }),
        env('response_item', { type: 'function_call', name: 'mcp__fs__read', arguments: '{}', call_id: 'c2' }),
        env('response_item', { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'file body' }] }),
      ),
    );
    expect(items.map((i) => [sig(i), i.body.text])).toEqual([
      ['message:agent:shell', '{"command":["false"]}'],
      ['message:tool:shell', '[exit 1] boom'],
      ['message:agent:mcp__fs__read', '{}'],
      ['message:tool:mcp__fs__read', 'file body'],
    ]);
  });

  it('skips unknown envelopes and bare objects without failing', () => {
    const { items, parser } = parseLines('codex', jsonl({ timestamp: ts, type: 'future', payload: {} }, { hello: 'world' }, { record_type: 'state' }));
    expect(items).toEqual([]);
    expect(parser.meta.skipped).toBe(3);
  });
});
