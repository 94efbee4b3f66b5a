// The event half of a session's tree (see core/layout.ts): events as JSON Lines in sealed
// chunk blobs under events/<dir>/<chunk>.jsonl, and the root tree beside session.json.
// SessionStore is the only user; imports stream into an EventBatch it hands out.
import { GsError } from '../core/errors.js';
import { applyEvent, FoldDelta, summaryFromStart } from '../core/fold.js';
import { ATTACHMENTS_DIR, type Attachment, chunkDir, chunkFile, chunkFull } from '../core/layout.js';
import { parseEvent } from '../core/schema.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
import type { Entry, ObjectStore } from './objects.js';

/** Packs event lines into sealed chunk blobs as they arrive (bounded memory). */
class ChunkWriter {
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

/**
 * Events written ahead as chunk blobs while they stream in (an import of any size in
 * bounded memory), with their effect on the summary; nothing is visible until
 * SessionStore.create or appendBatch publishes them with one ref update.
 */
export class EventBatch {
  private readonly writer: ChunkWriter;
  private first?: SessionEvent;
  private readonly rest = new FoldDelta();
  constructor(objects: ObjectStore) {
    this.writer = new ChunkWriter(objects);
  }

  /** Adds the next event (a new session's first one is its `start`). */
  async add(ev: SessionEvent): Promise<void> {
    if (this.first === undefined) this.first = ev;
    else this.rest.add(ev);
    await this.writer.add(JSON.stringify(ev));
  }

  /** The summary after these events: on top of `current`, or of a new session `id`. */
  summary(id: string, current?: SessionSummary): SessionSummary {
    if (!this.first) {
      if (current) return current;
      throw new GsError('damaged', `session ${id} has no events`);
    }
    return this.rest.applyTo(current ? applyEvent(current, this.first) : { ...summaryFromStart(this.first), id });
  }

  /** Seals the last chunk; the chunk blob ids in order. */
  chunks(): Promise<string[]> {
    return this.writer.finish();
  }
}

/** A chunk blob and the number it takes in the session's event sequence. */
export interface PlacedChunk {
  n: number;
  oid: string;
}

/** The events/ part of a root tree: its dirs, and the entries of the last one (where appends go). */
export interface EventDirs {
  dirs: Entry[];
  lastDirChunks: Entry[];
}

/** Reads the event dirs of a root tree. */
export async function readEventDirs(objects: ObjectStore, root: Entry[]): Promise<EventDirs> {
  const ev = root.find((x) => x.path === 'events');
  const dirs = ev ? await objects.readTree(ev.oid) : [];
  const lastDirChunks = dirs.length ? await objects.readTree(dirs[dirs.length - 1].oid) : [];
  return { dirs, lastDirChunks };
}

/** Writes `lines` as chunks numbered from `n` (the first replacing a same-numbered tail). */
export async function writeChunks(objects: ObjectStore, n: number, lines: string[]): Promise<PlacedChunk[]> {
  const w = new ChunkWriter(objects);
  for (const line of lines) await w.add(line);
  return (await w.finish()).map((oid, i) => ({ n: n + i, oid }));
}

/** The attachments entry of a root tree (see core/layout.ts ATTACHMENTS_DIR), if any. */
export function attachmentsEntry(root: Entry[]): Entry | undefined {
  return root.find((x) => x.path === ATTACHMENTS_DIR && x.type === 'tree');
}

/**
 * The attachments tree after adding `add` to the one in `base` (entries by name, a later
 * one replacing an earlier of the same name); `base` unchanged when there is nothing to add.
 * Bounded by the session's signed checks, and rewritten only by appends that add one.
 */
export async function withAttachments(objects: ObjectStore, base: Entry | undefined, add: Attachment[]): Promise<Entry | undefined> {
  if (!add.length) return base;
  const entries = new Map<string, Entry>();
  if (base) for (const e of await objects.readTree(base.oid)) entries.set(e.path, e);
  for (const a of add) entries.set(a.name, { mode: a.type === 'tree' ? '040000' : '100644', path: a.name, oid: a.oid, type: a.type });
  return { mode: '040000', path: ATTACHMENTS_DIR, oid: await objects.writeTree([...entries.values()]), type: 'tree' };
}

/**
 * Builds the root tree from the existing event dirs (the last one's entries given),
 * chunk blobs placed at their numbers (replacing a same-numbered tail), the summary, and
 * the attachments entry (every caller passes it on: dropping it would orphan attestations).
 * Only the last old dir and new ones are rewritten; the rest are reused as they are.
 */
export async function assembleRoot(
  objects: ObjectStore,
  summary: SessionSummary,
  { dirs, lastDirChunks }: EventDirs,
  placed: PlacedChunk[],
  attachments: Entry | undefined,
): Promise<string> {
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
    const oid = list.length > 0 ? await objects.writeTree(list) : old!.oid;
    evTree.push({ mode: '040000', path: name, oid, type: 'tree' });
  }
  const summaryOid = await objects.writeText(JSON.stringify(summary, null, 2) + '\n');
  return objects.writeTree([
    { mode: '040000', path: 'events', oid: await objects.writeTree(evTree), type: 'tree' },
    { mode: '100644', path: 'session.json', oid: summaryOid, type: 'blob' },
    ...(attachments ? [attachments] : []),
  ]);
}

/**
 * Parses a chunk's JSON Lines into `out`, each line through the event schema (an event
 * that fails it is kept as a ForeignEvent); a line that is not JSON at all breaks the
 * chunk's framing: damaged storage.
 */
export function parseChunk(text: string, where: string, out: StoredEvent[]): void {
  let n = 0;
  for (const line of text.split('\n')) {
    n++;
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new GsError('damaged', `${where} line ${n} is not valid JSON`);
    }
    out.push(parseEvent(value));
  }
}
