// Test support for live capture: the fixture payloads of fixtures/agents/, the command
// lines `hooks install` wrote into an agent's settings, and running them the way each
// agent does (Claude Code and Gemini CLI: `bash -c`, Codex: `$SHELL -lc`, payload on
// stdin; Codex's notify: an argv with the payload as its last argument).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { isOurCommand } from '../../src/core/agents/ours.js';
import type { AgentName } from '../../src/core/agents/agents.js';
import { HERMETIC, ROOT } from './repo.js';

/** A fixture payload with `$CWD` and `$TRANSCRIPT` filled in. */
export function payload(agent: AgentName, name: string, vars: { cwd: string; transcript: string }, patch: Record<string, unknown> = {}): string {
  const text = readFileSync(join(ROOT, 'fixtures', 'agents', agent, `${name}.json`), 'utf8');
  const filled = text.replaceAll('$CWD', vars.cwd).replaceAll('$TRANSCRIPT', vars.transcript);
  return JSON.stringify({ ...JSON.parse(filled), ...patch });
}

/** The lines of an agent's fixture transcript. */
export function transcriptLines(agent: AgentName): string[] {
  return readFileSync(join(ROOT, 'fixtures', 'agents', agent, 'transcript.jsonl'), 'utf8').split('\n').filter(Boolean);
}

/** The fake secrets the agent fixtures carry (none may reach an object). */
export const FIXTURE_SECRETS = [
  'ghp_9sKq2ZxW7mPvT4LrA8nYc3BdF6hJ1uQeG5oX',
  'AKIAQYLPMN5HHHFPZAM2',
  'Sup3rS3cretPassw0rd!',
  'sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678Stu901Vwx',
  '9f3kQ/zx7LmW2pV8tR4yN6bH1cJ5dG0sA3eK9uTq',
  'xoxb-904215836127-3381064729581-qK7vZx2mW9sLp4Tn8RyHcJdB',
];

/** Our installed command for `event` in a settings file (a shell line; Codex notify: an argv). */
export function installedCommand(file: string, agent: AgentName, event: string): string | string[] {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.toml')) {
    const v = parseToml(text) as any;
    if (event === 'notify') return v.notify;
    for (const g of v.hooks?.[event] ?? []) for (const h of g.hooks ?? []) if (isOurCommand(h.command, agent)) return h.command;
  } else {
    const v = JSON.parse(text);
    for (const g of v.hooks?.[event] ?? []) for (const h of g.hooks ?? []) if (isOurCommand(h.command, agent)) return h.command;
  }
  throw new Error(`no ${agent} ${event} hook in ${file}`);
}

/** What one hook run did. */
export interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment an agent gives its hooks (on top of the hermetic test env). */
export function agentEnv(agent: AgentName, cwd: string, sessionId: string, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH!, ...HERMETIC, SHELL: '/bin/bash' };
  if (agent === 'claude-code') return { ...base, CLAUDE_PROJECT_DIR: cwd, CLAUDECODE: '1', ...extra };
  if (agent === 'gemini') return { ...base, GEMINI_PROJECT_DIR: cwd, GEMINI_CWD: cwd, GEMINI_SESSION_ID: sessionId, CLAUDE_PROJECT_DIR: cwd, ...extra };
  return { ...base, ...extra };
}

/** Runs an installed command as the agent would: the shell line with the payload on stdin, or Codex's notify argv. */
export function runInstalled(agent: AgentName, cmd: string | string[], input: string, cwd: string, env: Record<string, string>): Promise<HookRun> {
  const [file, args, stdin] = Array.isArray(cmd)
    ? [cmd[0], [...cmd.slice(1), input], 'ignore' as const]
    : agent === 'codex'
      ? [env.SHELL ?? '/bin/sh', ['-lc', cmd], 'pipe' as const]
      : ['/bin/bash', ['-c', cmd], 'pipe' as const];
  return new Promise((res, rej) => {
    const child = spawn(file, args, { cwd, env, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b) => (stdout += b));
    child.stderr!.on('data', (b) => (stderr += b));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    if (child.stdin) child.stdin.end(input);
  });
}

/** Every object in the repository, as `git cat-file --batch-all-objects --batch` prints them. */
export function allObjects(dir: string): string {
  return execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: dir, env: process.env, maxBuffer: 1 << 28 }).toString('latin1');
}
