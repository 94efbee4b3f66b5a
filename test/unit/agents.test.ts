import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENTS, type AgentName, agentSpec, roleOf } from '../../src/core/agents/agents.js';
import { hookCommand, isOurCommand, shellWords } from '../../src/core/agents/ours.js';
import { readPayload } from '../../src/core/agents/payload.js';
import { cut, editedFiles, inputSummary, OUTPUT_KEEP, summariseTool } from '../../src/core/agents/toolcall.js';
import { goalOf } from '../../src/repo/capture/hook.js';
import { parseEvent } from '../../src/core/schema.js';
import { ROOT } from '../support/repo.js';

const fixture = (agent: AgentName, name: string) => JSON.parse(readFileSync(join(ROOT, 'fixtures', 'agents', agent, `${name}.json`), 'utf8'));

describe('agent payloads', () => {
  it('every fixture of every agent reads as the event it is named after', () => {
    for (const agent of AGENTS) {
      for (const f of readdirSync(join(ROOT, 'fixtures', 'agents', agent)).filter((n) => n.endsWith('.json'))) {
        const event = f.split('.')[0];
        const ev = readPayload(agent, event, fixture(agent, f.replace(/\.json$/, '')));
        expect(ev, `${agent}/${f}`).toBeDefined();
        expect(ev!.role).toBe(roleOf(agent, event));
      }
    }
  });

  it('installs every event it reads (and reads nothing it does not install)', () => {
    for (const agent of AGENTS) for (const e of agentSpec(agent).events) expect(roleOf(agent, e.event)).toBe(e.role);
    expect(roleOf('claude-code', 'PreToolUse')).toBeUndefined();
    expect(readPayload('claude-code', 'PreToolUse', fixture('claude-code', 'PostToolUse.Bash'))).toBeUndefined();
  });

  it('gives the same event the same source id, and different events different ones', () => {
    const a = readPayload('claude-code', 'PostToolUse', fixture('claude-code', 'PostToolUse.Bash'))!;
    const b = readPayload('claude-code', 'PostToolUse', fixture('claude-code', 'PostToolUse.Bash'))!;
    const c = readPayload('claude-code', 'PostToolUse', { ...fixture('claude-code', 'PostToolUse.Bash'), tool_use_id: 'toolu_other' })!;
    expect(a.src('tool')).toBe(b.src('tool'));
    expect(a.src('tool')).not.toBe(c.src('tool'));
    // Codex's hook and its notify name a turn's prompt alike: stored once when both run.
    const hook = readPayload('codex', 'UserPromptSubmit', fixture('codex', 'UserPromptSubmit'))!;
    const notify = readPayload('codex', 'notify', fixture('codex', 'notify'))!;
    expect(hook.src('prompt:0')).toBe(notify.src('prompt:0'));
    expect(notify.prompts).toHaveLength(1);
  });

  it('refuses what is not a payload: no session id, an id with odd characters, not an object', () => {
    expect(readPayload('claude-code', 'UserPromptSubmit', { prompt: 'x' })).toBeUndefined();
    expect(readPayload('claude-code', 'UserPromptSubmit', { session_id: '../../etc', prompt: 'x' })).toMatchObject({ sessionId: '../../etc' });
    expect(readPayload('claude-code', 'UserPromptSubmit', { session_id: 'a b\nc', prompt: 'x' })).toBeUndefined();
    expect(readPayload('gemini', 'BeforeAgent', ['x'])).toBeUndefined();
    expect(readPayload('codex', 'notify', { type: 'something-else', 'thread-id': 't' })).toBeUndefined();
  });
});

