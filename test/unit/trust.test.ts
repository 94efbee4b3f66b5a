// Pure pieces of the trust model: the one sanitizer, the schema at the storage boundary,
// and the fold that obeys only a session's own start and verified lands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe, painter, clip } from '../../src/cli/output.js';
import { progressLine } from '../../src/cli/progress.js';
import type { CliEnv } from '../../src/cli/env.js';
import { dropped, foldEvents, MAX_FLAGGED, unionEvents } from '../../src/core/fold.js';
import { safeJson, sanitize, sanitizeLine } from '../../src/core/sanitize.js';
import { checkSummary, eventLine, parseEvent } from '../../src/core/schema.js';
import type { StoredEvent } from '../../src/core/types.js';
import { displayWidth } from '../../src/core/width.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

// A joiner between pictographs (an emoji sequence), the one zero-width character kept.
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]*)\u200d(?=\p{Extended_Pictographic})/gu;

describe('sanitize', () => {
  it('shows every unsafe character escaped, keeps newlines and tabs, and changes nothing else', () => {
    expect(sanitize('a\x1b]52;c;ZWNobw==\x07b')).toBe('a\\x1b]52;c;ZWNobw==\\x07b');
    expect(sanitize('rtl\u202eltr \u2066x\u2069 z\u200bw \ufeff \u061c \u200e')).toBe('rtl\\u202eltr \\u2066x\\u2069 z\\u200bw \\ufeff \\u061c \\u200e');
    expect(sanitize('8-bit \u009b31m csi, del \x7f')).toBe('8-bit \\x9b31m csi, del \\x7f');
    expect(sanitize('line\r\nnext\tcol\rover')).toBe('line\nnext\tcol\\x0dover');
    expect(sanitize('plain, ünïcödé, 漢字, emoji 🎉')).toBe('plain, ünïcödé, 漢字, emoji 🎉');
    expect(sanitizeLine('two\nlines\tx')).toBe('two\\x0alines\\x09x');
    // A zero-width joiner is kept only inside an emoji sequence, where it hides nothing.
    expect(sanitize('family 👨\u200d👩\u200d👧, tone 👍🏽\u200d👨, bare a\u200db, dangling 👨\u200d')).toBe('family 👨\u200d👩\u200d👧, tone 👍🏽\u200d👨, bare a\\u200db, dangling 👨\\u200d');
  });
  it('leaves nothing a terminal acts on, and is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const t = sanitize(s);
        expect(UNSAFE.test(t.replace(EMOJI_ZWJ, ''))).toBe(false);
        expect(sanitize(t)).toBe(t);
      }),
    );
  });
  it('safeJson is the same JSON value with what JSON leaves raw written as \\u escapes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const doc = { v, s };
        const text = safeJson(doc, 2);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        expect(UNSAFE.test(text)).toBe(false);
      }),
    );
  });
});

describe('the CLI sink', () => {
  it('turns only the painter’s tokens into SGR; an escape in data stays escaped', () => {
    let out = '';
    const env = { stdout: { write: (s: string) => ((out += s), true), isTTY: true }, env: {} } as unknown as CliEnv;
    const sink = terminalSafe(env.stdout);
    const paint = painter(env);
    sink.write(`${paint('red', 'red')} data:\x1b[31m \x1b]8;;http://x\x07 \uE000forged[31m\n`);
    expect(out).toBe('\x1b[31mred\x1b[0m data:\\x1b[31m \\x1b]8;;http://x\\x07 \uE000forged[31m\n');
    expect(sink.isTTY).toBe(true);
  });
  it('lets the progress line’s own \\r and ESC [K through, never those in a stage name', () => {
    let err = '';
    const env = { stdout: { write: () => true }, stderr: terminalSafe({ write: (s: string) => ((err += s), true), isTTY: true }), env: { NO_COLOR: '1' }, clock: () => 0 } as unknown as CliEnv;
    const line = progressLine(env);
    line.onProgress?.({ stage: 'evil \x1b]0;t\x07 stage', done: 1, total: 1 });
    line.done();
    expect(err).toBe('\r\x1b[Kevil \\x1b]0;t\\x07 stage [########################] 100% (1/1)\r\x1b[K');
  });
  it('clip cuts by terminal columns after sanitizing, so no sequence is left open', () => {
    const link = '\x1b]8;;https://evil.example/\x1b\\a long link text\x1b]8;;\x1b\\';
    const c = clip(`漢字 ${link}`, 20);
    expect(displayWidth(c)).toBeLessThanOrEqual(20);
    expect(c).not.toContain('\x1b');
    expect(c.endsWith('…')).toBe(true);
  });
});

const B = 'b'.repeat(40);
const ID = (n: number) => `01kc${String(n).padStart(22, '0')}`;
const start = { id: ID(1), ts: '2026-01-01T00:00:00.000Z', kind: 'start', goal: 'real', target: 'main', base: B, author: 'A <a@x>' };

