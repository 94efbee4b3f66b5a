import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { applyEvent, type Authority, foldEvents } from '../core/fold.js';
import { isId, normalisePrefix, resolvePrefix } from '../core/ids.js';
import { attachmentsOf, chunkFull, chunkNumber, isSessionRef, metaRef, parseSessionRef, SESSIONS_PREFIX, shardOfRef, workRef } from '../core/layout.js';
import { eventLine, readSummaryText, type SummaryCheck } from '../core/schema.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
export type { DamagedSession } from '../core/types.js';
import { type Archived, ArchiveStore } from './archive.js';
import { catBatch } from './batch.js';
import { type Entry, type Ident, ObjectStore } from './objects.js';
import { packedRefsUnder } from './packed-refs.js';
import { listRefs, type RefUpdate, transact, withRetry, ZERO } from './refs.js';
import { assembleRoot, attachmentsEntry, EventBatch, otherEntries, readEventDirs, unionEntries, withAttachments, withEntry, writeChunks } from './session-chunks.js';
import { creatingStarts, damaged, grepSessions, inflateEvents, readEventsMany, readWhole } from './session-read.js';

export { damaged } from './session-read.js';

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
 *
 * A session lives in its refs or, once archived, in its shard (git/archive.ts): readers
 * look at the refs first, then the archive (`metaTip`, `workTip`, `resolveId`), so an
 * archived session reads like any other; a write to an archived session first re-creates
 * its refs from the archive (un-archiving it, see `append`).
 */
export class SessionStore {
  readonly objects: ObjectStore;
  readonly archive: ArchiveStore;
  constructor(
    readonly commonDir: string,
    /** Any directory git accepts as cwd for this repository (worktree top or git dir). */
    readonly cwd: string,
  ) {
    this.objects = new ObjectStore(commonDir);
    this.archive = new ArchiveStore(commonDir, cwd);
  }

  /**
   * Ids of the sessions that have refs (open ones, and closed ones not archived yet), from
   * the ref store in-process (loose dirs + packed-refs): no ref file is opened.
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
        if (!shardOfRef(ref)) strays.push(ref);
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

  /**
   * The session a prefix names (as git resolves short hashes): among the sessions with
   * refs, then the archived ones the prefix can name (only the shards of the months its
   * time part spans are read). Exit 2 when none or several match.
   */
  async resolveId(prefix: string): Promise<string> {
    const p = normalisePrefix(prefix.trim());
    const ids = this.listIds();
    if (isId(p) && ids.has(p)) return p;
    const archived = /^[0-9a-z]{1,26}$/.test(p) ? await this.archive.idsWithPrefix(p) : [];
    return resolvePrefix(prefix, archived.length ? new Set([...ids, ...archived]) : ids);
  }

  /** Whether a session exists, in its refs or in the archive. */
  async exists(id: string): Promise<boolean> {
    return (await this.objects.resolve(metaRef(id))) !== undefined || (await this.archived(id)) !== undefined;
  }

  /** The archive's entry for a session (undefined when it is not archived). */
  async archived(id: string): Promise<Archived | undefined> {
    return isId(id) ? (await this.archive.lookup([id])).get(id) : undefined;
  }

  /** The meta commit of a session: its ref, else its archived one; undefined when neither. */
  async metaTip(id: string): Promise<string | undefined> {
    const ref = await this.objects.resolve(metaRef(id));
    if (ref) return ref;
    const a = await this.archived(id);
    return a && !a.damaged ? a.meta : undefined;
  }

  /** The meta commits of `ids` (refs first, then the archive, in one batch); sessions found nowhere are left out. */
  async metaTipsOf(ids: string[]): Promise<Map<string, string>> {
    const refs = this.metaTips();
    const out = new Map<string, string>();
    const rest: string[] = [];
    for (const id of ids) {
      const m = refs.get(id);
      if (m) out.set(id, m);
      else rest.push(id);
    }
    for (const [id, a] of await this.archive.lookup(rest)) if (!a.damaged) out.set(id, a.meta);
    return out;
  }

  /** The work tip of a session (its ref, else its archived one), or undefined before its first snapshot. */
  async workTip(id: string): Promise<string | undefined> {
    const ref = await this.objects.resolve(workRef(id));
    if (ref || (await this.objects.resolve(metaRef(id)))) return ref;
    const a = await this.archived(id);
    return a && !a.damaged ? a.work : undefined;
  }

  /** Summary of a session as stored at `metaOid` (default: its tip), checked (see the reading contract). */
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

  /** Every event of a session in stored order; throws `damaged` (see the reading contract). */
  async readEvents(id: string, metaOid?: string): Promise<StoredEvent[]> {
    return (await this.readSession(id, metaOid)).events;
  }

  /**
   * Summary and every event of a session (at `metaOid`, default its tip) through one
   * `git cat-file --batch`, whatever the number of chunks; throws `damaged`.
   */
  async readSession(id: string, metaOid?: string): Promise<{ summary: SessionSummary; events: StoredEvent[] }> {
    const meta = metaOid ?? (await this.requireTip(id));
    const { summary, events } = await readWhole(this.cwd, id, meta);
    if (!summary.ok) throw damaged(id, summary.reason);
    return { summary: summary.summary, events };
  }

  /** `events` with the strings stored apart put back whole (`show --full`). */
  inflate(events: StoredEvent[]): Promise<StoredEvent[]> {
    return inflateEvents(this.cwd, events);
  }

