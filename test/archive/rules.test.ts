// Pure rules of the archive and of large values: bucket lines read like any stored document,
// durations, which sessions gc may take, commit chains, and strings stored apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLines, bucketText, chainGroups, entryLine, keepReason, parseBucket, parseDuration } from '../../src/core/archive.js';
import { foldEvents } from '../../src/core/fold.js';
import { newId } from '../../src/core/ids.js';
import { inflateLarge, largeCount, splitLarge } from '../../src/core/large.js';
import { bucketOf, CHUNK_BYTES, chunkFull, fanOf, LARGE_LINE, LARGE_PREFIX, shardOf, shardOfRef } from '../../src/core/layout.js';
import { objectId } from '../../src/git/loose.js';
import type { SessionEvent } from '../../src/core/types.js';

const OID = 'a'.repeat(40);
const rnd = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);

function summaryOf(id: string, extra: Partial<SessionEvent> = {}) {
  const start = { id: newId(Date.parse('2026-03-05T10:00:00Z'), rnd), ts: '2026-03-05T10:00:00.000Z', kind: 'start', goal: 'g', target: 'main', base: OID, author: 'A <a@x>', ...extra } as SessionEvent;
  return foldEvents(id, [start]);
}

describe('archive layout', () => {
  it('puts a session in the month its id was made and a fan of its random part', () => {
    const id = newId(Date.parse('2026-03-31T23:59:59Z'), rnd);
    expect(shardOf(id)).toBe('2026-03');
    expect(fanOf(id)).toBe(id.slice(10, 12));
    expect(bucketOf(id)).toBe(id.slice(10, 11));
    expect(shardOfRef('refs/sessions/archive/2026-03')).toBe('2026-03');
    expect(shardOfRef('refs/sessions/archive/2026-3')).toBeUndefined();
    expect(shardOfRef('refs/sessions/archive/x/2026-03')).toBeUndefined();
  });

  it('reads a bucket like any stored document: foreign lines ignored, bad summaries damaged', () => {
    const id = newId(Date.parse('2026-03-05T10:00:00Z'), rnd);
    const other = newId(Date.parse('2025-01-05T10:00:00Z'), rnd);
    const good = entryLine({ id, meta: OID, summary: summaryOf(id) });
    const text = [
      good,
      'not json',
      JSON.stringify({ id: other, meta: OID, summary: summaryOf(other) }), // another shard's session
      JSON.stringify({ id, meta: 'zz', summary: {} }), // no commit id
      JSON.stringify({ id: id.slice(0, 10) + (id[10] === 'z' ? 'y' : 'z') + id.slice(11), meta: OID, summary: {} }), // another bucket
      JSON.stringify({ id, meta: OID, summary: { ...summaryOf(id), id: other } }), // names another session
    ].join('\n');
    const b = parseBucket(text, shardOf(id), bucketOf(id));
    expect(b.entries.map((e) => e.id)).toEqual([id]);
    expect(b.damaged).toHaveLength(1);
    expect(b.damaged[0].reason).toMatch(/another session/);
    expect(b.ignored).toBe(4);
  });

  it('rewrites a bucket sorted by id, so equal contents make equal blobs', () => {
    const ids = [3, 1, 2].map((k) => newId(Date.parse('2026-03-05T10:00:00Z') + k, rnd));
    const lines = new Map(ids.map((id) => [id, entryLine({ id, meta: OID, summary: summaryOf(id) })]));
    const text = bucketText(lines);
    expect([...bucketLines(text).keys()]).toEqual([...ids].sort());
    expect(bucketText(bucketLines(text))).toBe(text);
    expect(bucketText(new Map())).toBe('');
  });

  it('chains at most 16 kept tips per archive commit', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }), { maxLength: 100 }), (tips) => {
        const groups = chainGroups(tips);
        expect(groups.every((g) => g.length <= 16)).toBe(true);
        expect(new Set(groups.flat())).toEqual(new Set(tips));
      }),
    );
  });

  it('parses archiveAfter durations', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    for (const bad of ['', '5', 'soon', '-1d', '1y']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('archives only closed, public sessions quiet long enough', () => {
    const id = newId(Date.parse('2026-03-05T10:00:00Z'), rnd);
    const s = summaryOf(id);
    const now = Date.parse('2026-03-07T10:00:00Z');
    expect(keepReason(s, now, 0)).toBe('open');
    const landed = { ...s, state: 'landed' as const };
    expect(keepReason(landed, now, 86_400_000)).toBeUndefined();
    expect(keepReason(landed, now, 3 * 86_400_000)).toBe('recent');
    expect(keepReason({ ...landed, private: true as const }, now, 0)).toBe('private');
    expect(keepReason({ ...s, state: 'abandoned' as const }, now, 0)).toBeUndefined();
  });
});

describe('large values', () => {
  const blobId = (t: string) => objectId('blob', Buffer.from(t));
  const event = (fields: Record<string, unknown>) => JSON.stringify({ id: '01m8kze3stg41j4tt9071n1mre', ts: '2026-03-05T10:00:00.000Z', kind: 'message', role: 'tool', ...fields });

  it('leaves a line that fits as it is', () => {
    const line = event({ text: 'x'.repeat(LARGE_LINE - 200) });
    expect(splitLarge(line, blobId)).toEqual({ line, parts: [] });
  });

  it('stores long strings apart until the line fits, keeping a prefix and where the whole is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: LARGE_LINE, maxLength: 3 * LARGE_LINE, unit: 'grapheme' }), fc.array(fc.string({ maxLength: 3000 }), { maxLength: 8 }), (text, reasons) => {
        const line = event({ text, rejected: reasons.map((r) => ({ option: 'o', reason: r.repeat(8) })) });
        const { line: out, parts } = splitLarge(line, blobId);
        expect(Buffer.byteLength(out)).toBeLessThanOrEqual(LARGE_LINE);
        const stub = JSON.parse(out);
        expect(stub.text.startsWith(text.slice(0, LARGE_PREFIX - 1))).toBe(true);
        expect(stub.text).toMatch(/bytes in all: git cat-file blob [0-9a-f]{40}\]$/);
        expect(largeCount(out)).toBe(parts.length);
        const back = inflateLarge(stub, new Map(parts.map((p) => [p.oid, p.text])));
        expect(back).toEqual(JSON.parse(line));
      }),
      { numRuns: 25 },
    );
  });

  it('keeps a reference whose blob is missing as a stub', () => {
    const { line } = splitLarge(event({ text: 'y'.repeat(3 * LARGE_LINE) }), blobId);
    const stub = JSON.parse(line);
    expect(inflateLarge(stub, new Map())).toEqual(stub);
  });

  it('seals a chunk before a line would take it past its limit', () => {
    expect(chunkFull(1, CHUNK_BYTES - 10, 100)).toBe(true);
    expect(chunkFull(1, CHUNK_BYTES - 100, 50)).toBe(false);
    expect(chunkFull(1, 10, 10, 17)).toBe(true);
  });
});
