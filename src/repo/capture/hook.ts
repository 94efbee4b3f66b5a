// One agent hook event, captured: `git session hook <agent> <event>` runs this for every
// prompt, tool call and turn end of a Claude Code, Codex or Gemini CLI session. The
// agent session maps to one git-session session (bound on its first prompt: the
// worktree's current session when there is one, else a new one whose goal is the
// prompt's first line). Per-event work (a prompt, a tool call) is one append; the
// heavier work (the transcript's delta, a snapshot) runs only at a turn's end or after
// a tool that edited files, and loads its code only then.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { agentSpec } from '../../core/agents/agents.js';
import { type AgentEvent, sourceId } from '../../core/agents/payload.js';
import { summariseTool } from '../../core/agents/toolcall.js';
import { isGsError } from '../../core/errors.js';
import { redactText } from '../../core/redact/index.js';
import type { EventBody, SessionEvent, SessionState } from '../../core/types.js';
import { discoverRepo, type RepoPaths } from '../../git/discover.js';
import { Repo } from '../repo.js';
import type { SettleOptions } from './delta.js';
import { type AgentState, claim, pruneClaims, readState, stateDir, unclaim, withLock, writeState, writeWorktreeAgent } from './state.js';

/** Where and how one hook event runs. */
export interface HookContext {
  /** The hook process's working directory (the payload's `cwd` wins when it names a directory). */
  cwd: string;
  env: Record<string, string | undefined>;
  clock: () => number;
  /** The transcript settle wait (tests shorten it). */
  settle?: SettleOptions;
}

/** What the event did (for tests and the log). */
export interface CaptureResult {
  /** Not in a repository that adopted sessions (`init`): nothing was done. */
  skipped?: 'no-repo';
  session?: string;
  stored: number;
  snapshot?: string;
}

/** The repository an event is about, when it is one where sessions were adopted (`init`). */
export function captureRepoPaths(ev: Pick<AgentEvent, 'cwd'>, ctx: HookContext): RepoPaths | undefined {
  const dir = ev.cwd && isAbsolute(ev.cwd) && existsSync(ev.cwd) ? ev.cwd : ctx.cwd;
  let paths: RepoPaths;
  try {
    paths = discoverRepo(dir, ctx.env);
  } catch {
    return undefined;
  }
  return paths.top && existsSync(join(paths.commonDir, 'session', 'index')) ? paths : undefined;
}

/** Captures one event (see the header). Throws on failure; the caller logs it and still exits 0. */
export async function captureEvent(ev: AgentEvent, ctx: HookContext): Promise<CaptureResult> {
  const paths = captureRepoPaths(ev, ctx);
  if (!paths) return { skipped: 'no-repo', stored: 0 };
  const dir = stateDir(paths.commonDir, ev.agent, ev.sessionId);
  const saved = await readState(dir);
  const st: AgentState = saved ?? { agent: ev.agent, agentSession: ev.sessionId };
  const ident = /^(.*) <([^>]*)>$/.exec(st.author ?? '');
  const env = ident ? { ...ctx.env, GIT_AUTHOR_NAME: ident[1], GIT_AUTHOR_EMAIL: ident[2] } : ctx.env;
  const repo = Repo.open({ cwd: paths.top!, clock: ctx.clock, env });
  const c = new Capture(repo, ev, st, dir, ctx);
  const fromHook = ev.event !== 'notify';
  if (fromHook && !st.hooks) st.hooks = true;
  switch (ev.role) {
    case 'start':
      return c.locked(() => c.start());
    case 'prompt':
      // Bound already: one append, no lock (a closed session falls through and is rebound).
      return (saved?.session && saved.hooks ? await c.promptToOpen(saved.session) : undefined) ?? c.locked(() => c.prompt());
    case 'tool':
      return c.tool(saved?.hooks === true);
    default:
      // Codex's notify adds nothing once its hooks deliver the same turn.
      if (!fromHook && st.hooks) return { stored: 0 };
      return c.locked(() => c.turnEnd(ev.role === 'turn-end' || ev.role === 'end', ev.role === 'turn-end'));
  }
}

const LOCK_WAIT_MS = 10_000;
// Source ids are remembered this long after an agent session ends.
const CLAIM_TTL_MS = 24 * 3600_000;

/** An event to store: its body, source id, secret kinds already replaced, and its own time. */
type Item = [EventBody, string, string[]?, string?];

class Capture {
  constructor(
    private readonly repo: Repo,
    private readonly ev: AgentEvent,
    private readonly st: AgentState,
    private readonly dir: string,
    private readonly ctx: HookContext,
  ) {}

