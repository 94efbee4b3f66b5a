import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffLine } from '../../src/core/transcript/index.js';
import { importTranscript } from '../../src/repo/bridges/import-transcript.js';
import { Repo } from '../../src/repo/repo.js';
import { FIXTURE_SECRETS } from '../support/agents.js';
import { cli, git, makeRepo } from '../support/repo.js';
import { jsonl, parseLines, sig } from './helpers.js';

const fixture = readFileSync('fixtures/agents/gemini/transcript.jsonl', 'utf8').split('\n');

describe('Gemini CLI parser', () => {
  it('reads the session file the CLI writes: prompt, reasoning, text, a finished tool call, the reply', () => {
    const { items, parser } = parseLines('gemini', fixture);
    expect(items.map(sig)).toEqual(['prompt', 'message:agent:reasoning', 'message:agent', 'message:agent:write_file', 'message:tool:write_file', 'message:agent']);
    expect(items[1].body.text).toMatch(/^Planning the file: Two chores/);
    expect(items[4].body.text).toBe('Successfully created and wrote to new file.');
    expect(parser.meta).toMatchObject({ sessionId: '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170', model: 'gemini-2.5-pro' });
    // The metadata line, two $set lines, and the re-appended copy of m-gem-1 (its tool call taken from it).
    expect(parser.meta.skippedTypes).toMatchObject({ metadata: 1, $set: 2 });
  });

  it('gives every item its own stable key, so a record appended again is recognised', () => {
    const { items } = parseLines('gemini', fixture);
    expect(items.map((i) => i.key)).toEqual(['m-user-1', 'm-gem-1:thought:0', 'm-gem-1:text', 'write_file-1:call', 'write_file-1:result', 'm-gem-2:text']);
  });

  it('takes a tool call once it has finished, from whichever copy of its message that is', () => {
    const call = (status: string) => ({ id: 'c1', name: 'run_shell_command', args: { command: 'ls' }, status, timestamp: 't', result: [{ functionResponse: { response: { output: 'a b' } } }] });
    const msg = (calls: object[]) => ({ id: 'g1', timestamp: 't', type: 'gemini', content: [], toolCalls: calls, model: 'gemini-2.5-flash' });
    const { items } = parseLines('gemini', jsonl(msg([call('executing')]), msg([call('error')]), msg([call('error')])));
    expect(items.map(sig)).toEqual(['message:agent:run_shell_command', 'message:tool:run_shell_command']);
    expect(items[1].body.text).toBe('[error] a b');
  });

  it('is told apart from Claude Code and Codex by its first lines', () => {
    expect(sniffLine(fixture[0])).toBe('gemini');
    expect(sniffLine(fixture[1])).toBe('gemini');
    expect(sniffLine(JSON.stringify({ type: 'user', uuid: 'u', sessionId: 's', message: { content: 'hi' } }))).toBe('claude-code');
  });

  it('imports as a session with import --transcript (detected), no secret stored, and again adds nothing', async () => {
    const dir = makeRepo();
    const repo = Repo.open({ cwd: dir, clock: () => Date.parse('2026-05-01T00:00:00Z'), env: process.env });
    const file = 'fixtures/agents/gemini/transcript.jsonl';
    const r = await importTranscript(repo, { file, format: 'auto' });
    expect(r).toMatchObject({ created: true, format: 'gemini', model: 'gemini-2.5-pro' });
    const { session, events } = (await cli(dir, ['show', r.session, '--json'])).json();
    expect(session.goal).toBe('Write todo.txt listing two chores');
    expect(events.map((e: any) => e.kind)).toEqual(['start', 'prompt', 'message', 'message', 'message', 'message', 'message', 'import']);
    const all = git(dir, 'cat-file', '--batch-all-objects', '--batch');
    for (const s of FIXTURE_SECRETS) expect(all.includes(s)).toBe(false);
    expect(await importTranscript(repo, { file, format: 'auto' })).toMatchObject({ unchanged: true, session: r.session });
  });
});
