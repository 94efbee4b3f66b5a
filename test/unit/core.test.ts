import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idTime, isId, newId, resolvePrefix } from '../../src/core/ids.js';
import { checkGoal, checkRefName, checkRepoPath, parseRejected } from '../../src/core/validate.js';
import { applyEvent, compareEvents, FoldDelta, foldEvents, unionEvents } from '../../src/core/fold.js';
import { plural, shortOid } from '../../src/core/text.js';
import { chunkDir, chunkFile, chunkFull, parseSessionRef } from '../../src/core/layout.js';
import type { SessionEvent } from '../../src/core/types.js';
import { GsError } from '../../src/core/errors.js';
import { exitCode } from '../../src/cli/exit.js';

const rnd = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));

describe('ids', () => {
  it('are well-formed, carry their time, and sort by creation time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 47 }), { minLength: 2, maxLength: 30 }), (times) => {
        const sorted = [...times].sort((a, b) => a - b);
        const ids = sorted.map((t) => newId(t, rnd));
        for (let i = 0; i < ids.length; i++) {
          expect(isId(ids[i])).toBe(true);
          expect(idTime(ids[i])).toBe(sorted[i]);
          if (i) expect(ids[i] > ids[i - 1]).toBe(true);
        }
      }),
    );
  });
  it('stay unique and ordered within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId(1_700_000_000_000, rnd));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });
  it('resolve unique prefixes, refuse unknown and ambiguous ones listing candidates', () => {
    const ids = ['01aaaaaaaaaaaaaaaaaaaaaaaa', '01aaaaaaaaaaaaaaaaaaaaaaab', '01bbbbbbbbbbbbbbbbbbbbbbbb'];
    expect(resolvePrefix('01b', ids)).toBe(ids[2]);
    expect(resolvePrefix('01AAAAAAAAAAAAAAAAAAAAAAAB', ids)).toBe(ids[1]);
    expect(() => resolvePrefix('01c', ids)).toThrow(/no session matches/);
    try {
      resolvePrefix('01a', ids);
      expect.unreachable();
    } catch (e) {
      expect((e as GsError).code).toBe('ambiguous-session');
      expect((e as GsError).message).toContain(ids[0]);
      expect((e as GsError).message).toContain(ids[1]);
      expect(exitCode((e as GsError).code)).toBe(2);
    }
    expect(() => resolvePrefix('../x', ids)).toThrow(/not a session id/);
  });
});

describe('validation', () => {
  it('refuses empty goals and control characters', () => {
    expect(() => checkGoal('  ')).toThrow(/goal is empty/);
    expect(() => checkGoal('a\x07b')).toThrow(/control character/);
    expect(checkGoal('  fix it ')).toBe('fix it');
  });
  it('accepts what git accepts as branch names and refuses escapes', () => {
    for (const ok of ['main', 'feature/x', 'a-b_c.d']) expect(checkRefName(ok)).toBe(ok);
    for (const bad of ['', '../x', 'a..b', '/a', 'a/', 'a//b', '-x', 'a.lock', 'a b', 'a\x01', '.hidden', 'a/.b', 'x@{1}', 'a:b'])
      expect(() => checkRefName(bad), bad).toThrow(GsError);
  });
  it('keeps repository paths inside the repository', () => {
    expect(checkRepoPath('src/a.ts')).toBe('src/a.ts');
    for (const bad of ['/etc/passwd', '../x', 'a/../../b', 'a\nb', '']) expect(() => checkRepoPath(bad), bad).toThrow(GsError);
  });
  it('parses rejected alternatives', () => {
    expect(parseRejected('redis: too heavy: really')).toEqual({ option: 'redis', reason: 'too heavy: really' });
    expect(() => parseRejected('redis')).toThrow(/--rejected/);
    expect(() => parseRejected('redis:  ')).toThrow(/--rejected/);
  });
});

function ev(id: string, ts: string, body: object): SessionEvent {
  return { id, ts, ...body } as SessionEvent;
}
const start = ev('01a', '2026-01-01T00:00:00.000Z', { kind: 'start', goal: 'g', target: 'main', base: 'b'.repeat(40), author: 'A <a@x>' });

