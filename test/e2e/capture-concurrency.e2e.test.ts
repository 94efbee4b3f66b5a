// Live capture under concurrency, with real processes: parallel tool calls of one agent
// session (Claude Code runs a turn's tool calls in parallel; Codex launches matching
// hooks concurrently), the same event delivered twice at once, and two agents working
// in two worktrees of one repository at the same time. No event may be lost, none stored
// twice, and each agent's events land in its own session.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentName } from '../../src/core/agents/agents.js';
import { agentEnv, installedCommand, payload, runInstalled } from '../support/agents.js';
import { git, makeRepo, spawnBin } from '../support/repo.js';

async function fire(dir: string, agent: AgentName, settings: string, event: string, fixture: string, patch: Record<string, unknown>) {
  const cmd = installedCommand(join(dir, settings), agent, event);
  const r = await runInstalled(agent, cmd, payload(agent, fixture, { cwd: dir, transcript: join(dir, 'no-transcript.jsonl') }, patch), dir, agentEnv(agent, dir, String(patch.session_id ?? '')));
  expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
}

async function events(dir: string, id?: string): Promise<any[]> {
  const r = await spawnBin(dir, ['show', ...(id ? [id] : []), '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json().events;
}

describe('live capture under concurrency', () => {
  it('parallel tool calls of one session, and a duplicate delivered at the same time: every call stored once', async () => {
    const dir = makeRepo();
    expect((await spawnBin(dir, ['init'])).code).toBe(0);
    expect((await spawnBin(dir, ['hooks', 'install', 'claude-code'])).code).toBe(0);
    const sid = 'parallel-session-1';
    await fire(dir, 'claude-code', '.claude/settings.json', 'UserPromptSubmit', 'UserPromptSubmit', { session_id: sid });
    const n = 12;
    const calls = Array.from({ length: n }, (_, i) => ({ session_id: sid, tool_use_id: `toolu_parallel_${i}`, tool_input: { command: `echo call ${i}` }, tool_response: { stdout: `call ${i}\n`, stderr: '' } }));
    // Each call twice, all at once.
    await Promise.all([...calls, ...calls].map((c) => fire(dir, 'claude-code', '.claude/settings.json', 'PostToolUse', 'PostToolUse.Bash', c)));
    const tools = (await events(dir)).filter((e) => e.kind === 'message' && e.role === 'tool').map((e) => e.text);
    expect(tools.sort()).toEqual(calls.map((c) => c.tool_input.command).sort());
    expect(git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling')).toBe('');
  }, 180_000);

  it('two agents in two worktrees at once: each keeps its own session and every event', async () => {
    const dir = makeRepo();
    expect((await spawnBin(dir, ['init'])).code).toBe(0);
    const other = `${dir}-wt2`;
    git(dir, 'worktree', 'add', '-q', '-b', 'second', other);
    expect((await spawnBin(dir, ['hooks', 'install', 'claude-code'])).code).toBe(0);
    expect((await spawnBin(other, ['hooks', 'install', 'codex'])).code).toBe(0);
    const play = async (wt: string, agent: AgentName, settings: string, sid: string, prompt: string, tool: string, edit: string) => {
      const idKey = agent === 'codex' ? { session_id: sid, turn_id: `${sid}-turn` } : { session_id: sid };
      await fire(wt, agent, settings, 'UserPromptSubmit', 'UserPromptSubmit', { ...idKey, prompt });
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          writeFileSync(join(wt, `${edit}-${i}.txt`), `${i}\n`);
          return fire(wt, agent, settings, 'PostToolUse', tool, { ...idKey, tool_use_id: `${sid}-call-${i}`, tool_input: { command: `echo ${sid} ${i}` }, tool_response: `${i}` });
        }),
      );
      await fire(wt, agent, settings, 'Stop', 'Stop', idKey);
    };
    await Promise.all([
      play(dir, 'claude-code', '.claude/settings.json', 'claude-wt1', 'Work in the first worktree', 'PostToolUse.Bash', 'one'),
      play(other, 'codex', '.codex/config.toml', 'codex-wt2', 'Work in the second worktree', 'PostToolUse.Bash', 'two'),
    ]);
    const a = await events(dir);
    const b = await events(other);
    expect(a[0]).toMatchObject({ kind: 'start', goal: 'Work in the first worktree' });
    expect(b[0]).toMatchObject({ kind: 'start', goal: 'Work in the second worktree' });
    const calls = (evs: any[]) => evs.filter((e) => e.kind === 'message' && e.role === 'tool').map((e) => e.text).sort();
    expect(calls(a)).toEqual(Array.from({ length: 6 }, (_, i) => `echo claude-wt1 ${i}`));
    expect(calls(b)).toEqual(Array.from({ length: 6 }, (_, i) => `echo codex-wt2 ${i}`));
    const snapped = (evs: any[]) => new Set(evs.filter((e) => e.kind === 'snapshot').flatMap((e) => e.files.map((f: any) => f.path)));
    expect([...snapped(a)].filter((p) => p.startsWith('one-')).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `one-${i}.txt`));
    expect([...snapped(b)].filter((p) => p.startsWith('two-')).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `two-${i}.txt`));
    expect([...snapped(a)].some((p) => p.startsWith('two-'))).toBe(false);
  }, 180_000);
});