  async locked(fn: () => Promise<CaptureResult>): Promise<CaptureResult> {
    const r = await withLock(this.dir, LOCK_WAIT_MS, async () => {
      const fresh = await readState(this.dir);
      if (fresh) Object.assign(this.st, fresh, { hooks: this.st.hooks || fresh.hooks });
      const out = await fn();
      this.st.updated = new Date(this.ctx.clock()).toISOString();
      await writeState(this.dir, this.st);
      return out;
    });
    if (!r) throw new Error(`waited ${LOCK_WAIT_MS / 1000}s for another ${this.ev.agent} hook of this session; skipped ${this.ev.event}`);
    return r;
  }

  /** SessionStart: remember the transcript and model; a resumed or compacted session goes on where it was. */
  async start(): Promise<CaptureResult> {
    if (this.ev.model) this.st.model = this.ev.model;
    if (this.ev.transcript && this.ev.transcript !== this.st.transcript) {
      this.st.transcript = this.ev.transcript;
      this.st.offset = await sizeOf(this.ev.transcript);
    }
    const goesOn = ['resume', 'compact', 'fork'].includes(this.ev.source ?? '');
    if (goesOn) await this.bind(undefined);
    return { session: this.st.session, stored: 0 };
  }

  /** A prompt: starts or attaches the session, then stores the prompt. */
  async prompt(): Promise<CaptureResult> {
    const text = this.ev.prompts[0];
    if (text === undefined || !text.trim()) return { stored: 0 };
    const id = await this.bind(text);
    if (!id) return { stored: 0 };
    const stored = (await this.store(id, [[{ kind: 'prompt', text }, this.ev.src('prompt:0')]])) ?? 0;
    await this.markWorktree(id, true);
    return { session: id, stored };
  }

  /** The prompt appended to `id` if that session is still open; undefined when it is not. */
  async promptToOpen(id: string): Promise<CaptureResult | undefined> {
    const text = this.ev.prompts[0];
    if (text === undefined || !text.trim()) return { stored: 0 };
    const stored = await this.store(id, [[{ kind: 'prompt', text }, this.ev.src('prompt:0')]], true);
    if (stored === undefined) return undefined;
    await this.markWorktree(id, true);
    return { session: id, stored };
  }

  /** A tool call: one message, then a snapshot when the tool edited files. */
  async tool(bound: boolean): Promise<CaptureResult> {
    const t = this.ev.tool!;
    let id = bound && this.st.session && (await this.repo.store.metaTip(this.st.session)) ? this.st.session : undefined;
    // Not bound yet (or the state must learn that hooks deliver): bind under the lock.
    id ??= (await this.locked(async () => ({ session: await this.bind(undefined), stored: 0 }))).session;
    if (!id) return { stored: 0 };
    const s = summariseTool(t);
    const body: EventBody = { kind: 'message', role: 'tool', name: s.name, text: s.text, tool: s.tool };
    const stored = (await this.store(id, [[body, this.ev.src('tool'), s.redacted]])) ?? 0;
    if (!stored || !agentSpec(this.ev.agent).editTools.has(t.name)) return { session: id, stored };
    return { session: id, stored, snapshot: await this.snapshot(id, `${t.name} ${(s.tool.files ?? []).join(', ')}`.trim()) };
  }

  /** A turn's end (and PreCompact, SessionEnd): the agent's messages since last time, then a snapshot. */
  async turnEnd(snap: boolean, endOfTurn: boolean): Promise<CaptureResult> {
    const notify = this.ev.event === 'notify';
    const id = await this.bind(notify ? this.ev.prompts[0] : undefined);
    if (!id) return { stored: 0 };
    const items: Item[] = notify ? this.ev.prompts.map((p, i): Item => [{ kind: 'prompt', text: p }, this.ev.src(`prompt:${i}`)]) : [];
    if (this.st.transcript && existsSync(this.st.transcript)) {
      const { readDelta } = await import('./delta.js');
      const d = await readDelta(this.st.transcript, agentSpec(this.ev.agent).transcript, this.st.offset ?? 0, { ...this.ctx.settle, waitFor: endOfTurn ? this.ev.lastMessage : undefined });
      if (d.model) this.st.model = d.model;
      for (const it of d.items) {
        // The copy of a message stored from a payload last time (the transcript lagged).
        if (this.st.stored && it.body.kind === 'message' && !it.body.name && textKey(it.body.text) === this.st.stored) continue;
        items.push([it.body, it.src, undefined, it.ts]);
      }
      this.st.offset = d.end;
      delete this.st.stored;
    }
    const last = this.ev.lastMessage;
    const inTranscript = last !== undefined && items.some(([b]) => b.kind === 'message' && !b.name && textKey(b.text) === textKey(last));
    // Stored from the transcript: this turn's reply is taken (a redelivery must not add it again).
    if (inTranscript) await claim(this.dir, this.ev.src('reply'));
    else if (last) {
      // Not in the transcript (yet): stored from the payload, and skipped when the transcript catches up.
      items.push([{ kind: 'message', role: 'agent', text: last, ...(this.st.model ? { model: this.st.model } : {}) }, this.ev.src('reply')]);
      if (this.st.transcript) this.st.stored = textKey(last);
    }
    const stored = (await this.store(id, items)) ?? 0;
    if (endOfTurn) await this.markWorktree(id, false);
    if (this.ev.role === 'end') await pruneClaims(this.dir, CLAIM_TTL_MS, Date.now());
    return { session: id, stored, snapshot: snap ? await this.snapshot(id, endOfTurn ? 'end of turn' : 'end of session') : undefined };
  }

