// Live capture end to end, one agent at a time: `hooks install` writes the agent's
// settings, then the test plays the agent — it runs the command lines found in those
// settings, as the agent runs them (shell, cwd, environment, payload on stdin or as
// Codex notify's argument), edits files and grows the transcript between events — and
// reads back the session the built binary recorded.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentName } from '../../src/core/agents/agents.js';
import { agentEnv, allObjects, FIXTURE_SECRETS, installedCommand, payload, runInstalled, transcriptLines } from '../support/agents.js';
import { makeRepo, ROOT, spawnBin } from '../support/repo.js';

interface Played {
  dir: string;
  session: any;
  events: any[];
  runs: { code: number; stdout: string; stderr: string }[];
}

/** Sets up a repository with `agent`'s hooks installed; returns a player for its events. */
async function setUp(agent: AgentName, settings: string) {
  const dir = makeRepo();
  expect((await spawnBin(dir, ['init'])).code).toBe(0);
  const inst = await spawnBin(dir, ['hooks', 'install', agent]);
  expect(inst.code, inst.stderr).toBe(0);
  const transcript = join(mkdtempSync(join(tmpdir(), 'gs-transcript-')), 'session.jsonl');
  writeFileSync(transcript, '');
  const file = join(dir, settings);
  const runs: Played['runs'] = [];
  const sid = JSON.parse(payload(agent, agent === 'codex' ? 'notify' : 'SessionStart', { cwd: dir, transcript }))[agent === 'codex' ? 'thread-id' : 'session_id'];
  const fire = async (event: string, fixture = event, env: Record<string, string> = {}) => {
    const r = await runInstalled(agent, installedCommand(file, agent, event), payload(agent, fixture, { cwd: dir, transcript }), dir, agentEnv(agent, dir, sid, env));
    runs.push(r);
    return r;
  };
  const lines = transcriptLines(agent);
  const grow = (n: number) => appendFileSync(transcript, lines.splice(0, n).map((l) => l + '\n').join(''));
  const read = async (): Promise<Played> => {
    const show = await spawnBin(dir, ['show', '--json']);
    expect(show.code, show.stderr).toBe(0);
    return { dir, session: show.json().session, events: show.json().events, runs };
  };
  return { dir, file, fire, grow, read, transcript };
}

function expectQuiet(p: Played): void {
  for (const r of p.runs) expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
}

function expectNoSecrets(dir: string): void {
  const objects = allObjects(dir);
  for (const s of FIXTURE_SECRETS) expect(objects.includes(s), `secret ${s.slice(0, 8)}… in an object`).toBe(false);
}

const kinds = (p: Played, kind: string) => p.events.filter((e) => e.kind === kind);
const tools = (p: Played) => p.events.filter((e) => e.kind === 'message' && e.role === 'tool');
const said = (p: Played) => p.events.filter((e) => e.kind === 'message' && e.role === 'agent' && !e.name).map((e) => e.text);
const reasoning = (p: Played) => p.events.filter((e) => e.kind === 'message' && e.role === 'agent' && e.name === 'reasoning').map((e) => e.text);
const snapFiles = (p: Played) => kinds(p, 'snapshot').flatMap((e) => e.files.map((f: any) => f.path));

