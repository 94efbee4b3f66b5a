// The event half of a session's tree (see core/layout.ts): events as JSON Lines in sealed
// chunk blobs under events/<dir>/<chunk>.jsonl, and the root tree beside session.json.
// SessionStore is the only user; imports stream into an EventBatch it hands out.
import { GsError } from '../core/errors.js';
import { applyEvent, FoldDelta, summaryFromStart } from '../core/fold.js';
import { largeCount, largeRefs, splitLarge } from '../core/large.js';
import { ATTACHMENTS_DIR, type Attachment, chunkDir, chunkFile, chunkFull, LARGE_DIR, largeChunkDir } from '../core/layout.js';
import { parseEvent } from '../core/schema.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
import type { Entry, ObjectStore } from './objects.js';

/** A sealed chunk: its blob, and the blobs of the strings its events store apart (core/large.ts). */
export interface SealedChunk {
  oid: string;
  large: string[];
}

/**
 * Packs event lines into sealed chunk blobs as they arrive (bounded memory). A chunk is
 * sealed before a line would take it past CHUNK_BYTES (or CHUNK_EVENTS lines, or
 * LARGE_PER_CHUNK stored-apart strings); a line longer than LARGE_LINE has its long strings
 * stored as blobs first, so no chunk grows past its limit whatever one event weighs.
 */
class ChunkWriter {
  private readonly done: SealedChunk[] = [];
  private pending: string[] = [];
  private bytes = 0;
  private large: string[] = [];
  constructor(private readonly objects: ObjectStore) {}

  /** Adds one JSON line, sealing the current chunk first when the line would not fit. */
  async add(line: string): Promise<void> {
    const split = splitLarge(line, (t) => this.objects.blobId(t));
    for (const p of split.parts) await this.objects.writeText(p.text);
    const size = Buffer.byteLength(split.line) + 1;
    const blobs = split.parts.length ? split.parts.map((p) => p.oid) : largeBlobs(split.line);
    if (this.pending.length && chunkFull(this.pending.length, this.bytes, size, this.large.length + blobs.length)) await this.flush();
    this.pending.push(split.line);
    this.bytes += size;
    this.large.push(...blobs);
  }

  /** Seals the last chunk and returns every chunk in order. */
  async finish(): Promise<SealedChunk[]> {
    if (this.pending.length) await this.flush();
    return this.done;
  }

  private async flush(): Promise<void> {
    this.done.push({ oid: await this.objects.writeText(this.pending.join('\n') + '\n'), large: this.large });
    this.pending = [];
    this.bytes = 0;
    this.large = [];
  }
}

/** The blob ids a stored line's `large` list names (cheap: parsed only when it has one). */
function largeBlobs(line: string): string[] {
  if (!largeCount(line)) return [];
  try {
    return largeRefs(JSON.parse(line)).map((r) => r.blob);
  } catch {
    return [];
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

  /** Seals the last chunk; the chunks in order. */
  chunks(): Promise<SealedChunk[]> {
    return this.writer.finish();
  }
}

/** A chunk blob and the number it takes in the session's event sequence (with its stored-apart strings). */
export interface PlacedChunk {
  n: number;
  oid: string;
  large?: string[];
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
  return (await w.finish()).map((c, i) => ({ n: n + i, oid: c.oid, large: c.large }));
}

/** Root entries other than events/ and session.json (attestations, large/, whatever a newer writer added): carried as they are. */
export function otherEntries(root: Entry[]): Entry[] {
  return root.filter((e) => e.path !== 'events' && e.path !== 'session.json');
}

/**
 * The union of several roots' other entries (see otherEntries): trees of the same name
 * merged by name all the way down, the first root winning where two differ on a blob.
 */
export async function unionEntries(objects: ObjectStore, roots: Entry[][]): Promise<Entry[]> {
  const byName = new Map<string, Entry[]>();
  for (const root of roots) for (const e of root) byName.set(e.path, [...(byName.get(e.path) ?? []), e]);
  const out: Entry[] = [];
  for (const [name, list] of byName) {
    const trees = list.filter((e) => e.type === 'tree');
    if (trees.length < 2 || list[0].type !== 'tree' || new Set(trees.map((t) => t.oid)).size === 1) {
      out.push(list[0]);
      continue;
    }
    const merged = await unionEntries(objects, await Promise.all(trees.map((t) => objects.readTree(t.oid))));
    out.push({ mode: '040000', path: name, oid: await objects.writeTree(merged), type: 'tree' });
  }
  return out;
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

/** `others` (see otherEntries) with `attachments` in place of the attachments entry they had. */
export function withEntry(others: Entry[], entry: Entry | undefined, name = ATTACHMENTS_DIR): Entry[] {
  return [...others.filter((e) => e.path !== name), ...(entry ? [entry] : [])];
}

/**
 * Builds the root tree from the existing event dirs (the last one's entries given),
 * chunk blobs placed at their numbers (replacing a same-numbered tail), the summary, and
 * `others`: every other root entry, carried as it is (a writer that dropped one would
 * orphan what it keeps reachable: attestations, whatever a newer writer added), except
 * `large/`, which gets the placed chunks' stored-apart strings. Only the last old dir and
 * new ones are rewritten; the rest are reused as they are.
 */
export async function assembleRoot(objects: ObjectStore, summary: SessionSummary, { dirs, lastDirChunks }: EventDirs, placed: PlacedChunk[], others: Entry[] = []): Promise<string> {
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
  const rest = others.filter((e) => e.path !== 'events' && e.path !== 'session.json' && e.path !== LARGE_DIR);
  const large = await placeLarge(objects, others.find((e) => e.path === LARGE_DIR && e.type === 'tree'), placed);
  return objects.writeTree([
    { mode: '040000', path: 'events', oid: await objects.writeTree(evTree), type: 'tree' },
    { mode: '100644', path: 'session.json', oid: summaryOid, type: 'blob' },
    ...rest,
    ...(large ? [large] : []),
  ]);
}

/**
 * The `large/` entry after adding each placed chunk's stored-apart strings under
 * `large/<dir>/<chunk>/<blob id>`: only the trees on those paths are rewritten.
 */
async function placeLarge(objects: ObjectStore, base: Entry | undefined, placed: PlacedChunk[]): Promise<Entry | undefined> {
  const wanted = placed.filter((p) => p.large?.length);
  if (!wanted.length) return base;
  const top = new Map((base ? await objects.readTree(base.oid) : []).map((e) => [e.path, e]));
  const byDir = new Map<string, PlacedChunk[]>();
  for (const p of wanted) byDir.set(chunkDir(p.n), [...(byDir.get(chunkDir(p.n)) ?? []), p]);
  for (const [dn, list] of byDir) {
    const dirEntry = top.get(dn);
    const dir = new Map((dirEntry?.type === 'tree' ? await objects.readTree(dirEntry.oid) : []).map((e) => [e.path, e]));
    for (const p of list) {
      const name = largeChunkDir(p.n);
      const old = dir.get(name);
      const blobs = new Map((old?.type === 'tree' ? await objects.readTree(old.oid) : []).map((e) => [e.path, e]));
      for (const oid of p.large!) blobs.set(oid, { mode: '100644', path: oid, oid, type: 'blob' });
      dir.set(name, { mode: '040000', path: name, oid: await objects.writeTree([...blobs.values()]), type: 'tree' });
    }
    top.set(dn, { mode: '040000', path: dn, oid: await objects.writeTree([...dir.values()]), type: 'tree' });
  }
  return { mode: '040000', path: LARGE_DIR, oid: await objects.writeTree([...top.values()]), type: 'tree' };
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
