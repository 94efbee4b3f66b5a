import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { GsError } from '../../core/errors.js';
import type { TranscriptFormat } from '../../core/transcript/index.js';
import type { OnProgress } from '../../core/progress.js';
import type { SessionEvent } from '../../core/types.js';
import { checkFsPath } from '../../core/validate.js';
import type { Repo } from '../repo.js';
import { resolveTarget } from '../target.js';
import { readTranscript, type TranscriptItem } from './transcript-file.js';

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
  const existing = o.session ? await repo.resolveSession(o.session) : undefined;
  const target = existing ? undefined : await resolveTarget(repo, o.onto);
  const id = existing ?? repo.newId();
  const batch = repo.store.batch();
  const author = await repo.author();
  const toEvent = (it: TranscriptItem): SessionEvent => repo.event(it.body, { ts: isoOf(it.ts), redacted: it.redacted });

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
    if (it.body.kind === 'prompt' && firstPrompt === undefined) firstPrompt = it.body.text;
    if (it.body.kind === 'message' && it.body.model && !model) model = it.body.model;
    if (held) {
      held.push(it);
      if ((firstPrompt !== undefined && model) || held.length >= HOLD_BACK) await releaseHeld(format);
      return;
    }
    await batch.add(toEvent(it));
  });
  model ??= res.meta.model;
  await releaseHeld(res.format);
  await batch.add(repo.event({ kind: 'import', source: basename(o.file), format: res.format, count: res.items }));
  const ident = await repo.ident();
  const summary = existing ? await repo.store.appendBatch(id, ident, batch) : await repo.store.create(id, ident, batch);
  if (!existing) await repo.setCurrent(id);
  return {
    session: id,
    created: !existing,
    format: res.format,
    model: model ?? null,
    events: summary.events,
    redactedItems: res.redactedItems,
    redactedKinds: res.redactedKinds,
    skipped: res.meta.skipped,
  };
}