describe('tool calls', () => {
  it('summarises the input: the command, the file, the patched files', () => {
    expect(inputSummary('Bash', { command: 'npm test' })).toBe('npm test');
    expect(inputSummary('Read', { file_path: '/a/b.ts' })).toBe('/a/b.ts');
    expect(inputSummary('Grep', { pattern: 'TODO', path: 'src' })).toBe('TODO in src');
    expect(inputSummary('shell', { command: ['bash', '-lc', 'ls -la'] })).toBe('ls -la');
    expect(inputSummary('apply_patch', { command: '*** Begin Patch\n*** Update File: a.ts\n*** Add File: b.ts\n*** End Patch' })).toBe('a.ts, b.ts');
    expect(editedFiles('apply_patch', { command: '*** Begin Patch\n*** Update File: a.ts\n*** Move to: c.ts\n*** End Patch' })).toEqual(['a.ts', 'c.ts']);
    expect(editedFiles('Edit', { file_path: '/r/x.ts', old_string: 'a', new_string: 'b' })).toEqual(['/r/x.ts']);
  });

  it('keeps no file contents a tool read or wrote', () => {
    const s = summariseTool({ name: 'Write', input: { file_path: 'x', content: 'SECRET CONTENT' }, response: { type: 'create', content: 'SECRET CONTENT' } });
    expect(JSON.stringify(s)).not.toContain('SECRET CONTENT');
  });

  it('cuts long output to its head and tail, saying how much was left out', () => {
    const text = 'x'.repeat(10_000);
    const c = cut(text, OUTPUT_KEEP);
    expect(c.cut).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(OUTPUT_KEEP + 20);
    expect(c.text).toMatch(/\[… \d+ bytes cut …\]/);
    expect(cut('short', OUTPUT_KEEP)).toEqual({ text: 'short', cut: false });
  });

  it('redacts before it cuts: a secret across the cut leaves no piece of itself (property)', () => {
    const secret = 'ghp_9sKq2ZxW7mPvT4LrA8nYc3BdF6hJ1uQeG5oX';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12_000 }), (at) => {
        const out = `${'a'.repeat(at)} ${secret} ${'b'.repeat(12_000 - at)}`;
        const s = summariseTool({ name: 'Bash', input: { command: 'x' }, response: { stdout: out } });
        for (let i = 0; i + 12 <= secret.length; i++) expect(s.tool.output).not.toContain(secret.slice(i, i + 12));
        expect(s.redacted).toEqual(['github-token']);
      }),
      { numRuns: 60 },
    );
  });

  it('marks failures: an error, a non-zero exit', () => {
    expect(summariseTool({ name: 'Bash', input: {}, response: undefined, error: 'boom' }).tool).toMatchObject({ error: true, output: 'boom' });
    expect(summariseTool({ name: 'shell', input: {}, response: { output: 'no', exit_code: 2 } }).tool).toMatchObject({ error: true });
    expect(summariseTool({ name: 'Bash', input: {}, response: { stdout: 'ok', stderr: '' } }).tool.error).toBeUndefined();
  });
});

describe('our entries and goals', () => {
  it('recognises our command lines whatever the launcher path, and only ours', () => {
    const mine = hookCommand('/opt/my tools/git-session', 'codex', 'Stop');
    expect(mine).toBe("'/opt/my tools/git-session' hook codex Stop 2>/dev/null || true");
    expect(shellWords(mine)).toEqual(['/opt/my tools/git-session', 'hook', 'codex', 'Stop', '2']);
    expect(isOurCommand(mine, 'codex')).toBe(true);
    expect(isOurCommand(mine, 'gemini')).toBe(false);
    expect(isOurCommand('git-session hook claude-code Stop', 'claude-code')).toBe(true);
    expect(isOurCommand('my-git-session hook claude-code Stop')).toBe(false);
    expect(isOurCommand('echo git-session hook claude-code Stop')).toBe(false);
    expect(isOurCommand(['git-session', 'hook', 'codex', 'notify'], 'codex')).toBe(true);
    expect(isOurCommand('git-session hook pre-push')).toBe(false);
  });

  it('a goal is the first line of the prompt, redacted, then shortened at a word', () => {
    expect(goalOf('\n\n  Fix the login bug  \nmore')).toBe('Fix the login bug');
    expect(goalOf('use ghp_9sKq2ZxW7mPvT4LrA8nYc3BdF6hJ1uQeG5oX now')).toBe('use [REDACTED:github-token] now');
    const long = goalOf('word '.repeat(40))!;
    expect(long.length).toBeLessThanOrEqual(81);
    expect(long.endsWith('word…')).toBe(true);
    expect(goalOf('   \n ')).toBeUndefined();
  });
});

describe('the schema of captured events', () => {
  const base = { id: '01kjmma7c87777777777777777', ts: '2026-03-01T12:00:05.000Z' };
  it('accepts a tool call and an attributed decision; a malformed one is kept as data, not obeyed', () => {
    const call = { ...base, kind: 'message', role: 'tool', name: 'Bash', text: 'ls', src: 'abc', tool: { input: 'ls', output: 'a', bytes: 9000, cut: true, error: false, files: ['a.ts'] } };
    expect(parseEvent(call)).toBe(call);
    const decision = { ...base, kind: 'decision', chosen: 'x', rejected: [], rationale: 'y', agent: { name: 'codex', model: 'gpt-5-codex' } };
    expect(parseEvent(decision)).toBe(decision);
    expect(parseEvent({ ...call, tool: { input: 3 } })).toMatchObject({ kind: 'foreign', invalid: true, reason: expect.stringContaining('tool.input') });
    expect(parseEvent({ ...call, tool: { input: 'ls', bytes: -1 } })).toMatchObject({ kind: 'foreign', invalid: true });
    expect(parseEvent({ ...decision, agent: 'codex' })).toMatchObject({ kind: 'foreign', invalid: true });
  });
});
