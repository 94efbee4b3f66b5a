// The operation log of a session, derived from its events (events are never edited, so
// the log is too): every command that moved the session's refs or changed its state is
// one operation, with the session as it was before and after. `undo` reverts the last
// operation not yet undone by appending an `undo` event; undoing again goes further back.
import { applyEvent, faultOf, summaryFromStart } from './fold.js';
import type { Restored, SessionEvent, SessionSummary, StoredEvent } from './types.js';

/** One operation: the events one command appended, and the session around them. */
export interface Op {
  /** Id of the operation's first event (what an `undo` names). */
  id: string;
  /** Kind of that event: snapshot, sync, conflict (a sync that left the session conflicted), resolution, land, abandon, undo. */
  kind: string;
  ts: string;
  events: string[];
  before: SessionSummary;
  after: SessionSummary;
  /** The work tip before the operation (null: none). */
  workBefore: string | null;
  /** The id of the `undo` event that reverted it. */
  undoneBy?: string;
}

/** Whether an event is (the start of) an operation: it moved refs or changed the state. */
function isOp(ev: SessionEvent): boolean {
  switch (ev.kind) {
    case 'snapshot':
    case 'sync':
    case 'resolution':
    case 'land':
    case 'abandon':
    case 'undo':
      return true;
    case 'conflict':
      return Boolean(ev.work);
    default:
      return false;
  }
}

/** The work tip an operation started from: recorded on newer events, inferred on older ones. */
function workBefore(ev: SessionEvent, before: SessionSummary): string | null {
  if ((ev.kind === 'snapshot' || ev.kind === 'sync' || ev.kind === 'conflict') && ev.prevWork !== undefined) return ev.prevWork;
  if (ev.kind === 'snapshot' && !ev.base) return ev.parent === before.base ? null : ev.parent;
  return before.work ?? null;
}

/**
 * Every operation of a session in order (events in stored order, `start` first; events
 * kept as data are not operations: those faultOf finds, and `notObeyed`, the ids the
 * summary flagged when a pull found them not to be obeyed).
 */
export function opLog(id: string, events: StoredEvent[], notObeyed: ReadonlySet<string> = new Set()): Op[] {
  if (!events.length) return [];
  let s: SessionSummary = { ...summaryFromStart(events[0]), id };
  const ops: Op[] = [];
  const byId = new Map<string, Op>();
  for (let i = 1; i < events.length; i++) {
    const ev = events[i];
    const before = s;
    if (ev.kind !== 'foreign' && notObeyed.has(ev.id)) continue;
    s = applyEvent(s, ev);
    if (ev.kind === 'foreign' || faultOf(before, ev)) continue;
    const last = ops[ops.length - 1];
    // A resolution recorded with its snapshot is part of that snapshot's operation.
    if (ev.kind === 'resolution' && ev.snapshot && last?.events.includes(ev.snapshot)) {
      last.events.push(ev.id);
      last.after = s;
      continue;
    }
    if (!isOp(ev)) continue;
    const op: Op = { id: ev.id, kind: ev.kind, ts: ev.ts, events: [ev.id], before, after: s, workBefore: workBefore(ev, before) };
    ops.push(op);
    byId.set(ev.id, op);
    if (ev.kind === 'undo' && byId.has(ev.of)) {
      // Restoring the session to before `of` reverts `of` and everything done since.
      for (let j = ops.indexOf(byId.get(ev.of)!); j < ops.length - 1; j++) {
        if (ops[j].kind !== 'undo' && !ops[j].undoneBy) ops[j].undoneBy = ev.id;
      }
    }
  }
  return ops;
}

/** The operation `undo` reverts next: the last one that is not an undo and not undone. */
export function lastUndoable(ops: Op[]): Op | undefined {
  for (let i = ops.length - 1; i >= 0; i--) {
    if (ops[i].kind !== 'undo' && !ops[i].undoneBy) return ops[i];
  }
  return undefined;
}

/** The operations a `sync --abort` reverts at once: the last sync that left the session conflicted, and everything after it. */
export function sinceConflict(ops: Op[]): Op[] | undefined {
  const live = ops.filter((o) => o.kind !== 'undo' && !o.undoneBy);
  const i = live.map((o) => o.kind).lastIndexOf('conflict');
  return i < 0 ? undefined : live.slice(i);
}

/** The summary fields an undo of `op` puts back. */
export function restoredBy(op: Op): Restored {
  const b = op.before;
  return { state: b.state, base: b.base, work: op.workBefore, files: b.files, ...(b.conflicted?.length ? { conflicted: b.conflicted } : {}) };
}
