import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { applyEvent, type Authority, foldEvents } from '../core/fold.js';
import { isId } from '../core/ids.js';
import { attachmentsOf, chunkDir, chunkFile, chunkFull, chunkNumber, isSessionRef, metaRef, parseSessionRef, SESSIONS_PREFIX, workRef } from '../core/layout.js';
import { eventLine, parseEvent, readSummaryText, type SummaryCheck } from '../core/schema.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
export type { DamagedSession } from '../core/types.js';
import { catBatch } from './batch.js';
import { runGit } from './exec.js';
import { type Entry, type Ident, ObjectStore } from './objects.js';
import { packedRefsUnder } from './packed-refs.js';
import { listRefs, type RefUpdate, transact, withRetry, ZERO } from './refs.js';
import { assembleRoot, attachmentsEntry, EventBatch, parseChunk, readEventDirs, withAttachments, writeChunks } from './session-chunks.js';

/** What an append may add besides events: more ref updates in the same transaction. */
export interface AppendPlan {
  events: SessionEvent[];
  updates?: RefUpdate[];
  /**
   * Commits the append's meta commit keeps reachable as extra parents: what an `undo`
   * moves a ref away from (an undone work tip, a landing taken off its target) stays
   * in the session's history, so `git gc` and a push keep it.
   */
  keep?: string[];
}

// Sessions whose events `grep` hands to one `git grep` (bounded command line).
const GREP_BATCH = 500;

/** Why a session's events cannot be read as a session: its first event must be a valid `start`. */
function startFault(events: StoredEvent[]): string | undefined {
  const first = events[0];
  if (!first) return 'it has no events';
  if (first.kind === 'start') return undefined;
  return first.kind === 'foreign' ? `its start event is unreadable (${first.reason})` : `its first event is a ${first.kind}, not a start`;
}

/** The error every reader throws for a damaged session (exit 1; other sessions unaffected). */
export function damaged(id: string, reason: string): GsError {
  return new GsError('damaged', `session ${id} is damaged: ${reason}`, { id, reason });
}

/**
 * Reads and writes session refs (`refs/sessions/<id>/{meta,work}`) in one repository:
 * the only code that knows how a session is laid out in git (core/layout.ts names it).
 *
 * The reading contract (data under refs/sessions/ may come from anyone who can push to a
 * remote): only refs named `<ULID>/meta` or `<ULID>/work` are sessions (`strayRefs` lists
 * the others, which every reader ignores); `session.json` is checked against the schema
 * and must name its own ref's id; events come back as StoredEvent, an event that fails
 * its kind's schema or has a kind this version does not know as a ForeignEvent kept as
 * data; a session whose `session.json` is unusable, whose chunk holds a line that is not
 * JSON, or whose first event is not a valid `start` is damaged: single reads throw a
 * `damaged` GsError (exit 1), batch reads report it per session and go on.
 */
export class SessionStore {
  readonly objects: ObjectStore;
  constructor(
    readonly commonDir: string,
    /** Any directory git accepts as cwd for this repository (worktree top or git dir). */
    readonly cwd: string,
  ) {
    this.objects = new ObjectStore(commonDir);
  }

  /**
   * Ids of all sessions, from the ref store in-process (loose dirs + packed-refs):
   * cheap enough for prefix resolution on every command (no ref file is opened).
   */
  listIds(): Set<string> {
    const ids = new Set<string>();
    try {
      for (const d of readdirSync(join(this.commonDir, SESSIONS_PREFIX))) if (isId(d)) ids.add(d);
    } catch {
      /* none yet */
    }
    for (const ref of packedRefsUnder(this.commonDir, SESSIONS_PREFIX).keys()) {
      const p = parseSessionRef(ref);
      if (p && isId(p.id)) ids.add(p.id);
    }
    return ids;
  }

  /** Every session's meta commit, by id (the refs read in-process; stray refs ignored). */
  metaTips(): Map<string, string> {
    return this.scan().metas;
  }

  /**
   * One read of the ref store: every session's meta commit by id, and the stray refs under
   * refs/sessions/ (not `<ULID>/meta` or `<ULID>/work`), which every reader ignores and
   * commands warn about. (`archive/` is kept for archived sessions.)
   */
  scan(): { metas: Map<string, string>; strays: string[] } {
    const metas = new Map<string, string>();
    const strays: string[] = [];
    for (const [ref, oid] of listRefs(this.commonDir, SESSIONS_PREFIX)) {
      if (!isSessionRef(ref)) {
        if (!ref.startsWith(`${SESSIONS_PREFIX}archive/`)) strays.push(ref);
        continue;
      }
      const p = parseSessionRef(ref)!;
      if (p.leaf === 'meta') metas.set(p.id, oid);
    }
    return { metas, strays };
  }

