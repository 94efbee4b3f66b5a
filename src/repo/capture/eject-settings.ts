// What `eject` does to agents' settings files, planned before anything changes (so
// `--dry-run` lists it and a refusal leaves every file as it was). Project files are
// found through the repository's records (any worktree's, by path) and in each
// worktree given; a file untouched since our last write gets its old bytes back (or is
// removed with the directories our write created), one edited since keeps those edits
// and loses only our entries. User-level files serve every repository: eject reports
// them with the command that removes them, and leaves them.
import { rmdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENTS, type AgentName, agentSpec } from '../../core/agents/agents.js';
import { uninstallJson } from '../../core/agents/settings-json.js';
import { uninstallToml } from '../../core/agents/settings-toml.js';
import { agentHooksStatus, hasOurs, type SettingsPlace } from './install.js';
import { projectRecordFile, readBytes, readRecords, sha1, writeAtomic } from './records.js';

/** One planned change to a project settings file. */
export interface SettingsStep {
  agent: AgentName;
  file: string;
  /** restore: the bytes before our first write; delete: we created it; strip: edited since, only our entries go. */
  action: 'restore' | 'delete' | 'strip';
  /** The file's bytes afterwards (restore, strip). */
  bytes?: Buffer;
  /** Directories our write created, deepest first (removed when left empty). */
  dirs: string[];
}

/** A settings file eject leaves as it is, and why. */
export interface SettingsKept {
  agent: AgentName;
  file: string;
  reason: string;
  /** The command that removes our entries from it, when that is the user's to run. */
  command?: string;
}

/** The agent whose project file `file` is, if any. */
function agentOf(file: string): AgentName | undefined {
  return AGENTS.find((a) => file.endsWith('/' + agentSpec(a).projectFile));
}

function strip(agent: AgentName, text: string, file: string): string {
  return agentSpec(agent).format === 'toml' ? uninstallToml(text, file) : uninstallJson(text, file, agent);
}

/**
 * Plans the walk back of every project settings file: those the records name, and each
 * agent's file in each of `tops` (the worktrees) that holds entries of ours unrecorded.
 */
export async function planProjectSettings(commonDir: string, tops: string[]): Promise<{ steps: SettingsStep[]; kept: SettingsKept[] }> {
  const records = await readRecords(projectRecordFile(commonDir));
  const files = new Map<string, AgentName>();
  for (const f of Object.keys(records)) {
    const a = agentOf(f);
    if (a) files.set(f, a);
  }
  for (const top of tops) for (const a of AGENTS) files.set(join(top, agentSpec(a).projectFile), a);
  const steps: SettingsStep[] = [];
  const kept: SettingsKept[] = [];
  for (const [file, agent] of files) {
    const bytes = await readBytes(file).catch(() => undefined);
    if (bytes === undefined) continue;
    const rec = records[file];
    try {
      if (rec && sha1(bytes) === rec.after) {
        // Untouched since our write: the old bytes back (without entries of ours they may hold from elsewhere).
        if (rec.before === null) steps.push({ agent, file, action: 'delete', dirs: rec.dirs });
        else {
          const before = Buffer.from(rec.before, 'base64');
          const text = before.toString('utf8');
          const back = hasOurs(agent, text, file) ? Buffer.from(strip(agent, text, file)) : before;
          steps.push({ agent, file, action: 'restore', bytes: back, dirs: [] });
        }
        continue;
      }
      const text = bytes.toString('utf8');
      if (!hasOurs(agent, text, file)) continue;
      steps.push({ agent, file, action: 'strip', bytes: Buffer.from(strip(agent, text, file)), dirs: [] });
    } catch (e) {
      kept.push({ agent, file, reason: `could not be read or edited safely (${(e as Error).message}); remove the git-session entries by hand` });
    }
  }
  return { steps, kept };
}

/** Carries out one planned step. */
export async function applySettingsStep(s: SettingsStep): Promise<void> {
  if (s.action === 'delete') {
    await rm(s.file, { force: true });
    // Only directories left empty go: anything the user put there since keeps them.
    for (const d of s.dirs) await rmdir(d).catch(() => undefined);
  } else await writeAtomic(s.file, s.bytes!);
}

/** User-level settings holding our entries: they serve every repository, so eject names them and the command. */
export async function userSettingsKept(p: Omit<SettingsPlace, 'top'>): Promise<SettingsKept[]> {
  const rows = await agentHooksStatus({ ...p, top: undefined });
  return rows
    .filter((r) => r.scope === 'user' && (r.installed.length > 0 || r.notify === 'ours'))
    .map((r) => ({ agent: r.agent, file: r.file, reason: 'live capture for every repository (user settings)', command: `git session hooks uninstall ${r.agent} --user` }));
}

/** The heading of the block `hooks instructions` prints (the user appends it to the agent's instructions file). */
const INSTRUCTIONS_HEADING = '## Recording decisions (git-session)';

/** Instructions files in `tops` holding that block: the user pasted it, so eject names it rather than edit the file. */
export async function instructionsKept(tops: string[]): Promise<SettingsKept[]> {
  const out: SettingsKept[] = [];
  for (const top of tops) {
    for (const agent of AGENTS) {
      const file = join(top, agentSpec(agent).instructionsFile);
      const text = (await readBytes(file).catch(() => undefined))?.toString('utf8');
      if (text?.includes(INSTRUCTIONS_HEADING)) out.push({ agent, file, reason: `holds the "${INSTRUCTIONS_HEADING.slice(3)}" block you added from git session hooks instructions; remove it by hand if the agent should stop running git session decide` });
    }
  }
  return out;
}
