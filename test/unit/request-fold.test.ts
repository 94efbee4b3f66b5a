// Prompt requests in the fold: which review and run events a request obeys (core/request.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FoldDelta, foldEvents, unionEvents } from '../../src/core/fold.js';
import { requestView } from '../../src/core/request.js';
import { parseEvent } from '../../src/core/schema.js';
import type { SessionEvent } from '../../src/core/types.js';

const C = 'c'.repeat(40);
const D = 'd'.repeat(40);
let n = 0;
// Ids sort like their times (as ULIDs do); `t` is seconds after the start.
const ev = (t: number, body: object): SessionEvent => ({ id: `01r${String(t).padStart(5, '0')}${String(n++).padStart(4, '0')}`.padEnd(26, '0'), ts: `2026-01-01T00:${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.000Z`, ...body }) as SessionEvent;
const start = (context: string[] = []) => ev(0, { kind: 'start', goal: 'g', target: 'main', base: C, author: 'Alice <a@x>', request: { context } });
const prompt = (t: number, text = 'p') => ev(t, { kind: 'prompt', text, author: 'Alice <a@x>' });
const review = (t: number, verdict: string, promptId: string, reason?: string) => ev(t, { kind: 'review', verdict, reviewer: 'Bob <b@x>', promptId, ...(reason ? { reason } : {}) });
const run = (t: number, promptId: string) => ev(t, { kind: 'run', promptId, base: D, runner: 'Bob <b@x>', agent: { name: 'claude' } });
const fold = (events: SessionEvent[]) => foldEvents('S', events);

