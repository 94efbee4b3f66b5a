// Pure parts of the conflicted state: marker parsing, the fold of the new events, the op log.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../src/core/fold.js';
import { findMarkers, hasMarkers, relabelMarkers } from '../../src/core/markers.js';
import { lastUndoable, opLog, restoredBy, sinceConflict } from '../../src/core/oplog.js';
import type { EventBody, SessionEvent } from '../../src/core/types.js';

const B = 'b'.repeat(40);
const T = 't'.repeat(40);

describe('conflict markers', () => {
  const text = ['keep', '<<<<<<< session x', 'ours 1', 'ours 2', '||||||| base y', 'base', '=======', 'theirs', '>>>>>>> main z', 'tail', ''].join('\n');

  it('finds each region with the line ranges of both sides and the base', () => {
    expect(findMarkers(text)).toEqual([{ start: 2, end: 9, ours: [3, 4], base: [6, 6], theirs: [8, 8] }]);
    expect(findMarkers('<<<<<<< a\n=======\n>>>>>>> b\n')).toEqual([{ start: 1, end: 3, ours: [2, 1], theirs: [3, 2] }]);
    expect(hasMarkers('a\n=======\nb\n')).toBe(false);
    expect(hasMarkers('<<<<<<< only an opening\nx\n')).toBe(false);
  });

  it('renames only the labels it was given', () => {
    const out = relabelMarkers('<<<<<<< S\nx\n||||||| abcdef1\ny\n=======\nz\n>>>>>>> T\n<<<<<<< other\n', { ours: 'S', base: 'abcdef1234', theirs: 'T' }, { ours: 'session 1', base: 'base 2', theirs: 'main 3' });
    expect(out).toBe('<<<<<<< session 1\nx\n||||||| base 2\ny\n=======\nz\n>>>>>>> main 3\n<<<<<<< other\n');
  });

  it('a file made of marker-free lines never has markers (property)', () => {
    fc.assert(fc.property(fc.array(fc.string().filter((l) => !/^[<|=>]{7}/.test(l))), (lines) => !hasMarkers(lines.join('\n'))));
  });
});

let n = 0;
const ev = (body: EventBody): SessionEvent => ({ id: `e${String(++n).padStart(4, '0')}`, ts: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`, ...body }) as SessionEvent;

/** start, snapshot, a sync that conflicted, a resolution with its snapshot, a landing. */
function history(): SessionEvent[] {
  const snap1 = ev({ kind: 'snapshot', commit: 'w1', parent: B, message: 's', files: [{ path: 'f', status: 'M' }], prevWork: null });
  const conflict = ev({ kind: 'conflict', files: ['f'], commits: [T], count: 1, range: { from: B, to: T }, during: 'sync', work: 'w2', prevWork: 'w1' });
  const snap2 = ev({ kind: 'snapshot', commit: 'w3', parent: 'w2', message: 's', files: [{ path: 'f', status: 'M' }], prevWork: 'w2' });
  const res = ev({ kind: 'resolution', paths: [{ path: 'f', how: 'edited' }], remaining: [], snapshot: snap2.id });
  const land = ev({ kind: 'land', commit: 'L', target: 'main', strategy: 'squash', previousTip: T });
  return [ev({ kind: 'start', goal: 'g', target: 'main', base: B, author: 'a <a@b>' }), snap1, conflict, snap2, res, land];
}

describe('the fold of the conflicted state', () => {
  it('a sync that wrote markers makes it conflicted; a resolution with nothing left opens it again', () => {
    const events = history();
    expect(foldEvents('s', events.slice(0, 3))).toMatchObject({ state: 'conflicted', base: T, work: 'w2', conflicted: ['f'] });
    expect(foldEvents('s', events.slice(0, 5))).toMatchObject({ state: 'open', base: T, work: 'w3' });
    expect(foldEvents('s', events.slice(0, 5)).conflicted).toBeUndefined();
    // A conflict during land, or a sync that wrote nothing, changes no state.
    const plain = [events[0], ev({ kind: 'conflict', files: ['f'], commits: [T], during: 'land' })];
    expect(foldEvents('s', plain).state).toBe('open');
  });

  it('an undo puts the restored fields back', () => {
    const events = history();
    const undo = ev({ kind: 'undo', of: events[5].id, op: 'land', restore: { state: 'open', base: T, work: 'w3', files: 1 }, target: { ref: 'refs/heads/main', from: 'L', to: T } });
    const s = foldEvents('s', [...events, undo]);
    expect(s).toMatchObject({ state: 'open', base: T, work: 'w3' });
    expect(s.landed).toBeUndefined();
  });
});

describe('the op log', () => {
  it('groups a resolution with its snapshot, and undo walks back one operation at a time', () => {
    let events = history();
    let ops = opLog('s', events);
    expect(ops.map((o) => o.kind)).toEqual(['snapshot', 'conflict', 'snapshot', 'land']);
    expect(ops[2].events).toHaveLength(2);
    expect(lastUndoable(ops)?.kind).toBe('land');
    const undo1 = ev({ kind: 'undo', of: ops[3].id, op: 'land', restore: restoredBy(ops[3]) });
    events = [...events, undo1];
    ops = opLog('s', events);
    expect(lastUndoable(ops)?.kind).toBe('snapshot');
    expect(restoredBy(lastUndoable(ops)!)).toEqual({ state: 'conflicted', base: T, work: 'w2', files: 1, conflicted: ['f'] });
    expect(restoredBy(ops[1])).toEqual({ state: 'open', base: B, work: 'w1', files: 1 });
  });

  it('an abort reverts the conflicted sync and everything after it', () => {
    const events = history().slice(0, 4);
    const ops = opLog('s', events);
    const since = sinceConflict(ops)!;
    expect(since.map((o) => o.kind)).toEqual(['conflict', 'snapshot']);
    const abort = ev({ kind: 'undo', of: since[0].id, op: 'conflict', restore: restoredBy(since[0]) });
    const after = opLog('s', [...events, abort]);
    expect(after.filter((o) => o.undoneBy).map((o) => o.kind)).toEqual(['conflict', 'snapshot']);
    expect(lastUndoable(after)?.kind).toBe('snapshot');
    expect(lastUndoable(after)?.id).toBe(ops[0].id);
  });
});
