import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/types.js';
import { lineText } from '../../src/tui/lines.js';
import { layoutTimeline } from '../../src/tui/timeline.js';

const call: SessionEvent = {
  id: '01kjmma7c87777777777777777',
  ts: '2026-03-01T12:00:05.000Z',
  kind: 'message',
  role: 'tool',
  name: 'Bash',
  text: 'npm test',
  tool: { input: 'npm test', output: 'FAIL src/a.test.ts\n  expected 1 to be 2\n\x1b[31mred\x1b[0m', bytes: 18000, cut: true, error: true },
};
const edit: SessionEvent = { ...call, id: '01kjmma8bg9999999999999999', name: 'Write', text: 'src/a.ts', tool: { input: 'src/a.ts', files: ['src/a.ts'] } };

const text = (expand: boolean, events: SessionEvent[]) => layoutTimeline(events, 80, { expand }).lines.map(lineText).filter(Boolean);

describe('captured tool calls in the timeline', () => {
  it('are one line each until expanded', () => {
    expect(text(false, [call, edit])).toEqual([
      '── 2026-03-01 ──────────────────────────────────────────────',
      expect.stringMatching(/^\d\d:\d\d ◆ Bash  npm test  failed  18000 B \(e expands\)$/),
      expect.stringMatching(/^\d\d:\d\d ◆ Write  src\/a\.ts  1 file \(e expands\)$/),
    ]);
  });

  it('show their output, the files they edited and that the output was cut when expanded; escapes never reach the screen', () => {
    const lines = text(true, [call, edit]);
    expect(lines).toContain('      FAIL src/a.test.ts');
    expect(lines).toContain('      (output cut: 18000 B in all)');
    expect(lines).toContain('      edited src/a.ts');
    expect(lines.join('\n')).not.toContain('\x1b');
  });
});
