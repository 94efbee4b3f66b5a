import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { GsError } from '../../core/errors.js';
import type { TranscriptFormat } from '../../core/transcript/index.js';
import type { OnProgress } from '../../core/progress.js';
import type { SessionEvent } from '../../core/types.js';
import { checkFsPath } from '../../core/validate.js';
import type { Repo } from '../repo.js';
import { resolveTarget } from '../target.js';
import { MAX_LINE_BYTES, readLines, readTranscript, ResumeMismatch, type ResumePoint, type TranscriptItem } from './transcript-file.js';
import { listSessions } from '../sessions.js';

/** Options of `import --transcript`. */
export interface TranscriptImportOptions {
  file: string;
  format: TranscriptFormat | 'auto';
  /** Attach to this existing session (any unique prefix); else a new session is made. */
  session?: string;
  goal?: string;
  onto?: string;
  /** Told how many transcript items were read so far (the file is streamed: no total). */
  onProgress?: OnProgress;
}

/** What an import did. */
export interface TranscriptImportResult {
  session: string;
  created: boolean;
  /** Everything in the file was already in the session: nothing was written. */
  unchanged: boolean;
  /** Items added by this run (a re-import adds only what is new). */
  added: number;
  format: TranscriptFormat;
  model: string | null;
  events: number;
  redactedItems: number;
  redactedKinds: Record<string, number>;
  skipped: number;
}

/** Items held back until the new session's goal and model are known (bounded). */
const HOLD_BACK = 200;

/** The item's own time as ISO 8601, when it has a readable one. */
function isoOf(ts: string | undefined): string | undefined {
  return ts && !Number.isNaN(Date.parse(ts)) ? new Date(ts).toISOString() : undefined;
}

/**
 * Streams an agent transcript into a session in one pass over the file (its format is
 * detected while reading): each item (already redacted) becomes an event stamped with
 * its own time, written ahead into chunk blobs as it arrives (bounded memory for any file
 * size), and the session ref moves once at the end. A malformed line stops the import
 * with its line number and no ref moved: nothing is visible.
 */
export async function importTranscript(repo: Repo, o: TranscriptImportOptions): Promise<TranscriptImportResult> {
  checkFsPath(o.file, 'transcript file');
  let st;
  try {
    st = statSync(o.file);
  } catch {
    throw new GsError('bad-input', `cannot read transcript ${o.file}: no such file`);
  }
  if (!st.isFile()) throw new GsError('bad-input', `transcript ${o.file} is not a file`);
  const key = await transcriptKey(o.file);
  // Without --session, a transcript imported before goes on in the session that holds it.
  const existing = o.session ? await repo.resolveSession(o.session) : await sessionHolding(repo, key);
  const prev = existing ? (await repo.store.readSummary(existing)).imports?.[key] : undefined;
  const resume = prev?.lines && prev.digest ? { lines: prev.lines, digest: prev.digest } : undefined;
  try {
    return await importOnce(repo, o, key, existing, resume);
  } catch (e) {
    if (!(e instanceof ResumeMismatch)) throw e;
    // Rewritten, not appended: read it whole, skipping the items the session already holds.
    return importOnce(repo, o, key, existing, undefined);
  }
}