  /** Events of many sessions given their meta commits, a few batches for any number (damaged ones reported in `damagedOut`). */
  readEventsMany(metas: { id: string; meta: string }[], damagedOut?: Map<string, string>): Promise<Map<string, StoredEvent[]>> {
    return readEventsMany(this.cwd, metas, damagedOut);
  }

  /** The first event of the creating chain's root commit of each meta commit (see session-read.ts). */
  creatingStarts(metas: string[]): Promise<Map<string, string | undefined>> {
    return creatingStarts(this.cwd, metas);
  }

  /**
   * Which of the sessions `ids` hold `text` (case-insensitive, literal) in any event,
   * through `git grep` over their chunks (archived ones at their archived meta commit).
   */
  async grep(ids: string[], text: string): Promise<Set<string>> {
    const refs = this.listIds();
    const archived = await this.archive.lookup(ids.filter((id) => !refs.has(id)));
    const revs = ids.flatMap((id) => {
      if (refs.has(id)) return [{ id, rev: metaRef(id) }];
      const a = archived.get(id);
      return a && !a.damaged ? [{ id, rev: a.meta }] : [];
    });
    return grepSessions(this.cwd, revs, text);
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

  /** The meta commit readers use: the ref, else the archive's (a damaged archive entry is damaged). */
  private async requireTip(id: string): Promise<string> {
    const ref = await this.objects.resolve(metaRef(id));
    if (ref) return ref;
    const a = await this.archived(id);
    if (a?.damaged) throw damaged(id, a.damaged);
    if (!a) throw new GsError('unknown-session', `no session ${id}`);
    return a.meta;
  }

  /**
   * The meta ref's value for a write: the ref, else (an archived session) its refs are
   * re-created from the archive first (compare-and-swap: they must not exist), which
   * un-archives it; undefined when that lost to another writer (retry).
   */
  private async writableTip(id: string): Promise<string | undefined> {
    const ref = await this.objects.resolve(metaRef(id));
    if (ref) return ref;
    const a = await this.archived(id);
    if (a?.damaged) throw damaged(id, a.damaged);
    if (!a) throw new GsError('unknown-session', `no session ${id}`);
    const ok = await transact(this.cwd, [{ ref: metaRef(id), new: a.meta, old: ZERO }, ...(a.work ? [{ ref: workRef(id), new: a.work, old: ZERO }] : [])]);
    return ok ? a.meta : undefined;
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
    const chunks = (await batch.chunks()).map((c, n) => ({ n, oid: c.oid, large: c.large }));
    const tree = await assembleRoot(this.objects, summary, { dirs: [], lastDirChunks: [] }, chunks);
    const commit = await this.objects.writeCommit({ tree, parent: [], message: `session ${id}: start\n\n${summary.goal}\n`, author: ident });
    const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: ZERO }, ...updates]);
    if (!ok) throw new GsError('contention', `session id ${id} already exists`);
    return summary;
  }

  /**
   * Writes a commit holding exactly `events` (re-chunked from scratch) with the given
   * parents: how two diverged copies of a session are merged (union of their events,
   * both histories kept as parents, and the union of whatever else their trees hold:
   * stored-apart strings, attestations). Returns the commit; the caller moves the ref.
   */
  async writeMerged(id: string, events: StoredEvent[], parents: string[], ident: Ident, authority?: Authority): Promise<{ commit: string; summary: SessionSummary }> {
    const summary = foldEvents(id, events, authority);
    const chunks = await writeChunks(this.objects, 0, events.map(eventLine));
    const roots = await Promise.all(parents.map(async (p) => otherEntries(await this.rootOf(id, p))));
    const others = await unionEntries(this.objects, roots);
    // Attachments: the union of both copies' (above), then the events' own.
    const attached = await withAttachments(this.objects, attachmentsEntry(others), events.flatMap((e) => (e.kind === 'foreign' ? [] : attachmentsOf(e))));
    const tree = await assembleRoot(this.objects, summary, { dirs: [], lastDirChunks: [] }, chunks, withEntry(others, attached));
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
    const tree = await assembleRoot(this.objects, summary, await readEventDirs(this.objects, root), [], otherEntries(root));
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
      const tip = await this.writableTip(id);
      if (!tip) return undefined;
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
    const chunks = await writeChunks(this.objects, n, [...(tailText ? tailText.replace(/\n$/, '').split('\n') : []), ...lines]);
    return assembleRoot(this.objects, summary, ev, chunks, withEntry(otherEntries(root), attached));
  }

  /**
   * Publishes a batch written ahead (a streamed import) after the session's last chunk,
   * in one commit and one compare-and-swap, retried when another writer won. Nothing is
   * visible until the ref moves.
   */
  async appendBatch(id: string, ident: Ident, batch: EventBatch): Promise<SessionSummary> {
    const chunks = await batch.chunks();
    return withRetry(async () => {
      const tip = await this.writableTip(id);
      if (!tip) return undefined;
      const root = await this.rootOf(id, tip);
      const ev = await readEventDirs(this.objects, root);
      const last = ev.lastDirChunks[ev.lastDirChunks.length - 1];
      const first = last ? chunkNumber(last.path) + 1 : 0;
      const summary = batch.summary(id, await this.summaryFromRoot(id, root));
      const tree = await assembleRoot(this.objects, summary, ev, chunks.map((c, i) => ({ n: first + i, oid: c.oid, large: c.large })), otherEntries(root));
      const commit = await this.objects.writeCommit({ tree, parent: [tip], message: `session ${id}: import\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip }]);
      return ok ? summary : undefined;
    }, `importing into session ${id}`);
  }
}
