// `run <request>`: an accepted prompt request becomes a working session. The request
// session itself moves requested → open (one session from the prompt to the landing, so
// landing, undo, archive and why need nothing new; see the README's "Prompt requests"),
// in a worktree of its own at the target's current tip. With `--exec`, an agent command
// runs there with the accepted prompt on its stdin and GIT_SESSION set; when it ends, the
// worktree is snapshotted and its exit recorded. Nothing runs before the caller has shown
// the prompt (and asked, on a terminal): planRun writes nothing.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GsError, usage } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { type Iteration, type RequestView, requestView } from '../core/request.js';
import type { AgentInfo, EventOf, SessionSummary } from '../core/types.js';
import { checkFsPath } from '../core/validate.js';
import { discoverRepo } from '../git/discover.js';
import { type AgentExit, runAgent } from './agent-process.js';
import type { Repo } from './repo.js';
import { addWorktree, registerWorktree, removeWorktree, sessionWorktree, showSession } from './sessions.js';
import { resolveTarget } from './target.js';
import { snapshot, type SnapshotResult } from './work.js';
import { treeOf } from '../git/snapshot.js';
import { homedir } from 'node:os';
import { agentHooksStatus } from './capture/install.js';

/** Options of `run`. */
export interface RunOptions {
  /** undefined or '': the default place (.git/session/worktrees/<id12>); else the directory. */
  worktree?: string;
  exec?: string;
  agent?: string;
  model?: string;
}

/** What `run` will do, decided before anything is written. */
export interface RunPlan {
  id: string;
  summary: SessionSummary;
  request: RequestView;
  /** The iteration that runs: the accepted one (or, run again, the one that ran). */
  prompt: Iteration;
  /** What the agent reads on stdin: the prompt, then the files the request refers to. */
  input: string;
  /** The worktree the session works in. */
  dir: string;
  /** The commit a new run opens on (the target's tip now). */
  base: string;
  /** Already run here: `--exec` runs the agent again in its worktree. */
  again: boolean;
}

/** The agent's stdin: the prompt and, when the request names files, a list of them. */
export function agentInput(prompt: string, context: string[]): string {
  const text = prompt.replace(/\s+$/, '');
  return context.length ? `${text}\n\nFiles this request refers to:\n${context.map((p) => `- ${p}`).join('\n')}\n` : `${text}\n`;
}

/**
 * Decides what `run` does, or refuses: not a request (exit 2); pending, rejected,
 * withdrawn, landed, changed since it was accepted, or already run elsewhere (exit 1).
 * A request already run whose worktree is here may run its agent again (`--exec`).
 */
export async function planRun(repo: Repo, id: string, o: RunOptions): Promise<RunPlan> {
  if (o.exec !== undefined && !o.exec.trim()) throw usage('--exec needs the agent command, e.g. --exec "claude -p"');
  const { summary: s, events } = await showSession(repo, id);
  const view = requestView(s, events);
  if (!view) throw new GsError('bad-input', `session ${shortId(id)} is not a prompt request (git session request makes one)`);
  const r = s.request!;
  const input = (it: Iteration) => agentInput(it.text, view.context);
  if (r.ran) {
    const own = s.state === 'open' ? await sessionWorktree(repo, id) : undefined;
    if (!own || o.exec === undefined || !view.ran?.iteration) {
      throw new GsError('session-closed', `request ${shortId(id)} was already run by ${r.ran.by}: it is ${s.state}${own ? ` in ${own.top} (run it again there with --exec)` : ''}`);
    }
    if (o.worktree) throw usage(`request ${shortId(id)} already has its worktree (${own.top}): run it again without --worktree`);
    return { id, summary: s, request: view, prompt: view.ran.iteration, input: input(view.ran.iteration), dir: own.top, base: s.base, again: true };
  }
  refuseUnaccepted(s, view);
  if (await repo.store.workTip(id)) {
    throw new GsError('policy', `request ${shortId(id)} has a work ref someone else wrote (a request holds no work): not run`);
  }
  const { tip } = await resolveTarget(repo, s.target);
  const dir = o.worktree ? resolve(repo.paths.top ?? repo.cwd, checkFsPath(o.worktree, 'worktree dir')) : join(repo.localDir, 'worktrees', shortId(id));
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new GsError('bad-input', `worktree dir ${dir} exists and is not empty`);
  return { id, summary: s, request: view, prompt: view.accepted!, input: input(view.accepted!), dir, base: tip, again: false };
}

