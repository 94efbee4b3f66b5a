import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/types.js';
import { clean, displayWidth, oneLine, padEnd, truncate, truncateStart } from '../../src/tui/text.js';
import { lineText, lineWidth, wrapSegs, seg } from '../../src/tui/lines.js';
import { Timeline, layoutTimeline } from '../../src/tui/timeline.js';
import { diffLines, diffStat } from '../../src/tui/diff.js';
import { relativeAge, authorName, agentLabel } from '../../src/tui/format.js';
import { noColorFromEnv } from '../../src/tui/theme.js';
import { rowLine, detailLines } from '../../src/tui/components/ListView.js';
import { sessionHeader } from '../../src/tui/components/SessionView.js';
import { listColumns } from '../../src/tui/geometry.js';
import { NOW, richSession, summary } from './fixtures.js';

describe('text', () => {
  it('shows escape sequences and control characters of untrusted text escaped (the one sanitizer)', () => {
    expect(clean('a\u001B[31mred\u001B[0m b\u001B]0;title\u0007c\u0000d\r\ne')).toBe('a\\x1b[31mred\\x1b[0m b\\x1b]0;title\\x07c\\x00d\ne');
    expect(clean('\tx')).toBe('    x');
    expect(oneLine('  many\n\nlines\there  ')).toBe('many lines here');
  });

  it('measures wide and combining characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncates deliberately, keeping the end of paths', () => {
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('日本語日本語', 5)).toBe('日本…');
    expect(truncateStart('src/very/deep/file.ts', 10)).toBe('…p/file.ts');
    expect(padEnd('ab', 4)).toBe('ab  ');
    expect(padEnd('abcdef', 4)).toBe('abc…');
  });

  it('wraps at words, breaks long words, keeps paragraphs and indentation', () => {
    const lines = wrapSegs([seg('the quick brown fox jumps\n\n  indented supercalifragilistic')], 10).map(lineText);
    expect(lines).toEqual(['the quick', 'brown fox', 'jumps', '', '  indented', 'supercalif', 'ragilistic']);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(10);
  });

  it('formats ages, authors and agents', () => {
    expect(relativeAge(new Date(NOW - 30_000).toISOString(), NOW)).toBe('30s');
    expect(relativeAge(new Date(NOW - 5 * 60_000).toISOString(), NOW)).toBe('5m');
    expect(relativeAge(new Date(NOW - 3 * 3_600_000).toISOString(), NOW)).toBe('3h');
    expect(relativeAge(new Date(NOW - 9 * 86_400_000).toISOString(), NOW)).toBe('9d');
    expect(relativeAge(new Date(NOW - 100 * 86_400_000).toISOString(), NOW)).toBe('3mo');
    expect(relativeAge(new Date(NOW - 800 * 86_400_000).toISOString(), NOW)).toBe('2y');
    expect(relativeAge('garbage', NOW)).toBe('?');
    expect(authorName('Ada Lovelace <ada@example.com>')).toBe('Ada Lovelace');
    expect(agentLabel({ name: 'codex', model: 'gpt-5' })).toBe('codex/gpt-5');
    expect(agentLabel(undefined)).toBe('');
  });

  it('honours NO_COLOR only when set and not empty', () => {
    expect(noColorFromEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorFromEnv({ NO_COLOR: '' })).toBe(false);
    expect(noColorFromEnv({})).toBe(false);
  });
});

