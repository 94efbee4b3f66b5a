import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { GsError } from '../core/errors.js';
import { summaryFromStart } from '../core/fold.js';
import { detectFormat, type TranscriptFormat } from '../core/transcript/index.js';
import type { EventKind, SessionEvent, SessionSummary } from '../core/types.js';
import { checkFsPath, checkRefName } from '../core/validate.js';
import { ChunkWriter } from '../git/session-store.js';
import type { Repo } from '../repo/repo.js';
import { currentBranch } from '../repo/sessions.js';
import { readTranscript, type TranscriptItem } from './transcript-file.js';
import type { OnProgress } from '../core/progress.js';

/** Options of `import --transcript`. */
export interface TranscriptImportOptions {
  file: string;
  format: TranscriptFormat | 'auto';
  /** Attach to this existing session (any unique prefix); else a new session is made. */
  session?: string;
  goal?: string;
  onto?: string;
  /** Told the number of events written so far (the file is streamed: no total). */
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

/** The format of a transcript from its first lines (a small read, before streaming). */
function sniffFormat(file: string): TranscriptFormat {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const len = readSync(fd, buf, 0, buf.length, 0);
    const lines = buf.toString('utf8', 0, len).split('\n');
    if (len === buf.length) lines.pop(); // the last line may be cut
    return detectFormat(lines.filter((l) => l.trim()).slice(0, 50));
  } finally {
    closeSync(fd);
  }
}

/** Items held back until the new session's goal and model are known (bounded). */
const HOLD_BACK = 200;

/**
 * Streams an agent transcript into a session: each item (already redacted) becomes an
 * event stamped with its own time, packed into chunk blobs as it arrives (bounded
 * memory for any file size), and the session ref moves once at the end. A malformed
 * line stops the import with its line number and no ref moved: nothing is visible.
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
  let target: string | undefined;
  let base: string | undefined;
  if (!existing) {
    target = o.onto !== undefined ? checkRefName(o.onto) : currentBranch(repo);
    if (!target) throw new GsError('detached-head', 'HEAD is detached: say which branch the session targets with --onto <branch>');
    base = await repo.store.objects.resolve(`refs/heads/${target}`);
    if (!base) throw new GsError('unknown-ref', `no branch '${target}' with commits to start from`);
  }
  const id = existing ?? repo.newId();
  const writer = new ChunkWriter(repo.store.objects);
  const counts: Partial<Record<EventKind, number>> = {};
  let n = 0;
  let maxTs = '';
  let held: TranscriptItem[] | undefined = existing ? undefined : [];
  let firstPrompt: string | undefined;
  const detected: TranscriptFormat = o.format === 'auto' ? sniffFormat(o.file) : o.format;
  let model: string | undefined;
  let startEvent: SessionEvent | undefined;

  const write = async (ev: SessionEvent) => {
    await writer.add(JSON.stringify(ev));
    if (ev.kind !== 'start') {
      counts[ev.kind] = (counts[ev.kind] ?? 0) + 1;
      n++;
      o.onProgress?.({ stage: 'importing transcript events', done: n });
    }
    if (ev.ts > maxTs) maxTs = ev.ts;
  };
  const toEvent = (it: TranscriptItem): SessionEvent => {
    const ts = it.ts && !Number.isNaN(Date.parse(it.ts)) ? new Date(it.ts).toISOString() : new Date(repo.clock()).toISOString();
    return { id: repo.newId(Date.parse(ts)), ts, ...it.body, ...(it.redacted?.length ? { redacted: it.redacted } : {}) } as SessionEvent;
  };
  const author = await repo.author();
  const releaseHeld = async () => {
    if (!held) return;
    const items = held;
    held = undefined;
    const goal = (o.goal?.trim() || firstPrompt?.split('\n')[0].trim().slice(0, 120) || `Imported ${detected} transcript`).replace(/[\x00-\x1f\x7f]/g, ' ');
    const firstTs = items.find((i) => i.ts)?.ts;
    const startTs = firstTs && !Number.isNaN(Date.parse(firstTs)) ? new Date(firstTs).toISOString() : new Date(repo.clock()).toISOString();
    startEvent = repo.event({ kind: 'start', goal, target: target!, base: base!, author, agent: { name: detected, ...(model ? { model } : {}) } }, { ts: startTs });
    await write(startEvent);
    for (const it of items) await write(toEvent(it));
  };

  const res = await readTranscript(o.file, detected, async (it) => {
    if (it.body.kind === 'prompt' && firstPrompt === undefined) firstPrompt = it.body.text;
    if (it.body.kind === 'message' && it.body.model && !model) model = it.body.model;
    if (held) {
      held.push(it);
      if ((firstPrompt !== undefined && model) || held.length >= HOLD_BACK) await releaseHeld();
      return;
    }
    await write(toEvent(it));
  });
  model ??= res.meta.model;
  await releaseHeld();
  const importEv = repo.event({ kind: 'import', source: basename(o.file), format: res.format, count: res.items });
  await write(importEv);
  const chunks = await writer.finish();
  const ident = await repo.ident();
  const bump = (s: SessionSummary): SessionSummary => {
    const merged = { ...s.counts };
    for (const [k, v] of Object.entries(counts)) merged[k as EventKind] = (merged[k as EventKind] ?? 0) + (v ?? 0);
    return { ...s, counts: merged, events: s.events + n, updatedAt: maxTs > s.updatedAt ? maxTs : s.updatedAt };
  };
  const summary = await repo.store.appendChunks(
    id,
    ident,
    chunks,
    (cur) => {
      if (cur) return bump(cur);
      return bump({ ...summaryFromStart(startEvent!), id });
    },
    !existing,
  );
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