  /** Session refs (meta and work) of `ids`, or of every session, with their values. */
  async refs(ids?: Iterable<string>): Promise<Map<string, string>> {
    if (!ids) return new Map([...listRefs(this.commonDir, SESSIONS_PREFIX)].filter(([ref]) => isSessionRef(ref)));
    const out = new Map<string, string>();
    for (const id of ids) {
      for (const ref of [metaRef(id), workRef(id)]) {
        const v = await this.objects.resolve(ref);
        if (v) out.set(ref, v);
      }
    }
    return out;
  }

  /** The meta commit of a session, or undefined. */
  metaTip(id: string): Promise<string | undefined> {
    return this.objects.resolve(metaRef(id));
  }

  /** The work tip of a session, or undefined before its first snapshot. */
  workTip(id: string): Promise<string | undefined> {
    return this.objects.resolve(workRef(id));
  }

  /** Summary of a session as stored at `metaOid` (default: the ref's tip), checked (see the reading contract). */
  async readSummary(id: string, metaOid?: string): Promise<SessionSummary> {
    return this.summaryFromRoot(id, await this.rootOf(id, metaOid));
  }

  /**
   * Summaries of many sessions at their meta commits in one `git cat-file --batch`, each
   * checked on its own: a damaged one is reported with its reason and does not stop the
   * others being listed.
   */
  async readSummaries(items: { id: string; meta: string }[]): Promise<SummaryCheck[]> {
    const texts = await catBatch(this.cwd, items.map(({ meta }) => `${meta}:session.json`));
    return texts.map((t, i) => (t === undefined ? { ok: false, reason: 'no session.json' } : readSummaryText(t, items[i].id)));
  }

  /** Every event of a session in stored order (chunk by chunk); throws `damaged` (see the reading contract). */
  async readEvents(id: string, metaOid?: string): Promise<StoredEvent[]> {
    const { dirs } = await readEventDirs(this.objects, await this.rootOf(id, metaOid));
    const out: StoredEvent[] = [];
    try {
      for (const d of dirs) {
        for (const c of await this.objects.readTree(d.oid)) parseChunk(await this.objects.readText(c.oid), `events/${d.path}/${c.path}`, out);
      }
    } catch (e) {
      throw e instanceof GsError && e.code === 'damaged' ? damaged(id, e.message) : e;
    }
    const why = startFault(out);
    if (why) throw damaged(id, why);
    return out;
  }

  /**
   * Events of many sessions (given their meta commits) with one `git cat-file --batch`
   * per chunk number (chunk 0 of every session, then chunk 1 of those that had one, ...):
   * a handful of spawns for a thousand sessions instead of a thousand tree walks.
   */
  async readEventsMany(metas: { id: string; meta: string }[], damagedOut?: Map<string, string>): Promise<Map<string, StoredEvent[]>> {
    const out = new Map<string, StoredEvent[]>(metas.map((m) => [m.id, []]));
    const bad = (id: string, why: string) => {
      out.delete(id);
      damagedOut?.set(id, why);
    };
    let pending = metas;
    for (let n = 0; pending.length; n++) {
      const texts = await catBatch(this.cwd, pending.map((m) => `${m.meta}:events/${chunkDir(n)}/${chunkFile(n)}`));
      const next: typeof metas = [];
      texts.forEach((t, i) => {
        const { id } = pending[i];
        if (t === undefined) return;
        try {
          parseChunk(t, `events/${chunkDir(n)}/${chunkFile(n)}`, out.get(id)!);
          next.push(pending[i]);
        } catch (e) {
          bad(id, (e as Error).message);
        }
      });
      pending = next;
    }
    for (const [id, events] of out) {
      const why = startFault(events);
      if (why) bad(id, why);
    }
    return out;
  }