describe('live capture, end to end', () => {
  it('Claude Code: prompt, tool calls, messages, snapshots; silent, redacted, deduplicated', async () => {
    const a = await setUp('claude-code', '.claude/settings.json');
    await a.fire('SessionStart');
    await a.fire('UserPromptSubmit');
    writeFileSync(join(a.dir, 'greeting.py'), 'def hello():\n    return "hello"\n');
    a.grow(4);
    await a.fire('PostToolUse', 'PostToolUse.Write');
    a.grow(2);
    await a.fire('PostToolUse', 'PostToolUse.Bash');
    await a.fire('PostToolUseFailure');
    a.grow(1);
    await a.fire('Stop');
    // Delivered again (the same hook in two settings layers, a retry): stored once.
    await a.fire('UserPromptSubmit');
    await a.fire('PostToolUse', 'PostToolUse.Bash');
    await a.fire('Stop');
    await a.fire('PreCompact');
    await a.fire('SessionEnd');
    const p = await a.read();
    expectQuiet(p);
    expect(p.session.goal).toBe('Add a greeting module with a hello() function and run it');
    expect(p.session.agent).toEqual({ name: 'claude-code', model: 'claude-sonnet-4-5-20250929' });
    const prompts = kinds(p, 'prompt');
    expect(prompts).toHaveLength(1);
    expect(prompts[0].text).toContain('[REDACTED:github-token]');
    expect(tools(p).map((t) => [t.name, t.text])).toEqual([
      ['Write', join(a.dir, 'greeting.py')],
      ['Bash', 'python3 -c "import greeting; print(greeting.hello())" && env | grep AWS'],
      ['Bash', 'pytest -q'],
    ]);
    const [write, bash, failed] = tools(p);
    expect(write.tool.files).toEqual([join(a.dir, 'greeting.py')]);
    expect(bash.tool).toMatchObject({ cut: true });
    expect(bash.tool.bytes).toBeGreaterThan(8000);
    expect(bash.tool.output).toContain('[REDACTED:aws-access-key]');
    expect(bash.tool.output).toMatch(/\[… \d+ bytes cut …\]/);
    expect(failed.tool).toMatchObject({ error: true });
    expect(failed.tool.output).toContain('ModuleNotFoundError');
    expect(said(p)).toEqual(['I will create greeting.py first.', 'I added greeting.py with hello() and ran it: it prints "hello".']);
    expect(reasoning(p)).toHaveLength(1);
    expect(reasoning(p)[0]).toContain('[REDACTED:secret-assignment]');
    expect(snapFiles(p)).toContain('greeting.py');
    expectNoSecrets(a.dir);
  }, 120_000);

  it('Claude Code: a transcript written after Stop fired is waited for', async () => {
    const a = await setUp('claude-code', '.claude/settings.json');
    await a.fire('UserPromptSubmit');
    a.grow(6);
    const stop = a.fire('Stop');
    setTimeout(() => a.grow(1), 300);
    await stop;
    const p = await a.read();
    expectQuiet(p);
    expect(said(p)).toEqual(['I will create greeting.py first.', 'I added greeting.py with hello() and ran it: it prints "hello".']);
  }, 60_000);

  it('Codex: hooks and notify together store each turn once', async () => {
    const a = await setUp('codex', '.codex/config.toml');
    await a.fire('SessionStart');
    await a.fire('UserPromptSubmit');
    a.grow(6);
    writeFileSync(join(a.dir, 'notes.md'), '# Project\nA small demo.\n');
    await a.fire('PostToolUse', 'PostToolUse.apply_patch');
    await a.fire('PostToolUse', 'PostToolUse.Bash');
    a.grow(2);
    await a.fire('Stop');
    await a.fire('notify');
    await a.fire('PreCompact');
    await a.fire('SessionEnd');
    const p = await a.read();
    expectQuiet(p);
    expect(p.session.goal).toBe('Create notes.md with a short project summary');
    expect(p.session.agent).toEqual({ name: 'codex', model: 'gpt-5-codex' });
    expect(kinds(p, 'prompt')).toHaveLength(1);
    expect(kinds(p, 'prompt')[0].text).toContain('[REDACTED:openai-key]');
    expect(tools(p).map((t) => [t.name, t.text])).toEqual([
      ['apply_patch', 'notes.md'],
      ['Bash', 'cat notes.md; grep -r aws_secret ~/.aws/credentials'],
    ]);
    expect(tools(p)[0].tool.files).toEqual(['notes.md']);
    expect(tools(p)[1].tool.output).toContain('[REDACTED:aws-secret-key]');
    expect(said(p)).toEqual(['Created notes.md with a one-line summary.']);
    expect(reasoning(p)[0]).toContain('[REDACTED:slack-token]');
    expect(snapFiles(p)).toContain('notes.md');
    expectNoSecrets(a.dir);
  }, 120_000);

  it('Codex with notify alone (hooks off or an older Codex): prompts, the reply and a snapshot', async () => {
    const a = await setUp('codex', '.codex/config.toml');
    writeFileSync(join(a.dir, 'notes.md'), '# Project\n');
    await a.fire('notify');
    await a.fire('notify');
    const p = await a.read();
    expectQuiet(p);
    expect(p.session.goal).toBe('Create notes.md with a short project summary');
    expect(kinds(p, 'prompt')).toHaveLength(1);
    expect(said(p)).toEqual(['Created notes.md with a one-line summary.']);
    expect(snapFiles(p)).toContain('notes.md');
    expectNoSecrets(a.dir);
  }, 60_000);

  it('Gemini CLI: BeforeAgent, AfterTool, AfterAgent with its JSONL session file', async () => {
    const a = await setUp('gemini', '.gemini/settings.json');
    await a.fire('SessionStart');
    await a.fire('BeforeAgent');
    a.grow(4);
    writeFileSync(join(a.dir, 'todo.txt'), '- water plants\n- buy milk\n');
    await a.fire('AfterTool', 'AfterTool.write_file');
    await a.fire('AfterTool', 'AfterTool.run_shell_command');
    a.grow(2);
    await a.fire('AfterAgent');
    await a.fire('PreCompress');
    await a.fire('SessionEnd');
    const p = await a.read();
    expectQuiet(p);
    expect(p.session.goal).toBe('Write todo.txt listing two chores');
    expect(p.session.agent).toEqual({ name: 'gemini' });
    expect(kinds(p, 'prompt')).toHaveLength(1);
    expect(kinds(p, 'prompt')[0].text).toContain('[REDACTED:aws-access-key]');
    expect(tools(p).map((t) => t.name)).toEqual(['write_file', 'run_shell_command']);
    expect(tools(p)[0].tool.files).toEqual([join(a.dir, 'todo.txt')]);
    expect(tools(p)[1].tool.output).toContain('[REDACTED:secret-assignment]');
    expect(said(p)).toEqual(['I will write todo.txt.', 'Wrote todo.txt with two chores.']);
    expect(reasoning(p)[0]).toContain('[REDACTED:github-token]');
    expect(p.events.filter((e) => e.kind === 'message' && e.model).map((e) => e.model)).toContain('gemini-2.5-pro');
    expect(snapFiles(p)).toContain('todo.txt');
    expectNoSecrets(a.dir);
  }, 120_000);

  it('exits 0 and prints nothing when git-session is broken: its files gone, node missing, outside a repo', async () => {
    // A copy of the install whose dist/ is then removed.
    const copy = mkdtempSync(join(tmpdir(), 'gs-broken-'));
    cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const dir = makeRepo();
    expect((await spawnBin(dir, ['init'])).code).toBe(0);
    for (const agent of ['claude-code', 'codex', 'gemini'] as const) {
      expect((await spawnBin(dir, ['hooks', 'install', agent], { env: { GIT_SESSION_LAUNCHER: join(copy, 'bin', 'git-session') } })).code).toBe(0);
    }
    // A PATH with every tool of /usr/bin and /bin but node (a login shell's profile still runs).
    const noNode = mkdtempSync(join(tmpdir(), 'gs-nonode-'));
    for (const d of ['/usr/bin', '/bin']) {
      for (const f of readdirSync(d)) if (f !== 'node' && !existsSync(join(noNode, f))) symlinkSync(join(d, f), join(noNode, f));
    }
    const cases: [AgentName, string, string, string][] = [
      ['claude-code', '.claude/settings.json', 'UserPromptSubmit', 'UserPromptSubmit'],
      ['codex', '.codex/config.toml', 'PostToolUse', 'PostToolUse.Bash'],
      ['codex', '.codex/config.toml', 'notify', 'notify'],
      ['gemini', '.gemini/settings.json', 'BeforeAgent', 'BeforeAgent'],
    ];
    const each = async (what: string, env: Record<string, string>, shellOnly: boolean) => {
      for (const [agent, settings, event, fixture] of cases) {
        const cmd = installedCommand(join(dir, settings), agent, event);
        if (shellOnly && Array.isArray(cmd)) continue; // notify has no shell: Codex ignores its exit and output
        const input = payload(agent, fixture, { cwd: dir, transcript: '/nonexistent' });
        const r = await runInstalled(agent, cmd, input, dir, agentEnv(agent, dir, 's', env));
        expect(r, `${agent} ${event}, ${what}`).toEqual({ code: 0, stdout: '', stderr: '' });
      }
    };
    await each('node missing', { PATH: noNode }, true);
    rmSync(join(copy, 'dist'), { recursive: true });
    await each('dist removed', {}, false);
    // A working install run outside any repository does nothing, silently.
    const outside = mkdtempSync(join(tmpdir(), 'gs-outside-'));
    const r = await spawnBin(outside, ['hook', 'claude-code', 'UserPromptSubmit'], { input: payload('claude-code', 'UserPromptSubmit', { cwd: outside, transcript: '' }) });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  }, 120_000);
});
