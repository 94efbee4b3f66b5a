import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { applyEvent, foldEvents } from '../core/fold.js';
import {
  chunkDir, chunkFile, chunkFull, chunkNumber, metaRef, SESSIONS_PREFIX, workRef,
} from '../core/layout.js';
import { FORMAT_VERSION, type SessionEvent, type SessionSummary } from '../core/types.js';
import { type Entry, type Ident, ObjectStore } from './objects.js';
import { type RefUpdate, transact, withRetry, ZERO } from './refs.js';

/** What an append may add besides events: more ref updates in the same transaction. */
export interface AppendPlan {
  events: SessionEvent[];
  updates?: RefUpdate[];
}

/** Reads and writes session refs (`refs/sessions/<id>/{meta,work}`) in one repository. */
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
   * cheap enough for prefix resolution on every command.
   */
  listIds(): Set<string> {
    const ids = new Set<string>();
    try {
      for (const d of readdirSync(join(this.commonDir, SESSIONS_PREFIX))) ids.add(d);
    } catch {
      /* none yet */
    }
    try {
      const packed = readFileSync(join(this.commonDir, 'packed-refs'), 'utf8');
      let i = packed.indexOf(SESSIONS_PREFIX);
      while (i >= 0) {
        const start = i + SESSIONS_PREFIX.length;
        const end = packed.indexOf('/', start);
        if (end > start) ids.add(packed.slice(start, end));
        i = packed.indexOf(SESSIONS_PREFIX, end);
      }
    } catch {
      /* no packed-refs */
    }
    return ids;
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
    const oid = metaOid ?? (await this.requireTip(id));
    const root = await this.objects.readTree((await this.objects.readCommit(oid)).tree);
    return this.summaryFromRoot(root);
  }

  private async summaryFromRoot(root: Entry[]): Promise<SessionSummary> {
    const e = root.find((x) => x.path === 'session.json');
    if (!e) throw new GsError('bad-input', 'session data is malformed: no session.json');
    const s = JSON.parse(await this.objects.readText(e.oid)) as SessionSummary;
    if (Math.floor(s.format) > FORMAT_VERSION) {
      throw new GsError('bad-input', `session ${s.id} uses storage format ${s.format}; this git-session reads up to ${FORMAT_VERSION}: upgrade it`);
    }
    return s;
  }

  /** Every event of a session in stored order (chunk by chunk). */
  async readEvents(id: string, metaOid?: string): Promise<SessionEvent[]> {
    const oid = metaOid ?? (await this.requireTip(id));
    const root = await this.objects.readTree((await this.objects.readCommit(oid)).tree);
    const evDir = root.find((x) => x.path === 'events');
    if (!evDir) return [];
    const out: SessionEvent[] = [];
    for (const d of await this.objects.readTree(evDir.oid)) {
      for (const c of await this.objects.readTree(d.oid)) {
        const text = await this.objects.readText(c.oid);
        for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as SessionEvent);
      }
    }
    return out;
  }

  private async requireTip(id: string): Promise<string> {
    const tip = await this.metaTip(id);
    if (!tip) throw new GsError('unknown-session', `no session ${id}`);
    return tip;
  }

  /** Creates a session whose first event is `start`; fails if the id exists. */
  async create(id: string, start: SessionEvent, ident: Ident): Promise<SessionSummary> {
    const summary = foldEvents(id, [start]);
    const tree = await this.writeRoot(summary, [], 0, [JSON.stringify(start)]);
    const commit = await this.objects.writeCommit({ tree, parent: [], message: `session ${id}: start\n\n${summary.goal}\n`, author: ident });
    const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: ZERO }]);
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
    const tree = await this.writeRoot(summary, [], 0, events.map((e) => JSON.stringify(e)));
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
      const root = await this.objects.readTree((await this.objects.readCommit(tip)).tree);
      const current = await this.summaryFromRoot(root);
      const { events, updates = [] } = await plan(current);
      if (events.length === 0 && updates.length === 0) return current;
      let summary = current;
      for (const ev of events) summary = applyEvent(summary, ev);
      const tree = await this.appendToRoot(root, summary, events.map((e) => JSON.stringify(e)));
      const kinds = [...new Set(events.map((e) => e.kind))].join(', ');
      const commit = await this.objects.writeCommit({ tree, parent: [tip], message: `session ${id}: ${kinds}\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip }, ...updates]);
      return ok ? summary : undefined;
    }, `appending to session ${id}`);
  }

  /** Writes a new root tree given the old root, appending `lines` to the tail chunk. */
  private async appendToRoot(root: Entry[], summary: SessionSummary, lines: string[]): Promise<string> {
    const evEntry = root.find((x) => x.path === 'events');
    const dirs = evEntry ? await this.objects.readTree(evEntry.oid) : [];
    const lastDir = dirs[dirs.length - 1];
    const chunks = lastDir ? await this.objects.readTree(lastDir.oid) : [];
    const last = chunks[chunks.length - 1];
    let tailText = last ? await this.objects.readText(last.oid) : '';
    let n = last ? chunkNumber(last.path) : 0;
    const tailLines = tailText ? tailText.split('\n').length - 1 : 0;
    if (last && chunkFull(tailLines, Buffer.byteLength(tailText))) {
      n += 1;
      tailText = '';
    }
    return this.writeRoot(summary, dirs, n, [...(tailText ? [tailText.replace(/\n$/, '')] : []), ...lines], chunks);
  }

  /**
   * Writes chunk `n` (and, if the lines overflow it, the following ones) holding
   * `lines`, then the events dirs and the root tree with a fresh session.json.
   */
  private async writeRoot(summary: SessionSummary, dirs: Entry[], n: number, lines: string[], lastDirChunks: Entry[] = []): Promise<string> {
    const w = new ChunkWriter(this.objects);
    for (const line of lines) await w.add(line);
    const placed = (await w.finish()).map((oid, i) => ({ n: n + i, oid }));
    return this.assemble(summary, dirs, lastDirChunks, placed);
  }

  /**
   * Builds the root tree from the existing event dirs (the last one's entries given),
   * chunk blobs placed at their numbers (replacing a same-numbered tail), and the summary.
   */
  private async assemble(summary: SessionSummary, dirs: Entry[], lastDirChunks: Entry[], placed: { n: number; oid: string }[]): Promise<string> {
    const dirMap = new Map<string, Entry[]>();
    for (const d of dirs) dirMap.set(d.path, []);
    if (dirs.length) dirMap.set(dirs[dirs.length - 1].path, lastDirChunks.slice());
    for (const { n, oid } of placed) {
      const dn = chunkDir(n);
      const list = dirMap.get(dn) ?? [];
      const entry: Entry = { mode: '100644', path: chunkFile(n), oid, type: 'blob' };
      const at = list.findIndex((e) => e.path === entry.path);
      if (at >= 0) list[at] = entry;
      else list.push(entry);
      dirMap.set(dn, list);
    }
    const evTree: Entry[] = [];
    for (const [name, list] of dirMap) {
      const old = dirs.find((d) => d.path === name);
      // Only the last old dir and new ones carry entries here; the rest are reused as-is.
      const oid = list.length > 0 ? await this.objects.writeTree(list) : old!.oid;
      evTree.push({ mode: '040000', path: name, oid, type: 'tree' });
    }
    const summaryOid = await this.objects.writeText(JSON.stringify(summary, null, 2) + '\n');
    return this.objects.writeTree([
      { mode: '040000', path: 'events', oid: await this.objects.writeTree(evTree), type: 'tree' },
      { mode: '100644', path: 'session.json', oid: summaryOid, type: 'blob' },
    ]);
  }

  /**
   * Publishes chunk blobs written ahead (a streamed import) after the session's last
   * chunk, in one commit and one compare-and-swap; `create` makes a new session (the
   * first chunk then starts with its `start` event). `update` folds the imported events
   * into the current summary. Nothing is visible until the ref moves.
   */
  async appendChunks(id: string, ident: Ident, chunks: string[], update: (cur: SessionSummary | undefined) => SessionSummary, create = false): Promise<SessionSummary> {
    return withRetry(async () => {
      const tip = create ? undefined : await this.requireTip(id);
      let dirs: Entry[] = [];
      let lastChunks: Entry[] = [];
      let current: SessionSummary | undefined;
      if (tip) {
        const root = await this.objects.readTree((await this.objects.readCommit(tip)).tree);
        current = await this.summaryFromRoot(root);
        const ev = root.find((x) => x.path === 'events');
        dirs = ev ? await this.objects.readTree(ev.oid) : [];
        lastChunks = dirs.length ? await this.objects.readTree(dirs[dirs.length - 1].oid) : [];
      }
      const last = lastChunks[lastChunks.length - 1];
      const first = last ? chunkNumber(last.path) + 1 : 0;
      const summary = update(current);
      const tree = await this.assemble(summary, dirs, lastChunks, chunks.map((oid, i) => ({ n: first + i, oid })));
      const commit = await this.objects.writeCommit({ tree, parent: tip ? [tip] : [], message: `session ${id}: import\n`, author: ident });
      const ok = await transact(this.cwd, [{ ref: metaRef(id), new: commit, old: tip ?? ZERO }]);
      if (!ok && create) throw new GsError('contention', `session id ${id} already exists`);
      return ok ? summary : undefined;
    }, `importing into session ${id}`);
  }
}

/** Packs event lines into sealed chunk blobs as they arrive (bounded memory). */
export class ChunkWriter {
  private readonly done: string[] = [];
  private pending: string[] = [];
  private bytes = 0;
  constructor(private readonly objects: ObjectStore) {}

  /** Adds one JSON line, sealing the current chunk first when it is full. */
  async add(line: string): Promise<void> {
    if (this.pending.length && chunkFull(this.pending.length, this.bytes)) await this.flush();
    this.pending.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
  }

  /** Seals the last chunk and returns every chunk blob id in order. */
  async finish(): Promise<string[]> {
    if (this.pending.length) await this.flush();
    return this.done;
  }

  private async flush(): Promise<void> {
    this.done.push(await this.objects.writeText(this.pending.join('\n') + '\n'));
    this.pending = [];
    this.bytes = 0;
  }
}