describe('prompt requests in the fold', () => {
  it('a request starts requested and pending; each prompt before run is an iteration', () => {
    const s0 = start(['src/a.ts']);
    const p1 = prompt(1);
    const p2 = prompt(3);
    const s = fold([s0, p1, review(2, 'comment', p1.id, 'say bye too'), p2]);
    expect(s.state).toBe('requested');
    expect(s.request).toMatchObject({ status: 'pending', context: ['src/a.ts'], iterations: 2, prompt: p2.id, reviews: 1 });
    expect(s.flagged).toBeUndefined();
    const v = requestView(s, [s0, p1, review(2, 'comment', p1.id, 'say bye too'), p2])!;
    expect(v.iterations.map((i) => i.n)).toEqual([1, 2]);
    expect(v.history.map((h) => h.kind)).toEqual(['iteration', 'review', 'iteration']);
  });

  it('accepts only the latest iteration; a later iteration leaves it pending again', () => {
    const p1 = prompt(1);
    const p2 = prompt(2);
    const stale = review(3, 'accept', p1.id);
    let s = fold([start(), p1, p2, stale]);
    expect(s.request!.status).toBe('pending');
    expect(s.flagged).toEqual([{ id: stale.id, kind: 'review', reason: 'it accepts an iteration that is not the latest' }]);
    const ok = review(4, 'accept', p2.id);
    s = fold([start(), p1, p2, ok]);
    expect(s.request).toMatchObject({ status: 'accepted', accepted: p2.id, reviewer: 'Bob <b@x>' });
    s = fold([start(), p1, p2, ok, prompt(5)]);
    expect(s.request).toMatchObject({ status: 'pending', accepted: p2.id, iterations: 3 });
    expect(s.state).toBe('requested');
  });

  it('run opens an accepted request: state open, base the tip it ran on, the agent named', () => {
    const p1 = prompt(1);
    const r = run(3, p1.id);
    const s = fold([start(), p1, review(2, 'accept', p1.id), r]);
    expect(s).toMatchObject({ state: 'open', base: D, startBase: C, agent: { name: 'claude' } });
    expect(s.request!.ran).toEqual({ by: 'Bob <b@x>', at: r.ts, prompt: p1.id });
    // After the run, prompts are the working session's, reviews change nothing.
    const after = fold([start(), p1, review(2, 'accept', p1.id), r, prompt(4), review(5, 'reject', p1.id, 'no'), review(6, 'comment', p1.id, 'nice')]);
    expect(after.state).toBe('open');
    expect(after.request!.iterations).toBe(1);
    expect(after.flagged?.map((f) => f.reason)).toEqual(['a review after the request was run']);
  });

  it('a run is kept as data unless the iteration it names was accepted', () => {
    const p1 = prompt(1);
    const p2 = prompt(3);
    for (const events of [
      [start(), p1, run(2, p1.id)],
      [start(), p1, review(2, 'accept', p1.id), p2, run(4, p2.id)],
      [start(), p1, review(2, 'accept', p1.id), review(3, 'reject', p1.id, 'no'), run(4, p1.id)],
    ]) {
      const s = fold(events);
      expect(s.state).not.toBe('open');
      expect(s.request!.ran).toBeUndefined();
      expect(s.flagged?.[0].kind).toBe('run');
    }
    // A concurrent iteration does not undo a run of the accepted one.
    expect(fold([start(), p1, review(2, 'accept', p1.id), prompt(3), run(4, p1.id)]).state).toBe('open');
  });

  it('reject closes with its reason; an accept reopens a rejected request, never a withdrawn one', () => {
    const p1 = prompt(1);
    let s = fold([start(), p1, review(2, 'reject', p1.id, 'out of scope')]);
    expect(s.state).toBe('abandoned');
    expect(s.request).toMatchObject({ status: 'rejected', reason: 'out of scope', reviewer: 'Bob <b@x>' });
    s = fold([start(), p1, review(2, 'reject', p1.id, 'out of scope'), review(3, 'accept', p1.id)]);
    expect(s.state).toBe('requested');
    expect(s.request).toMatchObject({ status: 'accepted' });
    expect(s.request!.reason).toBeUndefined();
    s = fold([start(), p1, ev(2, { kind: 'abandon', reason: 'withdrawn' }), review(3, 'accept', p1.id)]);
    expect(s.state).toBe('abandoned');
    expect(s.flagged?.[0].reason).toBe('an accept of a request that is abandoned');
  });

  it('a request holds no work; reviews and runs of ordinary sessions are not obeyed', () => {
    const p1 = prompt(1);
    const snap = ev(2, { kind: 'snapshot', commit: D, parent: C, message: 'm', files: [{ path: 'x', status: 'A' }] });
    const s = fold([start(), p1, snap]);
    expect(s.work).toBeUndefined();
    expect(s.flagged?.[0]).toMatchObject({ kind: 'snapshot', reason: 'a prompt request holds no work until it is run' });
    // Nor does it land (a pulled land, or a commit naming it) before it is run.
    const land = ev(3, { kind: 'land', commit: D, target: 'main', strategy: 'squash', previousTip: C });
    const landing = ev(4, { kind: 'landing', commit: D, tree: C, branch: 'release', via: 'trailer' });
    const l = fold([start(), p1, land, landing]);
    expect(l.state).toBe('requested');
    expect(l.landed).toBeUndefined();
    expect(l.landings).toBeUndefined();
    expect(l.flagged?.map((f) => f.kind)).toEqual(['land', 'landing']);
    const rejected = fold([start(), p1, review(3, 'reject', p1.id, 'no'), { ...landing, id: landing.id.replace(/0$/, '1') }]);
    expect(rejected.landings).toBeUndefined();
    expect(rejected.flagged?.map((f) => f.kind)).toEqual(['landing']);
    const plain = ev(0, { kind: 'start', goal: 'g', target: 'main', base: C, author: 'A <a@x>' });
    const o = fold([plain, review(1, 'accept', p1.id), run(2, p1.id)]);
    expect(o.state).toBe('open');
    expect(o.base).toBe(C);
    expect(o.flagged?.map((f) => f.kind)).toEqual(['review', 'run']);
  });

  it('the schema reads every request event back, and refuses a malformed one as data', () => {
    const p1 = prompt(1);
    for (const e of [start(['a']), p1, review(2, 'accept', p1.id)]) expect(parseEvent(JSON.parse(JSON.stringify(e))).kind).toBe(e.kind);
    const bad = parseEvent(JSON.parse(JSON.stringify(review(3, 'maybe', p1.id))));
    expect(bad).toMatchObject({ kind: 'foreign', invalid: true, type: 'review' });
  });

  // Brute force over random histories: whatever order events arrive in (two copies merged),
  // a request is open only after a run of an iteration that an obeyed accept accepted, with
  // no reject obeyed in between; and streaming the events folds to the same summary.
  it('is open only through a run of an accepted iteration, in any history (property)', () => {
    const step = fc.tuple(fc.constantFrom('prompt', 'accept', 'acceptOld', 'reject', 'comment', 'run', 'runOld', 'abandon', 'snapshot'), fc.integer({ min: 1, max: 40 }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), fc.array(fc.boolean(), { maxLength: 14 }), (steps, side) => {
        const s0 = start();
        const first = prompt(0, 'first');
        const events: SessionEvent[] = [s0, first];
        const prompts = [first.id];
        for (const [k, t] of steps) {
          const latest = prompts[prompts.length - 1];
          const old = prompts[0];
          let e: SessionEvent;
          if (k === 'prompt') prompts.push((e = prompt(t)).id);
          else if (k === 'accept' || k === 'acceptOld') e = review(t, 'accept', k === 'accept' ? latest : old);
          else if (k === 'reject') e = review(t, 'reject', latest, 'no');
          else if (k === 'comment') e = review(t, 'comment', latest, 'hm');
          else if (k === 'run' || k === 'runOld') e = run(t, k === 'run' ? latest : old);
          else if (k === 'abandon') e = ev(t, { kind: 'abandon' });
          else e = ev(t, { kind: 'snapshot', commit: D, parent: C, message: 'm', files: [] });
          events.push(e);
        }
        // Two copies, each with some of the events, merged as pull merges them.
        const a = events.filter((_, i) => i < 2 || side[i - 2] !== false);
        const b = events.filter((_, i) => i < 2 || side[i - 2] !== true);
        const merged = unionEvents(a, b, s0.id) as SessionEvent[];
        const s = fold(merged);
        const flagged = new Set((s.flagged ?? []).map((f) => f.id));
        const obeyedRun = merged.find((e) => e.kind === 'run' && !flagged.has(e.id));
        expect(s.state === 'open').toBe(Boolean(obeyedRun) && s.state !== 'abandoned');
        if (obeyedRun?.kind === 'run') {
          const at = merged.indexOf(obeyedRun);
          const before = merged.slice(0, at).filter((e) => e.kind === 'review' && !flagged.has(e.id));
          const lastVerdict = before.filter((e) => e.kind === 'review' && e.verdict !== 'comment').pop();
          expect(lastVerdict).toMatchObject({ verdict: 'accept', promptId: obeyedRun.promptId });
          expect(merged.slice(at + 1).some((e) => e.kind === 'run' && !flagged.has(e.id))).toBe(false);
        }
        const delta = new FoldDelta();
        for (const e of merged.slice(1)) delta.add(e);
        expect(delta.applyTo(fold([s0]))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });
});