describe('schema', () => {
  it('keeps valid events exactly (unknown fields too) and everything else as ForeignEvent with the reason', () => {
    const extra = { ...start, futureField: { x: 1 } };
    expect(parseEvent(extra)).toBe(extra);
    const cases: [unknown, RegExp, boolean][] = [
      [{ id: ID(2), ts: start.ts, kind: 'telepathy', thought: 'hi' }, /kind 'telepathy' is not known/, false],
      [{ id: ID(2), ts: start.ts, kind: 'decision', chosen: 'a', rationale: 'r' }, /^rejected: /, true],
      [{ id: ID(2), ts: 1767225600, kind: 'note', text: 'n' }, /^ts: /, true],
      [{ id: ID(2), ts: start.ts, kind: 'prompt', text: null }, /^text: /, true],
      [{ id: 'x\u202e', ts: start.ts, kind: 'note', text: 'n' }, /^id: not a ULID/, true],
      [{ ...start, id: ID(2), target: '../../etc' }, /^target: not a branch name/, true],
      [{ id: ID(2), ts: start.ts, kind: 'land', commit: 'HEAD', target: 'main', strategy: 'squash', previousTip: B }, /^commit: not an object id/, true],
      [42, /not a JSON object/, true],
      [{ id: ID(2), ts: start.ts }, /kind: missing/, true],
    ];
    for (const [value, reason, invalid] of cases) {
      const ev = parseEvent(value);
      expect(ev.kind, JSON.stringify(value)).toBe('foreign');
      if (ev.kind !== 'foreign') continue;
      expect(ev.reason).toMatch(reason);
      expect(ev.invalid).toBe(invalid);
      expect(ev.data).toBe(value);
      expect(eventLine(ev)).toBe(JSON.stringify(value)); // written back exactly as read
    }
  });
  it('checks session.json: shape, format, and that it speaks for its own ref', () => {
    const s = foldEvents(ID(0), [start as StoredEvent]);
    expect(checkSummary(s, ID(0))).toEqual({ ok: true, summary: s });
    expect(checkSummary(s, ID(9))).toEqual({ ok: false, reason: `session.json names another session (${ID(0)})` });
    expect(checkSummary({ ...s, format: 2, state: 'teleported' }, ID(0))).toMatchObject({ ok: false, reason: /format 2/ });
    expect(checkSummary({ ...s, events: -1 }, ID(0))).toMatchObject({ ok: false, reason: /^session.json: events: / });
    expect(checkSummary({ ...s, id: 'x' }, 'x')).toMatchObject({ ok: false, reason: /id: not a ULID/ });
  });
});

describe('the fold under a union', () => {
  const ev = (n: number, ts: string, body: object) => ({ id: ID(n), ts, ...body }) as StoredEvent;
  const forgedStart = ev(50, '2000-01-01T00:00:00.000Z', { kind: 'start', goal: 'pwned', target: 'evil', base: B, author: 'E <e@x>' });
  const forgedLand = ev(51, '2026-02-01T00:00:00.000Z', { kind: 'land', commit: 'c'.repeat(40), target: 'main', strategy: 'squash', previousTip: B });
  const note = ev(3, '2026-01-02T00:00:00.000Z', { kind: 'note', text: 'n' });

  it('obeys the session’s own start and only verified lands; the rest is kept, counted and flagged', () => {
    const union = unionEvents([start as StoredEvent, note], [forgedStart, forgedLand], start.id);
    expect(union[0].id).toBe(start.id); // a start dated earlier does not displace the session's own
    expect(union.map((e) => e.id)).toEqual([start.id, forgedStart.id, note.id, forgedLand.id]);
    const s = foldEvents(ID(0), union, { start: start.id, landFault: (l) => (l.id === forgedLand.id ? 'not on main' : undefined) });
    expect(s).toMatchObject({ goal: 'real', target: 'main', state: 'open', events: 4, updatedAt: note.ts });
    expect(s.flagged).toEqual([
      { id: forgedStart.id, kind: 'start', reason: expect.stringMatching(/second start/) },
      { id: forgedLand.id, kind: 'land', reason: 'not on main' },
    ]);
    // The same land, verified, lands the session; an abandon after it is flagged.
    const abandon = ev(60, '2026-03-01T00:00:00.000Z', { kind: 'abandon' });
    const landed = foldEvents(ID(0), [...union, abandon], { start: start.id, landFault: () => undefined });
    expect(landed.state).toBe('landed');
    expect(landed.flagged?.map((f) => f.kind)).toEqual(['start', 'abandon']);
  });
  it('bounds the flagged list, whatever a remote floods it with', () => {
    const flood = Array.from({ length: MAX_FLAGGED + 50 }, (_, i) => ev(100 + i, '2026-01-03T00:00:00.000Z', { kind: 'note', text: null }));
    const s = foldEvents(ID(0), [start as StoredEvent, ...flood.map((e) => parseEvent(e))]);
    expect(s.events).toBe(MAX_FLAGGED + 51);
    expect(s.flagged).toHaveLength(MAX_FLAGGED);
  });
  it('dropped() names what a copy lacks, by id (or stored text for id-less events)', () => {
    const idless = parseEvent({ ts: 'x', kind: 'note', text: 'no id' });
    expect(dropped([start as StoredEvent, note, idless], [start as StoredEvent])).toEqual([note, idless]);
    expect(dropped([idless], [parseEvent({ ts: 'x', kind: 'note', text: 'no id' })])).toEqual([]);
  });
});
