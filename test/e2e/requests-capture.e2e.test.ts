// `run --exec` under installed agent hooks: the agent's own prompt, tool call and turn end
// are captured into the request's working session (current in its worktree, GIT_SESSION
// set), beside the run's snapshot and exit. The agent is played by a script that does
// what Claude Code does: it reads the prompt, runs the hook commands found in the
// worktree's .claude/settings.json (bash -c, payload on stdin), and edits a file.
import { chmodSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeRepo, spawnBin } from '../support/repo.js';

// The fake Claude Code: node, no dependencies; fires UserPromptSubmit, PostToolUse (Write), Stop.
const FAKE_CLAUDE = `
const { readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const prompt = readFileSync(0, 'utf8');
const cwd = process.cwd();
const settings = JSON.parse(readFileSync('.claude/settings.json', 'utf8'));
const base = { session_id: '4a1b2c3d-0000-4000-8000-000000000019', transcript_path: process.argv[2], cwd, permission_mode: 'default' };
const fire = (event, extra) => {
  for (const g of settings.hooks[event] || []) for (const h of g.hooks || []) {
    const r = spawnSync('/bin/bash', ['-c', h.command], { cwd, input: JSON.stringify({ ...base, hook_event_name: event, ...extra }), env: { ...process.env, CLAUDE_PROJECT_DIR: cwd, CLAUDECODE: '1' } });
    if (r.status !== 0 || String(r.stdout) || String(r.stderr)) { console.error('hook said something', r.status, String(r.stderr)); process.exit(9); }
  }
};
fire('UserPromptSubmit', { prompt_id: 'p1', prompt });
writeFileSync('greeting.py', 'def hello():\\n    return "hello"\\n');
fire('PostToolUse', { prompt_id: 'p1', tool_name: 'Write', tool_use_id: 'toolu_1', tool_input: { file_path: cwd + '/greeting.py', content: 'x' }, tool_response: { type: 'create', filePath: cwd + '/greeting.py' }, duration_ms: 3 });
fire('Stop', { prompt_id: 'p1', stop_hook_active: false, last_assistant_message: 'I added greeting.py.' });
console.log('done');
`;

describe('run --exec under installed agent hooks', () => {
  it('captures the agent’s prompt, tool call and turn into the working session', async () => {
    const dir = makeRepo();
    expect((await spawnBin(dir, ['init'])).code).toBe(0);
    const inst = await spawnBin(dir, ['hooks', 'install', 'claude-code']);
    expect(inst.code, inst.stderr).toBe(0);
    // A project that keeps its agent settings in the repository: the run's worktree has them.
    git(dir, 'add', '.claude/settings.json');
    git(dir, 'commit', '-q', '-m', 'agent settings');
    const id = (await spawnBin(dir, ['request', 'Add a greeting module'])).stdout.trim();
    expect((await spawnBin(dir, ['review', id, '--accept'])).code).toBe(0);
    const tools = realpathSync(mkdtempSync(join(tmpdir(), 'gs-fake-claude-')));
    const transcript = join(tools, 'transcript.jsonl');
    writeFileSync(transcript, '');
    writeFileSync(join(tools, 'claude.cjs'), FAKE_CLAUDE);
    const claude = join(tools, 'claude');
    writeFileSync(claude, `#!/bin/sh\nexec "${process.execPath}" "${tools}/claude.cjs" "${transcript}"\n`);
    chmodSync(claude, 0o755);
    const r = await spawnBin(dir, ['run', id, '--exec', `${claude} -p`, '--yes', '--agent', 'claude-code', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('done');
    const show = await spawnBin(dir, ['show', id, '--json']);
    const events = show.json().events;
    const kinds = events.map((e: any) => e.kind);
    // The request's own prompt, then what the hooks captured during the run, then the run's exit.
    expect(kinds.slice(0, 4)).toEqual(['start', 'prompt', 'review', 'run']);
    const captured = events.slice(4);
    expect(captured.filter((e: any) => e.kind === 'prompt').map((e: any) => e.text)).toEqual(['Add a greeting module\n']);
    expect(captured.some((e: any) => e.kind === 'message' && e.role === 'tool' && e.name === 'Write')).toBe(true);
    expect(captured.filter((e: any) => e.kind === 'snapshot').flatMap((e: any) => e.files.map((f: any) => f.path))).toContain('greeting.py');
    expect(kinds[kinds.length - 1]).toBe('exec');
    expect(show.json().session).toMatchObject({ state: 'open', request: { iterations: 1 } });
    expect(r.stderr).not.toContain('will not be captured');
  }, 120_000);

  it('says so when the hooks are installed only in this checkout, not in the run’s worktree', async () => {
    const dir = makeRepo();
    expect((await spawnBin(dir, ['init'])).code).toBe(0);
    expect((await spawnBin(dir, ['hooks', 'install', 'claude-code'])).code).toBe(0);
    const id = (await spawnBin(dir, ['request', 'Add a greeting module'])).stdout.trim();
    expect((await spawnBin(dir, ['review', id, '--accept'])).code).toBe(0);
    const r = await spawnBin(dir, ['run', id, '--exec', 'true', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: claude-code hooks are installed in ${join(dir, '.claude/settings.json')}, not in this worktree: the agent's own prompts and tool calls will not be captured (git session hooks install claude-code --user, or commit that file)`);
  }, 120_000);
});
