// The pure rules that tie rewritten commits to sessions (core/links.ts) and what the fold
// does with a landing, an export, and a pull's verdict on a landing or an undo.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents, summaryFromStart } from '../../src/core/fold.js';
import { decideLink, landedCommits, linkedCommits, linkKind, sessionIdsIn, withoutPrNumber, type CommitMatches } from '../../src/core/links.js';
import { opLog } from '../../src/core/oplog.js';
import { parseEvent } from '../../src/core/schema.js';
import type { SessionEvent, SessionSummary } from '../../src/core/types.js';

const ID = '01jabcdefghjkmnpqrstvwxyz0';
const ID2 = '01jabcdefghjkmnpqrstvwxyz1';
const oid = (c: string) => c.repeat(40);
let n = 0;
const ev = (body: object): SessionEvent => ({ id: `01jaaaaaaaaaaaaaaaaaaaa${String(n++).padStart(3, '0')}`, ts: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`, ...body }) as SessionEvent;
const start = () => ev({ kind: 'start', goal: 'g', target: 'main', base: oid('b'), author: 'A <a@x>' });
const landed = (): SessionSummary => {
  const s = { ...summaryFromStart(start()), id: ID };
  return applyEvent(s, ev({ kind: 'land', commit: oid('1'), target: 'main', strategy: 'squash', previousTip: oid('b'), tree: oid('c'), patchId: oid('a') }));
};

describe('sessionIdsIn', () => {
  it('finds every Session-Id line anywhere, once each, in order; ignores what is not an id', () => {
    const forge = `Greet by name (#12)\n\n* Greet by name\n\nSession-Id: ${ID}\n\n---------\n\nCo-authored-by: X <x@example.com>\n  Session-Id:   ${ID2}  \nsession-id: ${ID}\nSession-Id: not-an-id\nSession-Id: ${ID} trailing words`;
    expect(sessionIdsIn(forge)).toEqual([ID, ID2]);
    expect(sessionIdsIn('no trailer')).toEqual([]);
  });
  it('finds exactly the ids placed on their own lines among any other text (property)', () => {
    const line = fc.string().filter((s) => !/session-id/i.test(s) && !s.includes('\n'));
    const ids = fc.array(fc.constantFrom(ID, ID2, '01jzzzzzzzzzzzzzzzzzzzzzzz'), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), ids, (text, placed) => {
        const lines = [...text];
        placed.forEach((id, i) => lines.splice(Math.min(i * 2, lines.length), 0, `Session-Id: ${id}`));
        expect(sessionIdsIn(lines.join('\n'))).toEqual([...new Set(placed)]);
      }),
    );
  });
  it('withoutPrNumber drops a forge suffix only', () => {
    expect(withoutPrNumber('Greet by name (#12)')).toBe('Greet by name');
    expect(withoutPrNumber('Fix (!7)')).toBe('Fix');
    expect(withoutPrNumber('Keep (this)')).toBe('Keep (this)');
  });
});

describe('decideLink', () => {
  const m = (o: Partial<CommitMatches>): CommitMatches => ({ trailer: [], rewrite: [], tree: [], patchId: [], partial: [], ...o });
  it('trailer, then recorded landings, then tree, then patch-id; two candidates are never a link', () => {
    expect(decideLink(m({ trailer: ['a', 'b'], tree: ['c'] }))).toEqual({ link: ['a', 'b'], via: 'trailer' });
    expect(decideLink(m({ rewrite: ['a'], tree: ['c'] }))).toEqual({ link: ['a'], via: 'rewrite' });
    expect(decideLink(m({ tree: ['a', 'a'], patchId: ['b'] }))).toEqual({ link: ['a'], via: 'tree' });
    expect(decideLink(m({ tree: ['a', 'b'], patchId: ['a'] }))).toEqual({ ambiguous: ['a', 'b'], via: 'tree' });
    expect(decideLink(m({ patchId: ['b'] }))).toEqual({ link: ['b'], via: 'patch-id' });
    expect(decideLink(m({ patchId: ['a', 'b'] }))).toEqual({ ambiguous: ['a', 'b'], via: 'patch-id' });
    expect(decideLink(m({ partial: ['a'] }))).toEqual({ partial: ['a'] });
    expect(decideLink(m({}))).toBeUndefined();
  });
  it('links by inference only when exactly one session matches (property)', () => {
    const ids = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 });
    fc.assert(
      fc.property(ids, ids, ids, ids, ids, (trailer, rewrite, tree, patchId, partial) => {
        const d = decideLink({ trailer, rewrite, tree, patchId, partial });
        if (d && 'link' in d && (d.via === 'tree' || d.via === 'patch-id')) {
          expect(d.link).toHaveLength(1);
          expect(new Set(d.via === 'tree' ? tree : patchId).size).toBe(1);
        }
        if (!trailer.length && !rewrite.length && new Set(tree).size > 1) expect(d).toEqual({ ambiguous: [...new Set(tree)], via: 'tree' });
      }),
    );
  });
});

