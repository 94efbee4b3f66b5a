import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/types.js';
import { toolCallsMarkdown } from '../../src/repo/bridges/markdown.js';

let n = 0;
const tool = (name: string, input: string, error = false): SessionEvent => ({
  id: `01kjmma7c8${String(n++).padStart(16, '0')}`,
  ts: '2026-03-01T12:00:00.000Z',
  kind: 'message',
  role: 'tool',
  name,
  text: input,
  tool: { input, ...(error ? { error: true } : {}) },
});

describe('tool calls in the Markdown export', () => {
  it('sums calls and failures per tool and names the failed calls', () => {
    const md = toolCallsMarkdown([tool('Bash', 'npm test', true), tool('Bash', 'ls'), tool('Edit', 'src/a.ts'), tool('Bash', 'echo `x` | y')]);
    expect(md.join('\n')).toBe(['', '### Tool calls (4)', '', '| tool | calls | failed |', '| --- | --- | --- |', '| `Bash` | 3 | 1 |', '| `Edit` | 1 | 0 |', '', 'Failed: `npm test` (Bash)'].join('\n'));
  });

  it('says nothing for a session without tool calls', () => {
    expect(toolCallsMarkdown([{ id: '01kjmma9ar3333333333333333', ts: '2026-03-01T12:00:00.000Z', kind: 'prompt', text: 'hi' }])).toEqual([]);
  });
});