/** Refuses (exit 1) a request that is not accepted as it stands now. */
function refuseUnaccepted(s: SessionSummary, v: RequestView): void {
  const id = shortId(s.id);
  const r = s.request!;
  if (s.state === 'abandoned') {
    throw new GsError('policy', r.status === 'rejected' ? `request ${id} was rejected by ${r.reviewer ?? 'a reviewer'}${r.reason ? `: ${r.reason}` : ''}` : `request ${id} was withdrawn (abandoned)`);
  }
  if (s.state !== 'requested') throw new GsError('session-closed', `request ${id} is ${s.state}`);
  if (r.status === 'accepted' && v.accepted) return;
  const latest = v.iterations[v.iterations.length - 1];
  const accepted = r.accepted ? v.iterations.find((it) => it.id === r.accepted) : undefined;
  if (accepted && latest) {
    throw new GsError('policy', `request ${id} changed since it was accepted (iteration ${latest.n} came after iteration ${accepted.n}): review it again (git session review ${id} --accept)`);
  }
  throw new GsError('policy', `request ${id} is not accepted: review it first (git session review ${id} --accept)`);
}

/**
 * Opens a planned request as a working session: its worktree at the target's tip, then
 * the `run` event (state open, base that tip) under compare-and-swap: a review or an
 * iteration that came in meanwhile refuses it and the worktree is removed. Made current
 * in its worktree, where agent hooks capture into it.
 */
export async function openRun(repo: Repo, plan: RunPlan, o: RunOptions): Promise<SessionSummary> {
  const existed = existsSync(plan.dir);
  await addWorktree(repo, plan.dir, plan.base);
  const agent: AgentInfo | undefined = o.agent || o.model ? { name: o.agent ?? 'agent', ...(o.model ? { model: o.model } : {}) } : undefined;
  const runner = await repo.author();
  let summary: SessionSummary;
  try {
    summary = await repo.store.append(plan.id, await repo.ident(), (cur) => {
      const r = cur.request;
      if (cur.state !== 'requested' || r?.status !== 'accepted' || r.accepted !== plan.prompt.id) {
        throw new GsError('policy', `request ${shortId(plan.id)} changed while opening it (now ${cur.state}${r ? `, ${r.status}` : ''}): nothing was run`);
      }
      const ev = repo.event({ kind: 'run', promptId: plan.prompt.id, base: plan.base, runner, ...(agent ? { agent } : {}), ...(o.exec ? { command: o.exec } : {}) });
      return { events: [ev] };
    });
  } catch (e) {
    await removeWorktree(repo, plan.dir, existed);
    throw e;
  }
  await registerWorktree(repo, plan.id, plan.dir);
  await repo.setCurrent(plan.id, discoverRepo(plan.dir, {}).gitDir);
  return summary;
}

/** What the agent run did: how it ended, the snapshot of what it left, and the `exec` event. */
export interface ExecResult {
  exit: AgentExit;
  snapshot?: SnapshotResult;
  event: EventOf<'exec'>;
  summary: SessionSummary;
}

/**
 * Runs the agent command in the session's worktree (prompt on stdin, GIT_SESSION set),
 * then snapshots the worktree and records the exit, also when a signal stopped it: what
 * the agent wrote is never lost.
 */
export async function execAgent(repo: Repo, plan: RunPlan, command: string, out: { stdout: (b: Buffer) => void; stderr: (b: Buffer) => void }): Promise<ExecResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...repo.env, GIT_SESSION: plan.id };
  // The agent's git works on its worktree, whatever repository git-session was pointed at.
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX']) delete env[k];
  const exit = await runAgent(command, { cwd: plan.dir, env, input: plan.input, ...out });
  const snap = await snapshot(repo, plan.id, `agent run: ${command}`);
  const event = repo.event({
    kind: 'exec',
    command,
    exitCode: exit.exitCode,
    durationMs: exit.durationMs,
    tree: snap?.tree ?? (await treeOf(repo.cwd, (await repo.store.workTip(plan.id)) ?? plan.base)),
    ...(exit.signal ? { signal: exit.signal } : {}),
  }) as EventOf<'exec'>;
  const summary = await repo.append(plan.id, [event]);
  return { exit, ...(snap ? { snapshot: snap } : {}), event, summary };
}

/**
 * Agents whose hooks are installed in this worktree's project settings but reach neither
 * the run's worktree (settings not committed) nor every repository (`--user`): an agent
 * run there is not captured. Empty when there is no such agent (or no worktree here).
 */
export async function uncapturedAgents(repo: Repo, plan: RunPlan): Promise<{ agent: string; file: string }[]> {
  const here = repo.paths.top;
  if (!here || here === plan.dir) return [];
  const place = { commonDir: repo.paths.commonDir, home: repo.env.HOME || homedir(), env: repo.env };
  const [mine, theirs] = await Promise.all([agentHooksStatus({ ...place, top: here }), agentHooksStatus({ ...place, top: plan.dir })]);
  const has = (rows: typeof mine, agent: string, scope: string) => rows.some((r) => r.agent === agent && r.scope === scope && r.installed.length > 0);
  return mine
    .filter((r) => r.scope === 'project' && r.installed.length > 0 && !has(mine, r.agent, 'user') && !has(theirs, r.agent, 'project'))
    .map((r) => ({ agent: r.agent, file: r.file }));
}
