import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTranscript } from '../../src/repo/bridges/import-transcript.js';
import { GsError } from '../../src/core/errors.js';
import { exitCode } from '../../src/cli/exit.js';
import { Repo } from '../../src/repo/repo.js';
import { ROOT, cli, git, makeRepo, refsSnapshot } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const FIX = join(ROOT, 'fixtures', 'transcripts');
const secrets: { id: string; value: string }[] = JSON.parse(readFileSync(join(FIX, 'secrets.json'), 'utf8')).secrets;

function repoAt(dir: string): Repo {
  return Repo.open({ cwd: dir, clock: () => Date.parse('2026-05-01T00:00:00Z'), env: process.env });
}

describe('import --transcript', () => {
  for (const [file, format] of [['claude-code.jsonl', 'claude-code'], ['codex.jsonl', 'codex'], ['codex-legacy.jsonl', 'codex']] as const) {
    it(`imports ${file} as a new session, in order, with no secret stored`, async () => {
      const dir = makeRepo();
      const r = await importTranscript(repoAt(dir), { file: join(FIX, file), format: 'auto' });
      expect(r).toMatchObject({ created: true, format });
      const { session, events } = (await cli(dir, ['show', r.session, '--json'])).json();
      expect(session.agent.name).toBe(format);
      expect(session.events).toBe(events.length);
      expect(events[0].kind).toBe('start');
      expect(events.at(-1)).toMatchObject({ kind: 'import', format });
      expect(events.filter((e: any) => e.kind === 'prompt').length).toBeGreaterThan(0);
      expect(events.filter((e: any) => e.kind === 'message' && e.role === 'agent').length).toBeGreaterThan(0);
      // The goal is the transcript's first user prompt (first line).
      const firstPrompt = events.find((e: any) => e.kind === 'prompt');
      expect(session.goal).toBe(firstPrompt.text.split('\n')[0].trim().slice(0, 120));
      const all = git(dir, 'cat-file', '--batch-all-objects', '--batch');
      for (const s of secrets) expect(all.includes(s.value), s.id).toBe(false);
      expect((await cli(dir, ['status', '--json'])).json().current.id).toBe(r.session);
    });
  }

  it('attaches to an existing session and appends after its events', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['start', 'hand-written goal', '--json'])).json().id;
    await cli(dir, ['record', 'note', 'before the import']);
    const r = await importTranscript(repoAt(dir), { file: join(FIX, 'claude-code.jsonl'), format: 'claude-code', session: id.slice(0, 12) });
    expect(r.created).toBe(false);
    const { session, events } = (await cli(dir, ['show', id, '--json'])).json();
    expect(session.goal).toBe('hand-written goal');
    expect(events.slice(0, 2).map((e: any) => e.kind)).toEqual(['start', 'note']);
    expect(session.events).toBe(events.length);
    expect(events.length).toBeGreaterThan(10);
    // Appends after a streamed import keep working.
    expect((await cli(dir, ['record', 'note', 'after'])).code).toBe(0);
    expect((await cli(dir, ['log', id, '--json'])).json().events.at(-1).text).toBe('after');
  });

  it('refuses a malformed line with its number and moves no ref', async () => {
    const dir = makeRepo();
    const before = refsSnapshot(dir);
    for (const f of ['malformed.jsonl', 'not-object.jsonl']) {
      const e = await importTranscript(repoAt(dir), { file: join(FIX, f), format: 'auto' }).catch((x) => x);
      expect(e).toBeInstanceOf(GsError);
      expect(exitCode(e.code)).toBe(2);
      expect(e.message).toMatch(/line \d+/);
    }
    const missing = await importTranscript(repoAt(dir), { file: join(FIX, 'nope.jsonl'), format: 'auto' }).catch((x) => x);
    expect(exitCode(missing.code)).toBe(2);
    expect(refsSnapshot(dir)).toBe(before);
  });
});

describe('import --transcript through the CLI', () => {
  it('prints the new id, and refuses malformed lines with exit 2 and the line number', async () => {
    const dir = makeRepo();
    const ok = await cli(dir, ['import', '--transcript', join(FIX, 'codex.jsonl'), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ created: true, format: 'codex' });
    const before = refsSnapshot(dir);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['import', '--transcript', join(FIX, 'malformed.jsonl')]))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: transcript line 4: not valid JSON (Unexpected end of JSON input)
      ",
        "stdout": "",
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
    expect((await cli(dir, ['import', 'HEAD~1..HEAD', '--transcript', 'x'])).code).toBe(2);
  });
});