describe('fold', () => {
  it('derives state, work and counts from events', () => {
    const s = foldEvents('S', [
      start,
      ev('01b', '2026-01-01T00:00:01.000Z', { kind: 'note', text: 'n' }),
      ev('01c', '2026-01-01T00:00:02.000Z', { kind: 'snapshot', commit: 'c'.repeat(40), parent: 'b'.repeat(40), message: 'm', files: [{ path: 'a', status: 'A' }] }),
      ev('01d', '2026-01-01T00:00:03.000Z', { kind: 'land', commit: 'd'.repeat(40), target: 'main', strategy: 'squash', previousTip: 'b'.repeat(40) }),
      ev('01e', '2026-01-01T00:00:04.000Z', { kind: 'abandon' }),
    ]);
    // The abandon after the landing is kept (counted) and flagged, and changes nothing else.
    expect(s).toMatchObject({ id: 'S', state: 'landed', work: 'c'.repeat(40), files: 1, events: 5, updatedAt: '2026-01-01T00:00:03.000Z' });
    expect(s.flagged).toEqual([{ id: '01e', kind: 'abandon', reason: 'abandon after the session landed' }]);
    expect(s.counts).toEqual({ start: 1, note: 1, snapshot: 1, land: 1, abandon: 1 });
    expect(() => foldEvents('S', [ev('x', 't', { kind: 'note', text: 'n' })])).toThrow(/start event/);
  });
  it('merges diverged event lists as a stable union that loses nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.boolean()), { maxLength: 40 }), (spec) => {
        const common: SessionEvent[] = [start];
        const a = [...common];
        const b = [...common];
        spec.forEach(([t, inA, inB], i) => {
          const e = ev(`01z${String(i).padStart(4, '0')}`, `2026-01-01T00:00:${String(t).padStart(2, '0')}.000Z`, { kind: 'note', text: String(i) });
          if (inA || !inB) a.push(e);
          if (inB) b.push(e);
        });
        const u1 = unionEvents(a, b);
        const u2 = unionEvents(b, a);
        expect(u1).toEqual(u2);
        expect(new Set(u1.map((e) => e.id))).toEqual(new Set([...a, ...b].map((e) => e.id)));
        expect(u1[0].kind).toBe('start');
        for (let i = 2; i < u1.length; i++) expect(compareEvents(u1[i - 1], u1[i])).toBeLessThan(0);
        expect(foldEvents('S', u1).events).toBe(u1.length);
      }),
    );
  });
  it('gathers streamed events into the same summary as folding them one by one', () => {
    const kinds = ['note', 'prompt', 'snapshot', 'abandon', 'sync', 'land'] as const;
    const body = (k: (typeof kinds)[number], i: number): object => {
      const c = String(i % 10).repeat(40);
      if (k === 'snapshot') return { kind: k, commit: c, parent: c, message: 'm', files: Array.from({ length: i % 3 }, (_, j) => ({ path: `f${j}`, status: 'A' })) };
      if (k === 'sync') return { kind: k, from: c, to: c, ...(i % 2 ? { work: c } : {}) };
      if (k === 'land') return { kind: k, commit: c, target: 'main', strategy: 'squash', previousTip: c };
      return k === 'abandon' ? { kind: k } : { kind: k, text: String(i) };
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 59 })), { maxLength: 30 }), (spec) => {
        const events = spec.map(([k, t], i) => ev(`01y${String(i).padStart(4, '0')}`, `2026-01-01T00:01:${String(t).padStart(2, '0')}.000Z`, body(k, i)));
        const delta = new FoldDelta();
        for (const e of events) delta.add(e);
        expect(delta.applyTo(foldEvents('S', [start]))).toEqual(foldEvents('S', [start, ...events]));
      }),
    );
  });
  it('applies events without mutating the input summary', () => {
    const s0 = foldEvents('S', [start]);
    const copy = JSON.parse(JSON.stringify(s0));
    applyEvent(s0, ev('01b', '2026-01-01T00:00:01.000Z', { kind: 'abandon' }));
    expect(s0).toEqual(copy);
  });
});

describe('text', () => {
  it('shortens object ids and counts things', () => {
    expect(shortOid('0123456789abcdef0123456789abcdef01234567')).toBe('0123456789ab');
    expect([0, 1, 2].map((n) => plural(n, 'file'))).toEqual(['0 files', '1 file', '2 files']);
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});

describe('layout', () => {
  it('names chunks so they sort in order and seals full ones', () => {
    expect(chunkDir(0)).toBe('0000');
    expect(chunkDir(256)).toBe('0001');
    expect(chunkFile(7)).toBe('000007.jsonl');
    expect(chunkFull(128, 10)).toBe(true);
    expect(chunkFull(1, 70000)).toBe(true);
    expect(chunkFull(127, 100)).toBe(false);
    expect(parseSessionRef('refs/sessions/abc/meta')).toEqual({ id: 'abc', leaf: 'meta' });
    expect(parseSessionRef('refs/heads/x')).toBeUndefined();
  });
});
