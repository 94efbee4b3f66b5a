// `hooks install|uninstall|status`: our entries in an agent's own settings file (Claude
// Code's and Gemini CLI's settings.json, Codex's config.toml), edited in place by the
// format editors in core/agents. What we change is recorded (the file's bytes before
// our write, a hash of what we wrote, the directories we created) so that uninstall,
// and `eject` through it, gives back a file nobody touched since byte for byte; a file
// edited since keeps those edits and loses only our entries.
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentName, AGENTS, agentSpec, timeoutSeconds } from '../../core/agents/agents.js';
import { hookCommand, notifyArgv } from '../../core/agents/ours.js';
import { installJson, jsonHooksOff, ourHooks, parseSettings, uninstallJson } from '../../core/agents/settings-json.js';
import { hooksDisabled, installToml, type NotifyOutcome, ourCodex, parseToml, uninstallToml } from '../../core/agents/settings-toml.js';
import { forget, readBytes, readRecords, recordFile, sha1, writeAtomic, writeTracked } from './records.js';

/** Where the settings files are: the worktree top (project) and the user's home. */
export interface SettingsPlace {
  top?: string;
  /** The repository's common git dir (the project-scope record lives there). */
  commonDir?: string;
  home: string;
  env: Record<string, string | undefined>;
}

/** The settings file of `agent` in a scope. */
export function settingsFile(agent: AgentName, user: boolean, p: SettingsPlace): string {
  const spec = agentSpec(agent);
  if (!user) return join(p.top!, spec.projectFile);
  if (agent === 'claude-code') return join(p.env.CLAUDE_CONFIG_DIR || join(p.home, '.claude'), 'settings.json');
  if (agent === 'codex') return join(p.env.CODEX_HOME || join(p.home, '.codex'), 'config.toml');
  return join(p.home, '.gemini', 'settings.json');
}

/** What an install did. */
export interface InstallResult {
  agent: AgentName;
  file: string;
  changed: boolean;
  events: string[];
  /** Codex: what became of `notify`. */
  notify?: NotifyOutcome;
  /** Hooks are switched off in this file (Codex: only `notify` was added). */
  hooksOff?: boolean;
}

/** Adds our hook entries to `agent`'s settings (idempotent). */
export async function installAgentHooks(agent: AgentName, user: boolean, launcher: string, p: SettingsPlace): Promise<InstallResult> {
  const spec = agentSpec(agent);
  const file = settingsFile(agent, user, p);
  const bytes = await readBytes(file);
  const text = bytes?.toString('utf8');
  let next: string;
  let events = spec.events.map((e) => e.event);
  let notify: NotifyOutcome | undefined;
  let hooksOff = false;
  if (spec.format === 'toml') {
    hooksOff = text !== undefined && hooksDisabled(parseToml(text, file));
    if (hooksOff) events = [];
    const wanted = spec.events.filter((e) => !hooksOff).map((e) => ({ event: e.event, command: hookCommand(launcher, agent, e.event), timeout: timeoutSeconds(e.role) }));
    const r = installToml(text ?? '', file, wanted, notifyArgv(launcher));
    next = r.text;
    notify = r.notify;
  } else {
    const wanted = spec.events.map((e) => {
      const t = timeoutSeconds(e.role);
      const entry: Record<string, unknown> = { type: 'command', command: hookCommand(launcher, agent, e.event), timeout: spec.timeoutUnit === 'ms' ? t * 1000 : t };
      if (agent === 'gemini') entry.name = `git-session-${e.event}`;
      return { event: e.event, entry };
    });
    next = installJson(text ?? '', file, agent, wanted);
    // Installed anyway (ready when they are switched back on), and said.
    hooksOff = text !== undefined && jsonHooksOff(parseSettings(text, file).value);
  }
  const changed = next !== (text ?? '');
  if (changed) await writeTracked(file, bytes, next, recordFile(user, p));
  return { agent, file, changed, events, ...(notify ? { notify } : {}), ...(hooksOff ? { hooksOff } : {}) };
}