describe('timeline layout', () => {
  const { events } = richSession();

  it('shows a decision with the chosen option, every rejected alternative with its reason, and the rationale', () => {
    const text = layoutTimeline(events, 80, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain('◇ decision');
    expect(text).toContain('✓ Bloom-filter tree over the landed sequence');
    expect(text).toContain('✗ Linear scan with a cache — still O(n) on a cold cache');
    expect(text).toContain('✗ Per-path inverted index — rewrites a huge blob on every land');
    expect(text).toMatch(/why O\(log n\) nodes per query/);
  });

  it('shows prompts, messages by role, checks with exit codes, snapshots and landing', () => {
    const text = layoutTimeline(events, 80, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain('▶ prompt');
    expect(text).toContain('Landing is slow on big repos');
    expect(text).toContain('◆ agent');
    expect(text).toContain('◆ tool bash');
    expect(text).toMatch(/✗ check {2}exit 1 .*\$ npm test/);
    expect(text).toContain('FAIL test/bloom.test.ts');
    expect(text).toMatch(/✓ check {2}exit 0/);
    expect(text).toContain('◉ snapshot abc12340');
    expect(text).toContain('⇒ landed f00dfeed0000 onto main (squash)');
  });

  it('collapses tool output until expanded', () => {
    const collapsed = layoutTimeline(events, 80, { expand: false }).lines.map(lineText).join('\n');
    expect(collapsed).toContain('line 4');
    expect(collapsed).not.toContain('line 7');
    expect(collapsed).toContain('… 3 more lines (e expands)');
    const expanded = layoutTimeline(events, 80, { expand: true }).lines.map(lineText).join('\n');
    expect(expanded).toContain('line 7');
    expect(expanded).toContain('all 42 passed');
  });

  it('shows conflicts with files and commits', () => {
    const e: SessionEvent = { id: 'x', ts: events[0].ts, kind: 'conflict', files: ['a.ts', 'b.ts'], commits: ['1234567890abcdef'], during: 'land', detail: 'both modified a.ts' };
    const text = layoutTimeline([e], 80, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain('✗ conflict during land');
    expect(text).toMatch(/files +a\.ts, b\.ts/);
    expect(text).toMatch(/commits 12345678/);
    expect(text).toContain('both modified a.ts');
  });

  it('never exceeds the width, at any width', () => {
    const long: SessionEvent = { id: 'y', ts: events[0].ts, kind: 'message', role: 'agent', text: 'x'.repeat(500) + ' ' + '日本語'.repeat(60) };
    for (const w of [20, 40, 80, 133]) {
      const { lines } = layoutTimeline([...events, long], w, { expand: true });
      for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(w);
    }
  });

  it('lays blocks out on demand and windows them from an anchor', () => {
    const t = new Timeline(events, 80, { expand: false });
    const { lines, starts } = layoutTimeline(events, 80, { expand: false });
    expect(starts).toHaveLength(events.length);
    expect(lineText(lines[starts[3]])).toContain('◇ decision');
    expect(t.window({ event: 3, offset: 0 }, 3).map(lineText)).toEqual(lines.slice(starts[3], starts[3] + 3).map(lineText));
    expect(t.window({ event: 0, offset: 0 }, 1000)).toHaveLength(lines.length);
    expect(lineText(t.block(0)[0])).toMatch(/^── \d{4}-\d\d-\d\d /); // day rule before the first event
    expect(t.block(1).some((l) => lineText(l).startsWith('──'))).toBe(false); // same day: no rule
    expect(t.block(0)[t.blockLength(0) - 1]).toEqual([]); // blank line after each block
    const many = Array.from({ length: 100_000 }, (_, i) => ({ ...events[1], id: String(i) }));
    const lazy = new Timeline(many, 80, { expand: false });
    const t0 = performance.now();
    lazy.window({ event: 50_000, offset: 0 }, 30);
    expect(performance.now() - t0).toBeLessThan(200); // lays out a screenful, not 100,000 blocks
  });
});

describe('diff lines', () => {
  it('styles additions, deletions, hunks and headers by position, not only by first character', () => {
    const text = ['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,2 +1,2 @@', ' same', '-old', '--- looks like a header', '+new', '\\ No newline at end of file'].join('\n');
    const lines = diffLines(text);
    expect(lines.map((l) => l[0]?.style)).toEqual(['meta', 'meta', 'meta', 'hunk', undefined, 'del', 'del', 'add', 'dim']);
    expect(diffStat(lines)).toEqual({ added: 1, deleted: 2 });
    expect(lines.map(lineText)[5]).toBe('-old'); // the +/- markers stay in the text
  });
});

describe('list rows and headers', () => {
  it('a row is exactly as wide as the columns allow, with every field', () => {
    for (const w of [60, 80, 120, 200]) {
      const cols = listColumns(w);
      const s = summary(1, { goal: 'A very long goal '.repeat(20), author: 'Someone With A Long Name <x@y>' });
      const line = rowLine(s, cols, NOW, true);
      expect(lineWidth(line)).toBe(w - 1);
    }
    const text = lineText(rowLine(summary(1), listColumns(120), NOW, false));
    expect(text).toMatch(/landed +Goal number 1: make the thing 1 faster +claude\/opus-4 +Dev 1 +2h +6 +1$/);
  });

  it('the detail and the session header show the full goal, base, target and landed commit within the width', () => {
    const { summary: s } = richSession();
    const detail = detailLines(s, 80, NOW).map(lineText);
    expect(detail.join(' ')).toContain('tree instead of a linear scan');
    const header = sessionHeader(s, s.id, 80, NOW).map(lineText);
    expect(header.join('\n')).toMatch(/landed +Detect landing conflicts/);
    expect(header.join('\n')).toContain('main ← b0000000aaaa');
    expect(header.join('\n')).toContain('landed f00dfeed0000 (squash)');
    for (const l of [...detail, ...header]) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });
});

describe('links through rewritten history', () => {
  it('the header shows the landed commit as it is now, how it was found and the further landings; the timeline names each', () => {
    const { summary: s, events } = richSession();
    const now = 'c0ffee'.padEnd(40, '1');
    const pick = 'beef'.padEnd(40, '2');
    const followed = { ...s, landed: { ...s.landed!, commit: now, first: s.landed!.commit, via: 'tree' as const }, landings: [{ commit: now, branch: 'main', via: 'rewrite' as const, from: s.landed!.commit }, { commit: pick, branch: 'release', via: 'cherry-pick' as const }] };
    const head = sessionHeader(followed, followed.id, 120, NOW).map(lineText).join('\n');
    expect(head).toContain(`landed ${now.slice(0, 12)} (squash by tree, +2 landings)`);
    const t = (m: number) => new Date(NOW - 3_600_000 + m * 60_000).toISOString();
    const more: SessionEvent[] = [
      { id: '01JRICH00000000000000000LA', ts: t(1), kind: 'landing', commit: now, tree: 'a'.repeat(40), branch: 'main', via: 'rewrite', from: s.landed!.commit },
      { id: '01JRICH00000000000000000LB', ts: t(2), kind: 'landing', commit: pick, tree: 'b'.repeat(40), branch: 'release', via: 'cherry-pick' },
      { id: '01JRICH00000000000000000LC', ts: t(3), kind: 'export', branch: 'greet', tip: 'c'.repeat(40), base: 'd'.repeat(40) },
    ];
    const text = layoutTimeline([...events, ...more], 100, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain(`⇒ rewritten ${s.landed!.commit.slice(0, 12)} → ${now.slice(0, 12)} on main`);
    expect(text).toContain(`⇒ cherry-picked ${pick.slice(0, 12)} on release`);
    expect(text).toContain(`⇗ exported to greet at ${'c'.repeat(12)}`);
  });
});