  /**
   * The session this agent session feeds: the one it was bound to; else the worktree's
   * current open session (attach); else, given a prompt, a new session with the prompt's
   * first line as its goal. Undefined when there is none to feed.
   */
  private async bind(prompt: string | undefined): Promise<string | undefined> {
    const repo = this.repo;
    if (this.st.session && (await repo.store.metaTip(this.st.session))) {
      if (prompt === undefined || live((await repo.store.readSummary(this.st.session)).state)) return this.st.session;
    }
    let id: string | undefined;
    const cur = await repo.current();
    if (cur && (await repo.store.metaTip(cur)) && live((await repo.store.readSummary(cur)).state)) id = cur;
    else if (prompt !== undefined) {
      const goal = goalOf(prompt);
      if (!goal) return undefined;
      const { startSession } = await import('../sessions.js');
      const model = this.st.model ?? this.ev.model;
      id = (await startSession(repo, { goal, agent: this.ev.agent, ...(model ? { model } : {}) })).summary.id;
    }
    if (!id) return undefined;
    this.st.session = id;
    this.st.gitDir = repo.paths.gitDir;
    this.st.author ??= await repo.author();
    const tr = this.ev.transcript ?? this.st.transcript;
    if (tr && (tr !== this.st.transcript || this.st.offset === undefined)) {
      this.st.transcript = tr;
      this.st.offset = await sizeOf(tr);
    }
    return id;
  }

  /**
   * Appends the items not stored before (by source id), in one commit; with `ifOpen`,
   * only while the session is open (undefined when it is not: nothing was stored).
   */
  private async store(id: string, items: Item[], ifOpen = false): Promise<number | undefined> {
    const fresh: SessionEvent[] = [];
    const claimed: string[] = [];
    for (const [body, src, redacted, ts] of items) {
      if (!(await claim(this.dir, src))) continue;
      claimed.push(src);
      fresh.push(this.repo.event(body, { src, ...(redacted?.length ? { redacted } : {}), ...(ts ? { ts } : {}) }));
    }
    if (!fresh.length) return 0;
    let open = true;
    try {
      await this.repo.store.append(id, await this.repo.ident(), (cur) => {
        open = !ifOpen || live(cur.state);
        return { events: open ? fresh : [] };
      });
    } catch (e) {
      await unclaim(this.dir, claimed);
      throw e;
    }
    if (open) return fresh.length;
    await unclaim(this.dir, claimed);
    return undefined;
  }

  private async snapshot(id: string, message: string): Promise<string | undefined> {
    const { snapshot } = await import('../work.js');
    try {
      const ev = (await snapshot(this.repo, id, message, true))?.event;
      return ev?.kind === 'snapshot' ? ev.commit : undefined;
    } catch (e) {
      if (isGsError(e) && e.code === 'session-closed') return undefined;
      throw e;
    }
  }

  private async markWorktree(id: string, active: boolean): Promise<void> {
    const model = this.st.model ?? this.ev.model;
    await writeWorktreeAgent(this.repo.paths.gitDir, { agent: this.ev.agent, ...(model ? { model } : {}), session: id, active, updated: new Date(this.ctx.clock()).toISOString() });
  }
}

/** A goal from a prompt: its first non-blank line, redacted, then shortened at a word. */
export function goalOf(prompt: string): string | undefined {
  const line = prompt.split('\n').find((l) => l.trim())?.trim();
  if (!line) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = redactText(line).text.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
  if (text.length <= 80) return text;
  const cut = text.slice(0, 80);
  const at = cut.lastIndexOf(' ');
  return `${(at > 40 ? cut.slice(0, at) : cut).trimEnd()}…`;
}

// A session still being worked on: open, or conflicted while a sync is resolved.
function live(state: SessionState): boolean {
  return state === 'open' || state === 'conflicted';
}

// Messages compared by their words (a transcript and a payload may space them differently).
function textKey(s: string): string {
  return sourceId(s.replace(/\s+/g, ' ').trim());
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
