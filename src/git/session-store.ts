import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { applyEvent, foldEvents } from '../core/fold.js';
import { attachmentsOf, chunkDir, chunkFile, chunkFull, chunkNumber, metaRef, parseSessionRef, SESSIONS_PREFIX, workRef } from '../core/layout.js';
import { FORMAT_VERSION, type SessionEvent, type SessionSummary } from '../core/types.js';
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
}

// Sessions whose events `grep` hands to one `git grep` (bounded command line).
const GREP_BATCH = 500;

/**
 * Reads and writes session refs (`refs/sessions/<id>/{meta,work}`) in one repository:
 * the only code that knows how a session is laid out in git (core/layout.ts names it).
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
      for (const d of readdirSync(join(this.commonDir, SESSIONS_PREFIX))) ids.add(d);
    } catch {
      /* none yet */
    }
    for (const ref of packedRefsUnder(this.commonDir, SESSIONS_PREFIX).keys()) {
      const p = parseSessionRef(ref);
      if (p) ids.add(p.id);
    }
    return ids;
  }

  /** Every session's meta commit, by id (the refs read in-process). */
  metaTips(): Map<string, string> {
    const tips = new Map<string, string>();
    for (const [ref, oid] of listRefs(this.commonDir, SESSIONS_PREFIX)) {
      const p = parseSessionRef(ref);
      if (p?.leaf === 'meta') tips.set(p.id, oid);
    }
    return tips;
  }

  /** Session refs (meta and work) of `ids`, or of every session, with their values. */
  async refs(ids?: Iterable<string>): Promise<Map<string, string>> {
    if (!ids) return listRefs(this.commonDir, SESSIONS_PREFIX);
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

  /** Summary of a session as stored at `metaOid` (default: the ref's tip). */
  async readSummary(id: string, metaOid?: string): Promise<SessionSummary> {
    return this.summaryFromRoot(await this.rootOf(id, metaOid));
  }

  /**
   * Summaries at many meta commits in one `git cat-file --batch` (undefined where one is
   * missing or unreadable: a damaged session does not stop the others being listed).
   */
  async readSummaries(metas: string[]): Promise<(SessionSummary | undefined)[]> {
    const texts = await catBatch(this.cwd, metas.map((meta) => `${meta}:session.json`));
    return texts.map((t) => {
      try {
        return t ? (JSON.parse(t) as SessionSummary) : undefined;
      } catch {
        return undefined;
      }
    });
  }

  /** Every event of a session in stored order (chunk by chunk). */
  async readEvents(id: string, metaOid?: string): Promise<SessionEvent[]> {
    const { dirs } = await readEventDirs(this.objects, await this.rootOf(id, metaOid));
    const out: SessionEvent[] = [];
    for (const d of dirs) {
      for (const c of await this.objects.readTree(d.oid)) parseChunk(await this.objects.readText(c.oid), `session ${id} ${c.path}`, out);
    }
    return out;
  }

  /**
   * Events of many sessions (given their meta commits) with one `git cat-file --batch`
   * per chunk number (chunk 0 of every session, then chunk 1 of those that had one, ...):
   * a handful of spawns for a thousand sessions instead of a thousand tree walks.
   */
  async readEventsMany(metas: { id: string; meta: string }[]): Promise<Map<string, SessionEvent[]>> {
    const out = new Map<string, SessionEvent[]>(metas.map((m) => [m.id, []]));
    let pending = metas;
    for (let n = 0; pending.length; n++) {
      const texts = await catBatch(this.cwd, pending.map((m) => `${m.meta}:events/${chunkDir(n)}/${chunkFile(n)}`));
      const next: typeof metas = [];
      texts.forEach((t, i) => {
        if (t === undefined) return;
        parseChunk(t, `session ${pending[i].id} ${chunkFile(n)}`, out.get(pending[i].id)!);
        next.push(pending[i]);
      });
      pending = next;
    }
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

  private async summaryFromRoot(root: Entry[]): Promise<SessionSummary> {
    const e = root.find((x) => x.path === 'session.json');
    if (!e) throw new GsError('damaged', 'session data is malformed: no session.json');
    let s: SessionSummary;
    try {
      s = JSON.parse(await this.objects.readText(e.oid)) as SessionSummary;
    } catch {
      throw new GsError('damaged', 'session data is malformed: session.json is not valid JSON');
    }
    if (Math.floor(s.format) > FORMAT_VERSION) {
      throw new GsError('bad-input', `session ${s.id} uses storage format ${s.format}; this git-session reads up to ${FORMAT_VERSION}: upgrade it`);
    }
    return s;
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
  async writeMerged(id: string, events: SessionEvent[], parents: string[], ident: Ident): Promise<string> {
    const summary = foldEvents(id, events);
    const chunks = await writeChunks(this.objects, 0, events.map((e) => JSON.stringify(e)));
    // Attachments: the union of both copies' (whatever their events), then the events' own.
    let attached: Entry | undefined;
    for (const p of parents) {
      const a = attachmentsEntry(await this.objects.readTree((await this.objects.readCommit(p)).tree));
      if (a) attached = await withAttachments(this.objects, attached, (await this.objects.readTree(a.oid)).map((e) => ({ name: e.path, oid: e.oid, type: e.type === 'tree' ? 'tree' : 'blob' })));
    }
    attached = await withAttachments(this.objects, attached, events.flatMap(attachmentsOf));
    const tree = await assembleRoot(this.objects, summary, { dirs: [], lastDirChunks: [] }, chunks, attached);
    return this.objects.writeCommit({ tree, parent: parents, message: `session ${id}: merge diverged copies\n`, author: ident });
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
      const current = await this.summaryFromRoot(root);
      const { events, updates = [] } = await plan(current);
      if (events.length === 0 && updates.length === 0) return current;
      let summary = current;
      for (const ev of events) summary = applyEvent(summary, ev);
      const attached = await withAttachments(this.objects, attachmentsEntry(root), events.flatMap(attachmentsOf));
      const tree = await this.appendToRoot(root, summary, events.map((e) => JSON.stringify(e)), attached);
      const kinds = [...new Set(events.map((e) => e.kind))].join(', ');
      const commit = await this.objects.writeCommit({ tree, parent: [tip], message: `session ${id}: ${kinds}\n`, author: ident });
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
      const summary = batch.summary(id, await this.summaryFromRoot(root));
      const tree = await assembleRoot(this.objects, summary, ev, chunks.map((oid, i) => ({ n: first + i, oid })), attachmentsEntry(root));
      const commit = await this.objects.writeCommit({ tree, parent: [tip], message: `session ${id}: import\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip }]);
      return ok ? summary : undefined;
    }, `importing into session ${id}`);
  }
}
