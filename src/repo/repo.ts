import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GsError, isGsError } from '../core/errors.js';
import { isId, newId, type RandomBytes } from '../core/ids.js';
import { redactBody } from '../core/redact/event.js';
import { ISO_TIME } from '../core/schema.js';
import type { EventBody, SessionEvent, SessionSummary } from '../core/types.js';
import { discoverRepo, requireWorktree, type RepoPaths } from '../git/discover.js';
import { runGit } from '../git/exec.js';
import type { Ident } from '../git/objects.js';
import { SessionStore } from '../git/session-store.js';

/** What the facade needs from its caller: where, when, and the environment. */
export interface RepoEnv {
  cwd: string;
  clock: () => number;
  env: Record<string, string | undefined>;
  random?: RandomBytes;
}

/**
 * The one facade commands use: finds the repository, owns the session store, the
 * clock, identity, and the per-worktree current-session pointer.
 */
export class Repo {
  readonly paths: RepoPaths;
  readonly store: SessionStore;
  readonly clock: () => number;
  readonly env: Record<string, string | undefined>;
  private readonly random: RandomBytes;
  private identP?: Promise<string>;

  private constructor(paths: RepoPaths, e: RepoEnv) {
    this.paths = paths;
    this.clock = e.clock;
    this.env = e.env;
    this.random = e.random ?? ((n) => randomBytes(n));
    this.store = new SessionStore(paths.commonDir, paths.top ?? paths.gitDir);
  }

  /** Opens the repository containing `e.cwd` (exit 2 outside one). */
  static open(e: RepoEnv): Repo {
    return new Repo(discoverRepo(e.cwd, e.env), e);
  }

  /** Directory native git commands run in. */
  get cwd(): string {
    return this.paths.top ?? this.paths.gitDir;
  }

  /** The worktree top, or exit 2 in a bare repository. */
  get top(): string {
    return requireWorktree(this.paths);
  }

  /** A fresh time-ordered id (at `ms`, default now: imports stamp ids with the item's own time). */
  newId(ms = this.clock()): string {
    return newId(ms, this.random);
  }

  /**
   * Builds an event stamped with the clock (or `extra.ts`, an ISO time an import carries:
   * the id then sorts by that time too) and a fresh id. Every event is built here, so
   * every text field passes the secret redactor before anything is stored.
   */
  event<B extends EventBody>(body: B, extra?: { redacted?: string[]; ts?: string; src?: string }): SessionEvent {
    const { body: safe, kinds } = redactBody(body);
    const given = extra?.ts !== undefined ? Date.parse(extra.ts) : NaN;
    const ms = Number.isFinite(given) ? given : this.clock();
    // A given time is kept as written when it is the ISO form every reader accepts (core/schema.ts).
    const ts = Number.isFinite(given) && ISO_TIME.test(extra!.ts!) ? extra!.ts! : new Date(ms).toISOString();
    const ev = { id: this.newId(ms), ts, ...safe } as SessionEvent;
    const all = [...new Set([...(extra?.redacted ?? []), ...kinds])].sort();
    if (all.length) ev.redacted = all;
    if (extra?.src) ev.src = extra.src;
    return ev;
  }

  /** "Name <email>" of whoever runs the command (git's author identity, else user@host). */
  author(): Promise<string> {
    return (this.identP ??= (async () => {
      const { GIT_AUTHOR_NAME: n, GIT_AUTHOR_EMAIL: m } = this.env;
      if (n && m) return `${n} <${m}>`;
      const r = await runGit(['var', 'GIT_AUTHOR_IDENT'], { cwd: this.cwd, allowFail: true, env: this.env });
      const match = /^(.*) <([^>]*)>/.exec(r.stdout);
      if (r.code === 0 && match) return `${match[1]} <${match[2]}>`;
      const u = userInfo().username;
      return `${u} <${u}@${hostname()}>`;
    })());
  }

  /** The identity stamped on session bookkeeping commits, at the clock's time. */
  async ident(): Promise<Ident> {
    const m = /^(.*) <([^>]*)>$/.exec(await this.author())!;
    return { name: m[1], email: m[2], timestamp: Math.floor(this.clock() / 1000), timezoneOffset: 0 };
  }

  private currentFile(): string {
    return join(this.paths.gitDir, 'session', 'current');
  }

  /** The current session of this worktree, if one is set (and is a session id at all). */
  async current(): Promise<string | undefined> {
    try {
      const id = (await readFile(this.currentFile(), 'utf8')).trim();
      return isId(id) ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** Makes `id` current in this worktree (undefined clears it). */
  async setCurrent(id: string | undefined, gitDir = this.paths.gitDir): Promise<void> {
    const f = join(gitDir, 'session', 'current');
    if (!id) return rm(f, { force: true });
    await mkdir(join(gitDir, 'session'), { recursive: true });
    await writeFile(f, id + '\n');
  }

  /**
   * Which session a command acts on: the explicit argument (any unique prefix), else
   * `GIT_SESSION`, else this worktree's current session.
   */
  async resolveSession(arg?: string): Promise<string> {
    if (arg !== undefined) return this.store.resolveId(arg);
    const fromEnv = this.env.GIT_SESSION;
    if (fromEnv) {
      try {
        return await this.store.resolveId(fromEnv);
      } catch (e) {
        throw isGsError(e) ? new GsError(e.code, `$GIT_SESSION: ${e.message}`) : e;
      }
    }
    const cur = await this.current();
    if (!cur) throw new GsError('no-current-session', 'no current session: start one (git session start "<goal>") or pass --session <id>');
    if (!(await this.store.metaTip(cur))) throw new GsError('unknown-session', `the current session ${cur} no longer exists`);
    return cur;
  }

  /** Appends events to a session (CAS with retry) and returns the new summary. */
  async append(id: string, events: SessionEvent[]): Promise<SessionSummary> {
    const ident = await this.ident();
    return this.store.append(id, ident, () => ({ events }));
  }

  /** Local state directory shared by all worktrees (`<common-dir>/session`). */
  get localDir(): string {
    return join(this.paths.commonDir, 'session');
  }
}
