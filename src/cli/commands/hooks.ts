import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgsOf, Argv } from '../args.js';
import { AGENTS, type AgentName, agentSpec } from '../../core/agents/agents.js';
import { instructionsBlock } from '../../core/agents/instructions.js';
import { usage } from '../../core/errors.js';
import { plural } from '../../core/text.js';
import { agentHooksStatus, installAgentHooks, type SettingsPlace, uninstallAgentHooks } from '../../repo/capture/install.js';
import { readHookLog } from '../../repo/capture/log.js';
import type { Repo } from '../../repo/repo.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

const ACTIONS = ['install', 'uninstall', 'status', 'instructions'] as const;

/** `git session hooks install|uninstall <agent> [--user]`, `hooks status`, `hooks instructions <agent>`. */
export const spec = {
  command: 'hooks <action> [agent]',
  describe: "live capture from Claude Code, Codex and Gemini CLI through the agent's own hooks",
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ACTIONS, demandOption: true, describe: 'install, uninstall, status or instructions' })
      .positional('agent', { choices: AGENTS, describe: 'claude-code, codex or gemini' })
      .options({
        user: { type: 'boolean', describe: "the agent's settings in your home directory, for every repository (default: this worktree's)" },
        ...jsonOption,
      }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `hooks`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const agent = args.agent as AgentName | undefined;
  if (args.action === 'instructions') {
    if (!agent) throw usage(`hooks instructions needs an agent: ${AGENTS.join(', ')}`);
    env.stdout.write(instructionsBlock(agent));
    return 0;
  }
  const repo = args.user ? tryRepo(env) : openRepo(env);
  const place: SettingsPlace = { top: repo && !args.user ? repo.top : repo?.paths.top, commonDir: repo?.paths.commonDir, home: env.env.HOME || homedir(), env: env.env };
  // Project files relative to the worktree, files in the home directory as ~/...
  const show = (f: string, user = Boolean(args.user)) => (!user && place.top ? relative(place.top, f) : f.startsWith(place.home + '/') ? `~${f.slice(place.home.length)}` : f);
  if (args.action === 'status') return status(args, env, place, show, repo);
  if (!agent) throw usage(`hooks ${args.action} needs an agent: ${AGENTS.join(', ')}`);
  const label = agentSpec(agent).label;
  if (args.action === 'uninstall') {
    const r = await uninstallAgentHooks(agent, Boolean(args.user), place);
    if (args.json) printJson(env, r);
    else printLines(env, [r.changed ? `removed ${label} live capture from ${show(r.file)}${r.restored ? ' (the file is back as it was before)' : ''}` : `no git-session entries in ${show(r.file)}`]);
    return 0;
  }
  const r = await installAgentHooks(agent, Boolean(args.user), launcher(env), place);
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const lines = [r.changed ? `added ${label} live capture to ${show(r.file)}: ${r.events.join(', ') || 'notify'}` : `${label} live capture is already in ${show(r.file)}`];
  if (r.hooksOff && agent === 'codex') lines.push("  hooks are switched off in that file ([features] hooks = false): only Codex's notify was added (prompts and replies, no tool calls)");
  else if (r.hooksOff) lines.push(`  hooks are switched off in that file (${agent === 'gemini' ? 'hooksConfig.enabled is false' : 'disableAllHooks is true'}): nothing is captured until they are on`);
  if (r.notify === 'theirs') lines.push('  notify is set to another program already: left as it is');
  if (agent === 'codex') lines.push('  Codex asks you to review and trust new hooks before they run (a project .codex/ layer must be trusted too)');
  if (agent === 'gemini') lines.push('  Gemini CLI asks you to trust project hooks before they run');
  if (repo && !existsSync(join(repo.paths.commonDir, 'session', 'index'))) lines.push('  this repository has not adopted sessions yet: run git session init (until then the hook does nothing here)');
  lines.push(`  record decisions too: git session hooks instructions ${agent} >> ${agentSpec(agent).instructionsFile}`);
  printLines(env, lines);
  return 0;
}

async function status(args: Args, env: CliEnv, place: SettingsPlace, show: (f: string, user?: boolean) => string, repo: Repo | undefined): Promise<number> {
  const rows = (await agentHooksStatus(place)).filter((r) => !args.agent || r.agent === args.agent);
  const errors = repo ? await readHookLog(repo.paths.commonDir) : [];
  if (args.json) {
    printJson(env, { hooks: rows, errors: { count: errors.length, since: errors[0]?.ts ?? null, last: errors.slice(-5) } });
    return 0;
  }
  const lines = rows.map((r) => {
    const what = r.error ? `unreadable: ${r.error}` : r.installed.length ? `${plural(r.installed.length, 'event')}${r.missing.length ? ` (missing: ${r.missing.join(', ')})` : ''}` : 'not installed';
    const extra = [r.notify === 'ours' ? 'notify' : r.notify === 'theirs' ? "someone else's notify" : '', r.hooksOff ? 'hooks off' : ''].filter(Boolean).join(', ');
    return `${r.agent.padEnd(12)} ${r.scope.padEnd(8)} ${show(r.file, r.scope === 'user')}: ${what}${extra ? `; ${extra}` : ''}`;
  });
  if (errors.length) {
    lines.push('', `${plural(errors.length, 'hook error')} since ${errors[0].ts} (${join(place.commonDir!, 'session', 'hooks.log')}); the last:`);
    for (const e of errors.slice(-5)) lines.push(`  ${e.ts} ${e.agent} ${e.event}: ${e.error}`);
  }
  printLines(env, lines);
  return 0;
}

function tryRepo(env: CliEnv): Repo | undefined {
  try {
    return openRepo(env);
  } catch {
    return undefined;
  }
}

/**
 * The executable agents should run: `git-session` when that name on PATH is this very
 * install (settings then work for anyone with git-session installed), else this
 * install's own path. GIT_SESSION_LAUNCHER overrides both (packagers, tests).
 */
function launcher(env: CliEnv): string {
  if (env.env.GIT_SESSION_LAUNCHER) return env.env.GIT_SESSION_LAUNCHER;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'git-session')) && dirname(dir) !== dir) dir = dirname(dir);
  const self = join(dir, 'bin', 'git-session');
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  for (const d of (env.env.PATH ?? '').split(':')) {
    if (d && real(join(d, 'git-session')) === real(self)) return 'git-session';
  }
  return self;
}