  /**
   * For each meta commit, the id of the first event in the root commit of the chain that
   * created it (following first parents): the session's own `start`, whatever later
   * commits claim; undefined when that event is unreadable. Two spawns for any number:
   * one walk of every first-parent chain, one batch read of the roots' first chunks.
   */
  async creatingStarts(metas: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    if (!metas.length) return out;
    const walk = await runGit(['rev-list', '--first-parent', '--parents', '--stdin'], { cwd: this.cwd, input: metas.join('\n') + '\n', allowFail: true });
    const first = new Map<string, string | null>();
    for (const line of walk.stdout.split('\n')) {
      const [c, p] = line.split(' ');
      if (c) first.set(c, p ?? null);
    }
    const roots = metas.map((m) => {
      let c: string | null | undefined = m;
      for (let n = 0; c && n <= first.size; n++) {
        const p = first.get(c);
        if (p === undefined) return undefined;
        if (p === null) return c;
        c = p;
      }
      return undefined;
    });
    const texts = await catBatch(this.cwd, roots.map((r) => (r ? `${r}:events/${chunkDir(0)}/${chunkFile(0)}` : 'missing-root')));
    metas.forEach((m, i) => {
      const line = texts[i]?.split('\n')[0];
      try {
        const ev = line ? parseEvent(JSON.parse(line)) : undefined;
        out.set(m, ev?.kind === 'start' ? ev.id : undefined);
      } catch {
        out.set(m, undefined);
      }
    });
    return out;
  }

  /**
   * Which of the sessions `ids` hold `text` (case-insensitive, literal) in any event,
   * through `git grep` over their chunks: no event is loaded into this process.
   */
  async grep(ids: string[], text: string): Promise<Set<string>> {
    const hits = new Set<string>();
    for (let i = 0; i < ids.length; i += GREP_BATCH) {
      const revs = ids.slice(i, i + GREP_BATCH).map(metaRef);
      const r = await runGit(['grep', '-l', '-i', '-F', '-e', text, ...revs, '--', 'events/'], { cwd: this.cwd, allowFail: true });
      for (const line of r.stdout.split('\n')) {
        const m = /^refs\/sessions\/([^/]+)\/meta:/.exec(line);
        if (m) hits.add(m[1]);
      }
    }
    return hits;
  }

  private async rootOf(id: string, metaOid?: string): Promise<Entry[]> {
    const oid = metaOid ?? (await this.requireTip(id));
    return this.objects.readTree((await this.objects.readCommit(oid)).tree);
  }

  private async summaryFromRoot(id: string, root: Entry[]): Promise<SessionSummary> {
    const e = root.find((x) => x.path === 'session.json');
    if (!e) throw damaged(id, 'no session.json');
    const r = readSummaryText(await this.objects.readText(e.oid), id);
    if (!r.ok) throw damaged(id, r.reason);
    return r.summary;
  }

  private async requireTip(id: string): Promise<string> {
    const tip = await this.metaTip(id);
    if (!tip) throw new GsError('unknown-session', `no session ${id}`);
    return tip;
  }

  /** An empty batch to stream events into, for `create` or `appendBatch`. */
  batch(): EventBatch {
    return new EventBatch(this.objects);
  }

