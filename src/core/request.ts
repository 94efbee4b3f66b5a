// Prompt requests in the fold (pure): a request is a session whose `start` carries
// `request`; it is `requested` and holds prompts (iterations) and reviews until `run` opens
// it. Until events are signed, who may accept, reject or run is not checked; what is
// checked is that each state change is consistent with the history before it, so a copy
// pulled from anyone can only move a request along its one path:
// - `review --accept` is obeyed on a request that is still `requested` (or was rejected,
//   which it reopens), and only for the latest iteration: an accept of an older one is a
//   stale or forged verdict;
// - `review --reject` is obeyed while it is `requested`; a comment is always obeyed (it
//   changes nothing);
// - `run` is obeyed only on a `requested` request whose accepted iteration is the one it
//   names; a later iteration (recorded concurrently) does not undo a run that happened;
// - a request holds no work: a snapshot, sync, conflict, resolution, landing or export
//   before `run` is kept as data, not obeyed.
import type { EventOf, RequestInfo, RequestStatus, SessionSummary, StoredEvent } from './types.js';

/** The standing a request starts with (from its `start`). */
export function newRequest(context: string[]): RequestInfo {
  return { status: 'pending', context, iterations: 0, reviews: 0 };
}

/** `pending` unless rejected, or the accepted iteration is still the latest. */
function statusOf(r: RequestInfo): RequestStatus {
  if (r.reason !== undefined && r.accepted === undefined) return 'rejected';
  return r.accepted !== undefined && r.accepted === r.prompt ? 'accepted' : 'pending';
}

/** Whether a session is a request that `run` has not opened yet. */
export function isUnrun(s: SessionSummary): boolean {
  return Boolean(s.request && !s.request.ran);
}

/** Why a request event is kept as data and not obeyed, or undefined (see the file header). */
export function requestFault(s: SessionSummary, ev: StoredEvent): string | undefined {
  const r = s.request;
  switch (ev.kind) {
    case 'review':
      if (!r) return 'a review of a session that is not a prompt request';
      if (ev.verdict === 'comment') return undefined;
      if (r.ran) return `a review after the request was run`;
      if (ev.verdict === 'reject') return s.state === 'requested' ? undefined : `a reject of a request that is ${s.state}`;
      if (s.state !== 'requested' && !(s.state === 'abandoned' && statusOf(r) === 'rejected')) return `an accept of a request that is ${s.state}`;
      return ev.promptId === r.prompt ? undefined : 'it accepts an iteration that is not the latest';
    case 'run':
      if (!r) return 'a run of a session that is not a prompt request';
      if (s.state !== 'requested') return `a run of a request that is ${s.state}`;
      if (r.accepted === undefined) return 'a run of a request that was not accepted';
      return ev.promptId === r.accepted ? undefined : 'it runs an iteration that was not accepted';
    case 'snapshot':
    case 'sync':
    case 'conflict':
    case 'resolution':
      return s.state === 'requested' ? 'a prompt request holds no work until it is run' : undefined;
    case 'land':
    case 'landing':
    case 'export':
      // Rejected or withdrawn requests never ran either: nothing of theirs can have landed.
      return r && !r.ran ? 'a prompt request holds no work until it is run' : undefined;
    default:
      return undefined;
  }
}