describe('landings in the fold', () => {
  it('a rewrite on the landed branch moves the landed commit; a cherry-pick elsewhere changes nothing but the list', () => {
    let s = landed();
    s = applyEvent(s, ev({ kind: 'landing', commit: oid('2'), tree: oid('c'), patchId: oid('a'), branch: 'main', via: 'rewrite', from: oid('1') }));
    expect(s.landed).toMatchObject({ commit: oid('2'), first: oid('1') });
    s = applyEvent(s, ev({ kind: 'landing', commit: oid('3'), tree: oid('d'), patchId: oid('a'), branch: 'release', via: 'cherry-pick', from: oid('2') }));
    expect(s.state).toBe('landed');
    expect(s.landed!.commit).toBe(oid('2'));
    expect(landedCommits(s).sort()).toEqual([oid('1'), oid('2'), oid('3')]);
    expect(linkKind(s, oid('3'), 'release')).toBeUndefined();
    expect(linkKind(s, oid('4'), 'main')).toBe('landing');
  });
  it('an open session linked on its target lands; elsewhere, or abandoned, it is a landing', () => {
    const open = { ...summaryFromStart(start()), id: ID };
    expect(linkKind(open, oid('9'), 'main')).toBe('land');
    expect(linkKind(open, oid('9'), 'release')).toBe('landing');
    expect(linkKind({ ...open, state: 'abandoned' }, oid('9'), 'main')).toBe('landing');
    const exported = applyEvent(open, ev({ kind: 'export', branch: 'greet', tip: oid('e'), base: oid('b') }));
    expect(exported.exported).toMatchObject({ branch: 'greet', tip: oid('e') });
    expect(linkedCommits(exported)).toEqual([oid('e')]);
    const rebased = applyEvent(exported, ev({ kind: 'landing', commit: oid('f'), tree: oid('c'), branch: 'greet', via: 'rewrite', from: oid('e') }));
    expect(rebased.exported!.tip).toBe(oid('f'));
    expect(rebased.state).toBe('open');
  });
  it("a pull's verdicts: a landing on the target not there, an undo of a land still there, are flagged and change nothing", () => {
    const st = start();
    const land = ev({ kind: 'land', commit: oid('1'), target: 'main', strategy: 'squash', previousTip: oid('b') });
    const landing = ev({ kind: 'landing', commit: oid('2'), tree: oid('c'), branch: 'main', via: 'rewrite', from: oid('1') });
    const undo = ev({ kind: 'undo', of: land.id, op: 'land', restore: { state: 'open', base: oid('b'), work: null, files: 0 } });
    const s = foldEvents(ID, [st, land, landing, undo], { start: st.id, landFault: (e) => (e.id === landing.id ? 'not on main' : undefined), undoFault: () => 'still on main' });
    expect(s.state).toBe('landed');
    expect(s.landed!.commit).toBe(oid('1'));
    expect(s.flagged!.map((f) => [f.kind, f.reason])).toEqual([
      ['landing', 'not on main'],
      ['undo', 'still on main'],
    ]);
    // The op log leaves events the summary flagged out.
    const ops = opLog(ID, [st, land, landing, undo], new Set([undo.id]));
    expect(ops.map((o) => o.kind)).toEqual(['land']);
    expect(ops[0].undoneBy).toBeUndefined();
  });
  it('the schema reads landing and export events, and refuses malformed ones as data', () => {
    expect(parseEvent(ev({ kind: 'landing', commit: oid('2'), tree: oid('c'), via: 'rewrite' })).kind).toBe('landing');
    expect(parseEvent(ev({ kind: 'export', branch: 'greet', tip: oid('e'), base: oid('b') })).kind).toBe('export');
    const bad = parseEvent(ev({ kind: 'landing', commit: oid('2'), tree: oid('c'), via: 'guess' }));
    expect(bad).toMatchObject({ kind: 'foreign', invalid: true, type: 'landing' });
    expect(parseEvent(ev({ kind: 'land', commit: oid('1'), target: 'main', strategy: 'squash', previousTip: oid('b'), via: 'magic' }))).toMatchObject({ kind: 'foreign', invalid: true });
  });
});