  /**
   * Writes a whole new session (its first event is `start`) with one compare-and-swap
   * that creates its meta ref together with any further `updates` (an import's work
   * ref): either all of it appears or nothing does. Fails if the id exists.
   */
  async create(id: string, ident: Ident, events: SessionEvent[] | EventBatch, updates: RefUpdate[] = []): Promise<SessionSummary> {
    let batch: EventBatch;
    if (events instanceof EventBatch) batch = events;
    else {
      batch = this.batch();
      for (const ev of events) await batch.add(ev);
    }
    const summary = batch.summary(id);
    const chunks = (await batch.chunks()).map((oid, n) => ({ n, oid }));
    const tree = await assembleRoot(this.objects, summary, { dirs: [], lastDirChunks: [] }, chunks, undefined);
    const commit = await this.objects.writeCommit({ tree, parent: [], message: `session ${id}: start\n\n${summary.goal}\n`, author: ident });
    const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: ZERO }, ...updates]);
    if (!ok) throw new GsError('contention', `session id ${id} already exists`);
    return summary;
  }

  /**
   * Writes a commit holding exactly `events` (re-chunked from scratch) with the given
   * parents: how two diverged copies of a session are merged (union of their events,
   * both histories kept as parents). Returns the commit; the caller moves the ref.
   */
  async writeMerged(id: string, events: StoredEvent[], parents: string[], ident: Ident, authority?: Authority): Promise<{ commit: string; summary: SessionSummary }> {
    const summary = foldEvents(id, events, authority);
    const chunks = await writeChunks(this.objects, 0, events.map(eventLine));
    // Attachments: the union of both copies' (whatever their events), then the events' own.
    let attached: Entry | undefined;
    for (const p of parents) {
      const a = attachmentsEntry(await this.objects.readTree((await this.objects.readCommit(p)).tree));
      if (a) attached = await withAttachments(this.objects, attached, (await this.objects.readTree(a.oid)).map((e) => ({ name: e.path, oid: e.oid, type: e.type === 'tree' ? 'tree' : 'blob' })));
    }
    attached = await withAttachments(this.objects, attached, events.flatMap((e) => (e.kind === 'foreign' ? [] : attachmentsOf(e))));
    const tree = await assembleRoot(this.objects, summary, { dirs: [], lastDirChunks: [] }, chunks, attached);
    const commit = await this.objects.writeCommit({ tree, parent: parents, message: `session ${id}: merge diverged copies\n`, author: ident });
    return { commit, summary };
  }

  /**
   * A commit on top of `meta` (its only parent) with the same events and `summary` as
   * session.json: how a pulled copy whose session.json does not match its own events is
   * corrected. Returns the commit; the caller moves the ref.
   */
  async writeSummary(id: string, meta: string, summary: SessionSummary, ident: Ident): Promise<string> {
    const root = await this.rootOf(id, meta);
    const tree = await assembleRoot(this.objects, summary, await readEventDirs(this.objects, root), [], attachmentsEntry(root));
    return this.objects.writeCommit({ tree, parent: [meta], message: `session ${id}: summary folded from its events\n`, author: ident });
  }

  /**
   * Appends events in one commit, compare-and-swap on the meta ref (plus any extra ref
   * updates `plan` returns, in the same transaction), retrying when another writer won.
   * Cost is independent of how many events the session already has: only the tail
   * chunk (bounded), its directory tree and the root are rewritten.
   */
  async append(id: string, ident: Ident, plan: (current: SessionSummary) => Promise<AppendPlan> | AppendPlan): Promise<SessionSummary> {
    return withRetry(async () => {
      const tip = await this.requireTip(id);
      const root = await this.rootOf(id, tip);
      const current = await this.summaryFromRoot(id, root);
      const { events, updates = [], keep = [] } = await plan(current);
      if (events.length === 0 && updates.length === 0) return current;
      let summary = current;
      for (const ev of events) summary = applyEvent(summary, ev);
      const attached = await withAttachments(this.objects, attachmentsEntry(root), events.flatMap(attachmentsOf));
      const tree = await this.appendToRoot(root, summary, events.map((e) => JSON.stringify(e)), attached);
      const kinds = [...new Set(events.map((e) => e.kind))].join(', ');
      const commit = await this.objects.writeCommit({ tree, parent: [tip, ...keep], message: `session ${id}: ${kinds}\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip }, ...updates]);
      return ok ? summary : undefined;
    }, `appending to session ${id}`);
  }

  /** Writes a new root tree given the old root, appending `lines` to the tail chunk. */
  private async appendToRoot(root: Entry[], summary: SessionSummary, lines: string[], attached: Entry | undefined): Promise<string> {
    const ev = await readEventDirs(this.objects, root);
    const last = ev.lastDirChunks[ev.lastDirChunks.length - 1];
    let tailText = last ? await this.objects.readText(last.oid) : '';
    let n = last ? chunkNumber(last.path) : 0;
    const tailLines = tailText ? tailText.split('\n').length - 1 : 0;
    if (last && chunkFull(tailLines, Buffer.byteLength(tailText))) {
      n += 1;
      tailText = '';
    }
    const chunks = await writeChunks(this.objects, n, [...(tailText ? [tailText.replace(/\n$/, '')] : []), ...lines]);
    return assembleRoot(this.objects, summary, ev, chunks, attached);
  }

  /**
   * Publishes a batch written ahead (a streamed import) after the session's last chunk,
   * in one commit and one compare-and-swap, retried when another writer won. Nothing is
   * visible until the ref moves.
   */
  async appendBatch(id: string, ident: Ident, batch: EventBatch): Promise<SessionSummary> {
    const chunks = await batch.chunks();
    return withRetry(async () => {
      const tip = await this.requireTip(id);
      const root = await this.rootOf(id, tip);
      const ev = await readEventDirs(this.objects, root);
      const last = ev.lastDirChunks[ev.lastDirChunks.length - 1];
      const first = last ? chunkNumber(last.path) + 1 : 0;
      const summary = batch.summary(id, await this.summaryFromRoot(id, root));
      const tree = await assembleRoot(this.objects, summary, ev, chunks.map((oid, i) => ({ n: first + i, oid })), attachmentsEntry(root));
      const commit = await this.objects.writeCommit({ tree, parent: [tip], message: `session ${id}: import\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip }]);
      return ok ? summary : undefined;
    }, `importing into session ${id}`);
  }
}