/** The summary after an obeyed prompt, review or run (unchanged for any other event). */
export function applyRequest(s: SessionSummary, ev: StoredEvent): SessionSummary {
  const r = s.request;
  if (!r) return s;
  let next: RequestInfo;
  switch (ev.kind) {
    case 'prompt':
      if (r.ran) return s;
      next = { ...r, prompt: ev.id, iterations: r.iterations + 1 };
      break;
    case 'review':
      next = { ...r, reviews: r.reviews + 1 };
      if (ev.verdict === 'accept') {
        next.accepted = ev.promptId;
        next.reviewer = ev.reviewer;
        delete next.reason;
      } else if (ev.verdict === 'reject') {
        delete next.accepted;
        next.reviewer = ev.reviewer;
        next.reason = ev.reason ?? '';
      }
      break;
    case 'run':
      next = { ...r, ran: { by: ev.runner, at: ev.ts, prompt: ev.promptId } };
      break;
    default:
      return s;
  }
  next.status = statusOf(next);
  const out: SessionSummary = { ...s, request: next };
  if (ev.kind === 'review' && ev.verdict === 'reject') out.state = 'abandoned';
  if (ev.kind === 'review' && ev.verdict === 'accept') out.state = 'requested';
  if (ev.kind === 'run') {
    out.state = 'open';
    out.base = ev.base;
    if (ev.agent) out.agent = ev.agent;
  }
  return out;
}

/** One iteration of a request's prompt, in order, with its author when recorded. */
export interface Iteration {
  n: number;
  id: string;
  ts: string;
  text: string;
  author?: string;
}

/** A request's history as people read it (show, export --request, why, the PR body). */
export interface RequestView {
  author: string;
  target: string;
  context: string[];
  status: RequestStatus;
  state: SessionSummary['state'];
  iterations: Iteration[];
  /** Reviews and iterations in event order (iteration `n` refers to iterations[n - 1]). */
  history: ({ kind: 'iteration'; n: number } | { kind: 'review'; ts: string; verdict: EventOf<'review'>['verdict']; reviewer: string; reason?: string; iteration?: number })[];
  /** The iteration accepted (while accepted), and the one run (once run). */
  accepted?: Iteration;
  ran?: { by: string; at: string; iteration?: Iteration };
  reviewer?: string;
  reason?: string;
}

/**
 * The request behind a session (or undefined when it was not one): its iterations (the
 * prompts recorded before `run`), the reviews between them, and the iteration accepted
 * and run. `events` are the session's, in stored order.
 */
export function requestView(s: SessionSummary, events: readonly StoredEvent[]): RequestView | undefined {
  const r = s.request;
  if (!r) return undefined;
  const iterations: Iteration[] = [];
  const history: RequestView['history'] = [];
  const byId = new Map<string, Iteration>();
  const flagged = new Set((s.flagged ?? []).map((f) => f.id));
  let ran = false;
  for (const e of events) {
    if (e.kind === 'run' && !flagged.has(e.id)) ran = true;
    else if (e.kind === 'prompt' && !ran) {
      const it: Iteration = { n: iterations.length + 1, id: e.id, ts: e.ts, text: e.text, ...(e.author ? { author: e.author } : {}) };
      iterations.push(it);
      byId.set(e.id, it);
      history.push({ kind: 'iteration', n: it.n });
    } else if (e.kind === 'review') {
      const it = byId.get(e.promptId);
      history.push({ kind: 'review', ts: e.ts, verdict: e.verdict, reviewer: e.reviewer, ...(e.reason ? { reason: e.reason } : {}), ...(it ? { iteration: it.n } : {}) });
    }
  }
  const start = events.find((e) => e.kind === 'start');
  return {
    author: s.author,
    target: start?.kind === 'start' ? start.target : s.target,
    context: r.context,
    status: r.status,
    state: s.state,
    iterations,
    history,
    ...(r.accepted && byId.get(r.accepted) ? { accepted: byId.get(r.accepted) } : {}),
    ...(r.ran ? { ran: { by: r.ran.by, at: r.ran.at, ...(byId.get(r.ran.prompt) ? { iteration: byId.get(r.ran.prompt) } : {}) } } : {}),
    ...(r.reviewer ? { reviewer: r.reviewer } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

/** The prompt a request stands for: the iteration run, else the one accepted, else the latest. */
export function requestPrompt(v: RequestView): Iteration | undefined {
  return v.ran?.iteration ?? v.accepted ?? v.iterations[v.iterations.length - 1];
}
