// Transcript imports under stress (issue 10, findings 10-11): a line over the documented
// limit and a UTF-8 BOM; re-imports add only what is new (resume point, or source ids
// when the file was rewritten); the same transcript or range twice names the session it
// is in and writes nothing; a wrong forced --format names the format that fits.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/repo/bridges/transcript-file.js';
import { cli, makeRepo, refsSnapshot, ROOT } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const FIX = join(ROOT, 'fixtures', 'transcripts');
const claude = readFileSync(join(FIX, 'claude-code.jsonl'), 'utf8');
const codex = readFileSync(join(FIX, 'codex.jsonl'), 'utf8');

function tmpFile(name: string, text: string | Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'gs-tr-')), name);
  writeFileSync(p, text);
  return p;
}

const nonEmpty = (t: string) => t.split('\n').filter((l) => l.trim());

describe('import --transcript: limits and encodings', () => {
  it('a line over the limit is exit 2 naming the line, and nothing is written', async () => {
    const dir = makeRepo();
    const p = join(mkdtempSync(join(tmpdir(), 'gs-tr-')), 'huge.jsonl');
    const fd = openSync(p, 'w');
    writeSync(fd, nonEmpty(claude).slice(0, 2).join('\n') + '\n{"type":"user","message":{"content":"');
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i <= MAX_LINE_BYTES / block.length; i++) writeSync(fd, block);
    writeSync(fd, '"}}\n');
    closeSync(fd);
    const before = refsSnapshot(dir);
    const r = await cli(dir, ['import', '--transcript', p]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`git-session: transcript line 3 is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, the longest line an import takes`);
    expect(refsSnapshot(dir)).toBe(before);
  });

  it('accepts a UTF-8 BOM', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['import', '--transcript', tmpFile('bom.jsonl', '\uFEFF' + claude), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().format).toBe('claude-code');
  });

  it('a wrong forced --format is exit 2 naming the one that fits, and nothing is written', async () => {
    const dir = makeRepo();
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['import', '--transcript', join(FIX, 'codex.jsonl'), '--format', 'claude-code']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: this transcript is not claude-code (30 of 30 lines not recognised); it looks like codex: use --format codex (or auto)
      ",
        "stdout": "",
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
    expect(scrub.run(await cli(dir, ['import', '--transcript', join(FIX, 'claude-code.jsonl'), '--format', 'codex']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: this transcript is not codex (33 of 33 lines not recognised); it looks like claude-code: use --format claude-code (or auto)
      ",
        "stdout": "",
      }
    `);
  });
});

describe('import --transcript is idempotent', () => {
  it('twice: the same session, nothing written; grown: only the new items; rewritten: only what changed', async () => {
    const dir = makeRepo();
    const lines = nonEmpty(claude);
    const half = Math.ceil(lines.length / 2);
    const p = tmpFile('t.jsonl', lines.slice(0, half).join('\n') + '\n');
    const first = await cli(dir, ['import', '--transcript', p, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const id = first.json().session;
    const events1 = first.json().events;

    const refs = refsSnapshot(dir);
    const again = await cli(dir, ['import', '--transcript', p]);
    expect(again.stdout.trim()).toBe(id);
    expect(new Scrub({ repo: dir }).run(again)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "already imported in <id1:12>: nothing new in this transcript
      ",
        "stdout": "<id1>
      ",
      }
    `);
    expect(refsSnapshot(dir)).toBe(refs);

    // The agent wrote on: only the new lines' items are added, to the same session.
    writeFileSync(p, lines.join('\n') + '\n');
    const grown = await cli(dir, ['import', '--transcript', p, '--json']);
    expect(grown.json()).toMatchObject({ session: id, created: false, unchanged: false });
    const whole = await cli(makeRepo(), ['import', '--transcript', p, '--json']);
    // Same items as one import of the whole file (+1 for the second import event).
    expect(grown.json().events).toBe(whole.json().events + 1);
    expect(grown.json().added).toBe(whole.json().events - events1);

    // Rewritten in the middle: the resume point no longer matches; source ids keep the rest.
    const edited = [...lines];
    const k = edited.findIndex((l) => l.includes('"type":"user"') && l.includes('"content":"'));
    edited[k] = edited[k].replace('"content":"', '"content":"EDITED ');
    writeFileSync(p, edited.join('\n') + '\n');
    const rewritten = await cli(dir, ['import', '--transcript', p, '--json']);
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(rewritten.json()).toMatchObject({ session: id, added: 1 });
    const texts = (await cli(dir, ['log', id, '--json'])).json().events.filter((e: { text?: string }) => e.text?.startsWith('EDITED ')).length;
    expect(texts).toBe(1);
  });

  it('with --session, twice: no duplicate events', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'host', '--json'])).json().id;
    const a = await cli(dir, ['import', '--transcript', join(FIX, 'codex.jsonl'), '--session', id, '--json']);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(dir, ['import', '--transcript', join(FIX, 'codex.jsonl'), '--session', id, '--json']);
    expect(b.json()).toMatchObject({ unchanged: true, added: 0, events: a.json().events });
    expect(nonEmpty(codex).length).toBeGreaterThan(3);
  });
});
