// The snapshot scrubber (test/support/snapshot.ts): what varies from run to run gets a
// stable label, numbered in the order first seen, and nothing else changes.
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const A = '01kjmma3f8mnmdc1fzcbdhzvy1';
const B = '01kjmma5dregrbc8wacrtdm0zz';
const OID = 'cf672e85f6bac16b3bcfc59cfc310892ef9a57b2';

describe('Scrub', () => {
  it('labels ids and oids by first appearance, short forms with the same number', () => {
    const s = new Scrub();
    expect(s.text(`session ${B.slice(0, 12)} then ${A} and ${B} at ${OID.slice(0, 12)} (${OID})`)).toBe('session <id1:12> then <id2> and <id1> at <oid1:12> (<oid1>)');
    // Across calls the labels stay.
    expect(s.text(`${A.slice(0, 12)} ${OID}`)).toBe('<id2:12> <oid1>');
  });

  it('times, local ports, temporary folders and the checkout; words, numbers and kept tokens untouched', () => {
    const repo = join(realpathSync(tmpdir()), 'gs-repo-AbC123');
    const other = join(realpathSync(tmpdir()), 'gs-wt-Xy9zQ1');
    const s = new Scrub({ repo }).keep('01zzzzzzzzzzzzzzzzzzzzzzzz');
    expect(s.text(`${repo}/.git and ${other}/wt at 2026-03-01T12:00:01.000Z, 2026-03-01 12:00:01, git://127.0.0.1:40123/x`)).toBe('<repo>/.git and <tmp1>/wt at <time>, <time>, git://127.0.0.1:<port>/x');
    expect(s.text(`${ROOT}/test/fixtures/x.jsonl`)).toBe('<checkout>/test/fixtures/x.jsonl');
    expect(s.text('successfully abandoned 1234567890123 01zzzzzzzzzzzzzzzzzzzzzzzz')).toBe('successfully abandoned 1234567890123 01zzzzzzzzzzzzzzzzzzzzzzzz');
  });

  it('run keeps the exit code and scrubs both streams; rules apply last', () => {
    const s = new Scrub().rule(/\b\d+ ?ms\b/g, '<ms>');
    expect(s.run({ code: 3, stdout: `took 12 ms for ${A}\n`, stderr: `oops ${A.slice(0, 12)}\n` })).toEqual({ code: 3, stdout: 'took <ms> for <id1>\n', stderr: 'oops <id1:12>\n' });
  });
});
