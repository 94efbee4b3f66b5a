import { GsError } from './errors.js';
import { type EventKind, FORMAT_VERSION, type SessionEvent, type SessionSummary } from './types.js';

/** Summary after the `start` event: the only event that may open a session. */
export function summaryFromStart(ev: SessionEvent): SessionSummary {
  if (ev.kind !== 'start') throw new GsError('damaged', `session must begin with a start event, got ${ev.kind}`);
  return {
    format: FORMAT_VERSION,
    id: '',
    goal: ev.goal,
    state: 'open',
    target: ev.target,
    base: ev.base,
    startBase: ev.base,
    author: ev.author,
    ...(ev.agent ? { agent: ev.agent } : {}),
    createdAt: ev.ts,
    updatedAt: ev.ts,
    events: 1,
    files: 0,
    counts: { start: 1 },
  };
}

/** Applies one event to a summary (pure; returns a new object). O(1) per event. */
export function applyEvent(s: SessionSummary, ev: SessionEvent): SessionSummary {
  const next: SessionSummary = {
    ...s,
    counts: { ...s.counts, [ev.kind]: (s.counts[ev.kind] ?? 0) + 1 },
    events: s.events + 1,
    updatedAt: ev.ts > s.updatedAt ? ev.ts : s.updatedAt,
  };
  switch (ev.kind) {
    case 'snapshot':
      next.work = ev.commit;
      next.files = ev.files.length;
      break;
    case 'land':
      next.state = 'landed';
      next.landed = { commit: ev.commit, at: ev.ts, strategy: ev.strategy };
      break;
    case 'abandon':
      if (next.state === 'open') next.state = 'abandoned';
      break;
    case 'import':
      if (ev.key) next.imports = { ...s.imports, [ev.key]: { ...(ev.lines !== undefined ? { lines: ev.lines } : {}), ...(ev.digest ? { digest: ev.digest } : {}) } };
      break;
    case 'private':
      if (ev.private) next.private = true;
      else delete next.private;
      break;
    case 'sync':
      next.base = ev.to;
      if (ev.work) next.work = ev.work;
      break;
    default:
      break;
  }
  return next;
}

// Kinds whose events change more of the summary than its counts and times (see applyEvent).
const STATEFUL = new Set<EventKind>(['snapshot', 'land', 'abandon', 'sync', 'private', 'import']);

/**
 * The effect of a run of events on a summary, gathered while they stream past (an import
 * of any size): counts, number and latest time add up in any order, so only the rare
 * events that change state are kept whole and applied in order. `applyTo` equals
 * folding the same events one by one with `applyEvent`.
 */
export class FoldDelta {
  private readonly counts: Partial<Record<EventKind, number>> = {};
  private n = 0;
  private latest = '';
  private readonly stateful: SessionEvent[] = [];

  /** Takes the next event into account. */
  add(ev: SessionEvent): void {
    if (STATEFUL.has(ev.kind)) {
      this.stateful.push(ev);
      return;
    }
    this.counts[ev.kind] = (this.counts[ev.kind] ?? 0) + 1;
    this.n++;
    if (ev.ts > this.latest) this.latest = ev.ts;
  }

  /** The summary `s` after every event added. */
  applyTo(s: SessionSummary): SessionSummary {
    const counts = { ...s.counts };
    for (const [k, v] of Object.entries(this.counts)) counts[k as EventKind] = (counts[k as EventKind] ?? 0) + (v ?? 0);
    let out: SessionSummary = { ...s, counts, events: s.events + this.n, updatedAt: this.latest > s.updatedAt ? this.latest : s.updatedAt };
    for (const ev of this.stateful) out = applyEvent(out, ev);
    return out;
  }
}

/** Folds a whole event list (first must be `start`) into the summary for session `id`. */
export function foldEvents(id: string, events: SessionEvent[]): SessionSummary {
  if (events.length === 0) throw new GsError('damaged', `session ${id} has no events`);
  let s = { ...summaryFromStart(events[0]), id };
  for (let i = 1; i < events.length; i++) s = applyEvent(s, events[i]);
  return s;
}

/** Stable total order for events: timestamp, then id (ids are unique). */
export function compareEvents(a: SessionEvent, b: SessionEvent): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Union of two event lists that diverged from a common prefix, deduplicated by id, in
 * the stable order; the `start` event stays first so the fold stays well-defined.
 */
export function unionEvents(a: SessionEvent[], b: SessionEvent[]): SessionEvent[] {
  const byId = new Map<string, SessionEvent>();
  for (const e of a) byId.set(e.id, e);
  for (const e of b) if (!byId.has(e.id)) byId.set(e.id, e);
  const all = [...byId.values()];
  const start = all.filter((e) => e.kind === 'start').sort(compareEvents);
  const rest = all.filter((e) => e.kind !== 'start').sort(compareEvents);
  return [...start.slice(0, 1), ...start.slice(1), ...rest];
}
