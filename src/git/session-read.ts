// Reading sessions in bulk through git's own readers (SessionStore's read half): one
// session whole through one pipelined `git cat-file --batch` (issue 11: a session of
// 5,000 chunks is one spawn, not 5,000 tree walks), many sessions' events by chunk number,
// the creating starts of new copies, full-text search, and putting stored-apart strings
// back. Every result follows the reading contract of session-store.ts.
import { GsError } from '../core/errors.js';
import { inflateLarge, largeRefs } from '../core/large.js';
import { chunkDir, chunkFile } from '../core/layout.js';
import { parseEvent, readSummaryText, type SummaryCheck } from '../core/schema.js';
import type { StoredEvent } from '../core/types.js';
import { catBatch } from './batch.js';
import { withCatFile } from './catfile.js';
import { runGit } from './exec.js';
import { decodeCommit, decodeTree } from './loose.js';
import { parseChunk } from './session-chunks.js';

/** Why a session's events cannot be read as a session: its first event must be a valid `start`. */
export function startFault(events: StoredEvent[]): string | undefined {
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
 * The summary check and every event of the session stored at meta commit `meta`, through
 * one `git cat-file --batch`: commit, root, event dirs, then every chunk, requests
 * pipelined. Throws `damaged` for a chunk line that is not JSON or a missing start.
 */
export async function readWhole(cwd: string, id: string, meta: string): Promise<{ summary: SummaryCheck; events: StoredEvent[] }> {
  return withCatFile(cwd, async (cf) => {
    const commit = await cf.read(meta);
    if (commit?.type !== 'commit') throw damaged(id, `its meta commit ${meta} is missing`);
    const rootObj = await cf.read(decodeCommit(commit.body).tree);
    if (rootObj?.type !== 'tree') throw damaged(id, 'its meta tree is missing');
    const root = decodeTree(rootObj.body);
    const sj = root.find((e) => e.path === 'session.json');
    const summaryP = sj ? cf.text(sj.oid) : Promise.resolve(undefined);
    const evEntry = root.find((e) => e.path === 'events' && e.type === 'tree');
    const dirsObj = evEntry ? await cf.read(evEntry.oid) : undefined;
    const dirs = dirsObj?.type === 'tree' ? decodeTree(dirsObj.body) : [];
    const dirTrees = await Promise.all(dirs.map((d) => cf.read(d.oid)));
    const chunks = dirs.flatMap((d, i) => (dirTrees[i]?.type === 'tree' ? decodeTree(dirTrees[i]!.body) : []).map((c) => ({ where: `events/${d.path}/${c.path}`, oid: c.oid })));
    const texts = chunks.map((c) => cf.read(c.oid));
    const events: StoredEvent[] = [];
    try {
      for (let i = 0; i < chunks.length; i++) {
        const o = await texts[i];
        if (o?.type !== 'blob') throw new GsError('damaged', `${chunks[i].where} is missing`);
        parseChunk(o.body.toString('utf8'), chunks[i].where, events);
      }
    } catch (e) {
      await Promise.allSettled(texts);
      throw e instanceof GsError && e.code === 'damaged' ? damaged(id, e.message) : e;
    }
    const text = await summaryP;
    const summary: SummaryCheck = text === undefined ? { ok: false, reason: 'no session.json' } : readSummaryText(text, id);
    const why = startFault(events);
    if (why) throw damaged(id, why);
    return { summary, events };
  });
}

/**
 * Events of many sessions (given their meta commits) with one `git cat-file --batch`
 * per chunk number (chunk 0 of every session, then chunk 1 of those that had one, ...):
 * a handful of spawns for a thousand sessions instead of a thousand tree walks.
 */
export async function readEventsMany(cwd: string, metas: { id: string; meta: string }[], damagedOut?: Map<string, string>): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>(metas.map((m) => [m.id, []]));
  const bad = (id: string, why: string) => {
    out.delete(id);
    damagedOut?.set(id, why);
  };
  let pending = metas;
  for (let n = 0; pending.length; n++) {
    const texts = await catBatch(cwd, pending.map((m) => `${m.meta}:events/${chunkDir(n)}/${chunkFile(n)}`));
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
export async function creatingStarts(cwd: string, metas: string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  if (!metas.length) return out;
  const walk = await runGit(['rev-list', '--first-parent', '--parents', '--stdin'], { cwd, input: metas.join('\n') + '\n', allowFail: true });
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
  const texts = await catBatch(cwd, roots.map((r) => (r ? `${r}:events/${chunkDir(0)}/${chunkFile(0)}` : 'missing-root')));
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

// Revisions handed to one `git grep` (bounded command line).
const GREP_BATCH = 500;

/**
 * Which sessions (given a revision naming each one's meta commit) hold `text`
 * (case-insensitive, literal) in any event, through `git grep` over their chunks: no
 * event is loaded into this process.
 */
export async function grepSessions(cwd: string, revs: { id: string; rev: string }[], text: string): Promise<Set<string>> {
  const hits = new Set<string>();
  for (let i = 0; i < revs.length; i += GREP_BATCH) {
    const part = revs.slice(i, i + GREP_BATCH);
    const byRev = new Map(part.map((r) => [r.rev, r.id]));
    const r = await runGit(['grep', '-l', '-i', '-F', '-e', text, ...part.map((p) => p.rev), '--', 'events/'], { cwd, allowFail: true });
    for (const line of r.stdout.split('\n')) {
      const at = line.indexOf(':events/');
      const id = at > 0 ? byRev.get(line.slice(0, at)) : undefined;
      if (id) hits.add(id);
    }
  }
  return hits;
}

/** `events` with every stored-apart string put back (one batch read of the blobs they name). */
export async function inflateEvents(cwd: string, events: StoredEvent[]): Promise<StoredEvent[]> {
  const blobs = [...new Set(events.flatMap((e) => largeRefs(e.kind === 'foreign' ? undefined : e).map((r) => r.blob)))];
  if (!blobs.length) return events;
  const texts = await catBatch(cwd, blobs);
  const byOid = new Map<string, string>();
  blobs.forEach((b, i) => texts[i] !== undefined && byOid.set(b, texts[i]!));
  return events.map((e) => (e.kind === 'foreign' ? e : inflateLarge(e, byOid)));
}
