import { GsError } from './errors.js';
import { type EventKind, type EventOf, type FlaggedEvent, FORMAT_VERSION, type SessionSummary, type StoredEvent } from './types.js';

/** At most this many flagged events are listed in a summary (a flood stays bounded). */
export const MAX_FLAGGED = 100;

/** At most this many further landings are listed in a summary (the events keep them all). */
export const MAX_LANDINGS = 100;

/** Summary after the `start` event: the only event that may open a session. */
export function summaryFromStart(ev: StoredEvent): SessionSummary {
  if (ev.kind !== 'start') throw new GsError('damaged', `session must begin with a start event, got ${ev.kind === 'foreign' ? `an unreadable event (${ev.reason})` : ev.kind}`);
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

function flag(s: SessionSummary, f: FlaggedEvent): void {
  const list = s.flagged ?? [];
  if (list.length < MAX_FLAGGED) s.flagged = [...list, f];
}

/**
 * Why `ev` is kept as data and not obeyed, or undefined when it is obeyed: a second
 * `start` (goal and target follow the session's own), an `abandon` after the session
 * landed, an event that fails its schema, an `undo` claiming to restore a landed state,
 * or the caller's `verdict` on a `land`, `landing` or `undo` (a pull: a land whose
 * commit is not on the target, an undo of a land whose commit still is). Events of a
 * kind this version does not know are neither.
 */
export function faultOf(s: SessionSummary, ev: StoredEvent, verdict?: string): string | undefined {
  switch (ev.kind) {
    case 'foreign':
      return ev.invalid ? `invalid ${ev.type || 'event'}: ${ev.reason}` : undefined;
    case 'start':
      return 'a second start: goal and target follow the session’s own start';
    case 'abandon':
      return s.state === 'landed' ? 'abandon after the session landed' : undefined;
    case 'land':
    case 'landing':
      return verdict;
    case 'undo':
      // Only a landing on the target makes a session landed; an undo never does.
      return ev.restore.state === 'landed' ? 'an undo cannot make a session landed' : verdict;
    default:
      return undefined;
  }
}

/** The summary after a `landing`: listed; one replacing (`from`) the landed commit on its branch, or the exported tip on its branch, is followed. */
function applyLanding(next: SessionSummary, ev: EventOf<'landing'>): void {
  const list = next.landings ?? [];
  if (list.length < MAX_LANDINGS && !list.some((l) => l.commit === ev.commit)) {
    next.landings = [...list, { commit: ev.commit, via: ev.via, ...(ev.branch ? { branch: ev.branch } : {}), ...(ev.patchId ? { patchId: ev.patchId } : {}), ...(ev.from ? { from: ev.from } : {}) }];
  }
  if (!ev.from) return;
  const l = next.landed;
  if (next.state === 'landed' && l && ev.from === l.commit && ev.branch === (l.target ?? next.target)) {
    next.landed = { ...l, commit: ev.commit, first: l.first ?? l.commit, ...(ev.patchId ? { patchId: ev.patchId } : {}) };
  }
  if (next.exported && ev.from === next.exported.tip && ev.branch === next.exported.branch) next.exported = { ...next.exported, tip: ev.commit };
}

/**
 * Applies one event to a summary (pure; returns a new object). O(1) per event. A faulty
 * event (see faultOf; `verdict` is the caller's on a `land`, `landing` or `undo`) is
 * counted and flagged but changes nothing else.
 */
export function applyEvent(s: SessionSummary, ev: StoredEvent, verdict?: string): SessionSummary {
  const counts = ev.kind === 'foreign' ? s.counts : { ...s.counts, [ev.kind]: (s.counts[ev.kind] ?? 0) + 1 };
  const fault = faultOf(s, ev, verdict);
  if (fault || ev.kind === 'foreign') {
    // Kept as data: counted, and flagged when faulty; not even its time is taken.
    const kept: SessionSummary = { ...s, counts, events: s.events + 1 };
    if (fault) flag(kept, { id: ev.id, kind: ev.kind === 'foreign' ? ev.type : ev.kind, reason: fault });
    return kept;
  }
  const next: SessionSummary = { ...s, counts, events: s.events + 1, updatedAt: ev.ts > s.updatedAt ? ev.ts : s.updatedAt };
  switch (ev.kind) {
    case 'snapshot':
      next.work = ev.commit;
      next.files = ev.files.length;
      if (ev.base) next.base = ev.base;
      delete next.worktreeMove;
      break;
    case 'land':
      next.state = 'landed';
      next.landed = {
        commit: ev.commit, at: ev.ts, strategy: ev.strategy,
        ...(ev.target !== s.target ? { target: ev.target } : {}), ...(ev.via ? { via: ev.via } : {}), ...(ev.patchId ? { patchId: ev.patchId } : {}),
      };
      delete next.conflicted;
      break;
    case 'landing':
      applyLanding(next, ev);
      break;
    case 'export':
      next.exported = { branch: ev.branch, tip: ev.tip, base: ev.base, at: ev.ts };
      break;
    case 'abandon':
      if (next.state === 'open' || next.state === 'conflicted') next.state = 'abandoned';
      break;
    case 'import':
      if (ev.key) next.imports = { ...s.imports, [ev.key]: { ...(ev.lines !== undefined ? { lines: ev.lines } : {}), ...(ev.digest ? { digest: ev.digest } : {}) } };
      break;
    case 'private':
      if (ev.private) next.private = true;
      else delete next.private;
      break;
    case 'sync':
      next.worktreeMove = { from: ev.prevWork !== undefined ? ev.prevWork : (s.work ?? null), fromBase: ev.from, event: ev.id };
      next.base = ev.to;
      if (ev.work) next.work = ev.work;
      break;
    case 'conflict':
      // Only a sync that wrote the merge with markers into the work changes the state.
      if (ev.during === 'sync' && ev.work && ev.range && next.state === 'open') {
        next.worktreeMove = { from: ev.prevWork !== undefined ? ev.prevWork : (s.work ?? null), fromBase: ev.range.from, event: ev.id };
        next.state = 'conflicted';
        next.base = ev.range.to;
        next.work = ev.work;
        next.conflicted = ev.files;
      }
      break;
    case 'resolution':
      if (next.state === 'conflicted') {
        next.conflicted = ev.remaining;
        if (!ev.remaining.length) {
          next.state = 'open';
          delete next.conflicted;
        }
      }
      break;
    case 'undo': {
      const r = ev.restore;
      if (ev.op === 'sync' || ev.op === 'conflict') next.worktreeMove = { from: s.work ?? null, fromBase: s.base, event: ev.id };
      else delete next.worktreeMove;
      next.state = r.state;
      next.base = r.base;
      if (r.work) next.work = r.work;
      else delete next.work;
      next.files = r.files;
      if (r.conflicted?.length) next.conflicted = r.conflicted;
      else delete next.conflicted;
      if (r.state !== 'landed') delete next.landed;
      break;
    }
    default:
      break;
  }
  return next;
}

// Kinds whose events change more of the summary than its counts and times, or may be flagged (see applyEvent).
const STATEFUL = new Set<EventKind>(['snapshot', 'land', 'landing', 'export', 'abandon', 'sync', 'conflict', 'resolution', 'undo', 'private', 'import', 'start']);

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
  private readonly stateful: StoredEvent[] = [];

  /** Takes the next event into account. */
  add(ev: StoredEvent): void {
    if (ev.kind === 'foreign' || STATEFUL.has(ev.kind)) {
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

/**
 * Who a session obeys when its events came from elsewhere (a pull): its own `start` (the
 * first event of the creating chain, by id), the caller's verdict on each `land` and on
 * each `landing` on the target (undefined when its commit is on the target, else why
 * not), and on each `undo` of a land (undefined unless the landed commit is still on the
 * target: a session stays landed while its commit is there). Without it, the first event
 * is the start and everything is obeyed: events this process wrote itself.
 */
export interface Authority {
  start: string;
  landFault?: (ev: EventOf<'land'> | EventOf<'landing'>) => string | undefined;
  undoFault?: (ev: EventOf<'undo'>) => string | undefined;
}

/** The authority's verdict on one event (see Authority). */
export function verdictOf(authority: Authority | undefined, e: StoredEvent): string | undefined {
  if (!authority) return undefined;
  if (e.kind === 'land' || e.kind === 'landing') return authority.landFault?.(e);
  if (e.kind === 'undo') return authority.undoFault?.(e);
  return undefined;
}

/**
 * Folds a whole event list into the summary for session `id`, in the given order, the
 * authoritative start first whatever its place (a start dated earlier by someone else
 * does not displace it).
 */
export function foldEvents(id: string, events: StoredEvent[], authority?: Authority): SessionSummary {
  if (events.length === 0) throw new GsError('damaged', `session ${id} has no events`);
  const at = authority ? events.findIndex((e) => e.kind === 'start' && e.id === authority.start) : 0;
  if (at < 0) throw new GsError('damaged', `session ${id} has lost its start event ${authority!.start}`);
  let s = { ...summaryFromStart(events[at]), id };
  for (let i = 0; i < events.length; i++) {
    if (i === at) continue;
    const e = events[i];
    s = applyEvent(s, e, verdictOf(authority, e));
  }
  return s;
}

/** Stable total order for events: timestamp, then id (ids are unique). */
export function compareEvents(a: StoredEvent, b: StoredEvent): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What identifies a stored event across copies: its id, or its stored text when it has none. */
export function eventKey(e: StoredEvent): string {
  return e.id || `\0${JSON.stringify(e.kind === 'foreign' ? e.data : e)}`;
}

/**
 * Union of two event lists that diverged, deduplicated by id, in the stable order; the
 * session's own `start` (`start`, by id; default the first event of `a`) stays first so
 * the fold stays well-defined, and any other start takes its place by time like any event.
 */
export function unionEvents(a: StoredEvent[], b: StoredEvent[], start = a[0]?.id): StoredEvent[] {
  const byKey = new Map<string, StoredEvent>();
  for (const e of a) byKey.set(eventKey(e), e);
  for (const e of b) if (!byKey.has(eventKey(e))) byKey.set(eventKey(e), e);
  const all = [...byKey.values()];
  const first = all.filter((e) => e.kind === 'start' && e.id === start).slice(0, 1);
  const rest = all.filter((e) => e !== first[0]).sort(compareEvents);
  return [...first, ...rest];
}

/** Events of `mine` (by id) that `theirs` lacks: what a copy would drop if it replaced `mine`. */
export function dropped(mine: StoredEvent[], theirs: StoredEvent[]): StoredEvent[] {
  const have = new Set(theirs.map(eventKey));
  return mine.filter((e) => !have.has(eventKey(e)));
}

/** Whether two summaries say the same (key order aside): `session.json` need not be rewritten. */
export function sameSummary(a: SessionSummary, b: SessionSummary): boolean {
  return canonical(a) === canonical(b);
}

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(x);
}