/** What an uninstall did. */
export interface UninstallResult {
  agent: AgentName;
  file: string;
  changed: boolean;
  /** The file was given back exactly as it was before our first write (or removed, if it did not exist). */
  restored: boolean;
}

/** Removes our entries from `agent`'s settings. */
export async function uninstallAgentHooks(agent: AgentName, user: boolean, p: SettingsPlace): Promise<UninstallResult> {
  const spec = agentSpec(agent);
  const file = settingsFile(agent, user, p);
  const records = recordFile(user, p);
  const bytes = await readBytes(file);
  const text = bytes?.toString('utf8');
  const rec = (await readRecords(records))[file];
  if (rec && bytes !== undefined && sha1(bytes) === rec.after) {
    // Untouched since our write: give the bytes back.
    if (rec.before === null) {
      await rm(file, { force: true });
      for (const d of rec.dirs) await rmdir(d).catch(() => undefined);
    } else await writeAtomic(file, Buffer.from(rec.before, 'base64'));
    await forget(records, file);
    const left = await readText(file);
    if (left === undefined || !hasOurs(agent, left, file)) return { agent, file, changed: true, restored: true };
  }
  const now = await readText(file);
  if (now === undefined) {
    await forget(records, file);
    return { agent, file, changed: Boolean(rec), restored: Boolean(rec) };
  }
  const next = spec.format === 'toml' ? uninstallToml(now, file) : uninstallJson(now, file, agent);
  if (next !== now) await writeAtomic(file, next);
  await forget(records, file);
  return { agent, file, changed: next !== now || Boolean(rec && text !== now), restored: false };
}

/** One row of `hooks status`. */
export interface HookStatus {
  agent: AgentName;
  scope: 'project' | 'user';
  file: string;
  exists: boolean;
  /** Events with our entry, and those we would install but are missing. */
  installed: string[];
  missing: string[];
  /** Codex: our notify program is set, someone else's is, or none. */
  notify?: 'ours' | 'theirs';
  hooksOff?: boolean;
  /** The file could not be read as its format. */
  error?: string;
}

/** Our entries in every agent's project and user settings. */
export async function agentHooksStatus(p: SettingsPlace): Promise<HookStatus[]> {
  const out: HookStatus[] = [];
  for (const agent of AGENTS) {
    for (const user of [false, true]) {
      if (!user && !p.top) continue;
      const file = settingsFile(agent, user, p);
      const spec = agentSpec(agent);
      const row: HookStatus = { agent, scope: user ? 'user' : 'project', file, exists: false, installed: [], missing: spec.events.map((e) => e.event) };
      const text = await readText(file);
      if (text !== undefined) {
        row.exists = true;
        try {
          const v = spec.format === 'toml' ? parseToml(text, file) : parseSettings(text, file).value;
          const mine = spec.format === 'toml' ? ourCodex(v) : { hooks: ourHooks(v, agent), notify: undefined };
          row.installed = spec.events.map((e) => e.event).filter((e) => mine.hooks.has(e));
          row.missing = row.missing.filter((e) => !mine.hooks.has(e));
          if (mine.notify) row.notify = mine.notify;
          if (spec.format === 'toml' ? hooksDisabled(v) : jsonHooksOff(v)) row.hooksOff = true;
        } catch (e) {
          row.error = (e as Error).message;
        }
      }
      out.push(row);
    }
  }
  return out;
}

/** Whether a settings text holds any entry of ours (hooks, or Codex's notify). */
export function hasOurs(agent: AgentName, text: string, file: string): boolean {
  if (agentSpec(agent).format === 'toml') {
    const m = ourCodex(parseToml(text, file));
    return m.hooks.size > 0 || m.notify === 'ours';
  }
  return ourHooks(parseSettings(text, file).value, agent).size > 0;
}

async function readText(file: string): Promise<string | undefined> {
  return (await readBytes(file))?.toString('utf8');
}
