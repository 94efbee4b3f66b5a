// How git-session recognises the entries it adds to an agent's settings: a hook command
// whose first word is our launcher (`git-session`, or a path ending in it) followed by
// `hook <agent> <event>`. The launcher is whichever git-session installed it, so an
// entry a teammate's install wrote (another path) is still recognised as ours.
import { commandLine } from '../text.js';
import type { AgentName } from './agents.js';

/** The shell words of a command line (quotes and backslashes as sh reads them; stops at an operator). */
export function shellWords(cmd: string, max = 8): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < cmd.length && words.length < max; i++) {
    const c = cmd[i];
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) return words;
      cur += cmd.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < cmd.length && cmd[j] !== '"'; j++) {
        if (cmd[j] === '\\' && j + 1 < cmd.length && '"\\$`'.includes(cmd[j + 1])) j++;
        cur += cmd[j];
      }
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      inWord = true;
    } else if (/\s/.test(c) || ';&|<>()'.includes(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      if (!/\s/.test(c)) return words;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord && words.length < max) words.push(cur);
  return words;
}

/** True when `word` names our executable (bare, or a path whose last part is git-session). */
export function isLauncher(word: string | undefined): boolean {
  return word !== undefined && /(^|\/)git-session$/.test(word);
}

/** True when a settings command (a shell line, or Codex's argv) is ours for `agent` (any agent when undefined). */
export function isOurCommand(cmd: string | readonly string[], agent?: AgentName): boolean {
  const w = typeof cmd === 'string' ? shellWords(cmd) : cmd;
  return isLauncher(w[0]) && w[1] === 'hook' && (agent === undefined ? w[2] !== undefined && w[2] !== 'pre-push' : w[2] === agent);
}

/**
 * The shell line an agent runs for `event`: our launcher (shell-quoted), then a fallback
 * so that a missing or broken git-session (node gone, files removed) still exits 0 and
 * prints nothing: the agent is never blocked or shown an error by us.
 */
export function hookCommand(launcher: string, agent: AgentName, event: string): string {
  return `${commandLine([launcher, 'hook', agent, event])} 2>/dev/null || true`;
}

/** Codex's `notify` program (an argv: no shell, so no fallback is needed: Codex ignores its exit). */
export function notifyArgv(launcher: string): string[] {
  return [launcher, 'hook', 'codex', 'notify'];
}