async function importOnce(repo: Repo, o: TranscriptImportOptions, key: string, existing: string | undefined, resume: ResumePoint | undefined): Promise<TranscriptImportResult> {
  const target = existing ? undefined : await resolveTarget(repo, o.onto);
  const id = existing ?? repo.newId();
  // Items this session already holds (only when it holds this transcript and no resume point spares reading it).
  const held0 = existing && !resume ? await heldSources(repo, existing) : new Set<string>();
  const batch = repo.store.batch();
  const author = await repo.author();
  const toEvent = (it: TranscriptItem): SessionEvent => repo.event(it.body, { ts: isoOf(it.ts), redacted: it.redacted, src: it.src });
  let added = 0;

  // A new session starts with its `start` event, whose goal (the first prompt) and agent
  // model are only known some items in: hold those items back until then.
  let held: TranscriptItem[] | undefined = existing ? undefined : [];
  let firstPrompt: string | undefined;
  let model: string | undefined;
  const releaseHeld = async (format: TranscriptFormat) => {
    if (!held) return;
    const items = held;
    held = undefined;
    // eslint-disable-next-line no-control-regex
    const goal = (o.goal?.trim() || firstPrompt?.split('\n')[0].trim().slice(0, 120) || `Imported ${format} transcript`).replace(/[\x00-\x1f\x7f]/g, ' ');
    const startTs = isoOf(items.find((i) => i.ts)?.ts);
    const agent = { name: format, ...(model ? { model } : {}) };
    await batch.add(repo.event({ kind: 'start', goal, target: target!.target, base: target!.tip, author, agent }, { ts: startTs }));
    for (const it of items) await batch.add(toEvent(it));
  };

  let read = 0;
  const res = await readTranscript(o.file, o.format, async (it, format) => {
    o.onProgress?.({ stage: 'importing transcript items', done: ++read });
    if (held0.has(it.src)) return;
    added++;
    if (it.body.kind === 'prompt' && firstPrompt === undefined) firstPrompt = it.body.text;
    if (it.body.kind === 'message' && it.body.model && !model) model = it.body.model;
    if (held) {
      held.push(it);
      if ((firstPrompt !== undefined && model) || held.length >= HOLD_BACK) await releaseHeld(format);
      return;
    }
    await batch.add(toEvent(it));
  }, { resume });
  const base = { session: id, format: res.format, redactedItems: res.redactedItems, redactedKinds: res.redactedKinds, skipped: res.meta.skipped };
  if (existing && added === 0) {
    const summary = await repo.store.readSummary(id);
    return { ...base, created: false, unchanged: true, added: 0, model: summary.agent?.model ?? null, events: summary.events };
  }
  model ??= res.meta.model;
  await releaseHeld(res.format);
  await batch.add(repo.event({ kind: 'import', source: basename(o.file), format: res.format, count: added, key, lines: res.end.lines, digest: res.end.digest }));
  const ident = await repo.ident();
  const summary = existing ? await repo.store.appendBatch(id, ident, batch) : await repo.store.create(id, ident, batch);
  if (!existing) await repo.setCurrent(id);
  return { ...base, created: !existing, unchanged: false, added, model: model ?? null, events: summary.events };
}

/**
 * What identifies a transcript across imports, from its first non-blank line: the agent's
 * own session id when the line names one (Claude Code's `sessionId`, Codex's session
 * meta `id`), else a hash of the line. A transcript only grows at its end, so this stays.
 */
async function transcriptKey(file: string): Promise<string> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const raw of readLines(stream, MAX_LINE_BYTES)) {
      const line = raw.toString('utf8').replace(/^\uFEFF/, '').trim();
      if (!line) continue;
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        const payload = o.payload as Record<string, unknown> | undefined;
        const sid = typeof o.sessionId === 'string' ? o.sessionId : o.type === 'session_meta' && typeof payload?.id === 'string' ? payload.id : undefined;
        if (sid && /^[\w.:-]{1,100}$/.test(sid)) return `transcript:${sid}`;
      } catch {
        /* not JSON: the hash below; the import itself reports the line */
      }
      return `transcript:sha1-${createHash('sha1').update(raw).digest('hex')}`;
    }
    return 'transcript:empty';
  } finally {
    stream.destroy();
  }
}

/** The session that imported the transcript `key` before, if any (from the local catalog: no event is read). */
async function sessionHolding(repo: Repo, key: string): Promise<string | undefined> {
  return (await listSessions(repo)).find((s) => s.imports?.[key])?.id;
}

/** Source ids of a session's imported items (read once, only when a resume point cannot be used). */
async function heldSources(repo: Repo, id: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of await repo.store.readEvents(id)) if (e.kind !== 'foreign' && e.src) out.add(e.src);
  return out;
}
