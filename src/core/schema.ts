// The one schema of every stored document: each event kind and `session.json`. Data in
// refs/sessions/ may come from anyone with push access to a remote, so it is parsed here,
// at the storage boundary, before any code relies on its shape. valibot was chosen over
// zod for start-up cost, measured bundled (see the README's "Trust model").
import * as v from 'valibot';
import { isId } from './ids.js';
import { type EventKind, FORMAT_VERSION, type ForeignEvent, SESSION_STATES, type SessionEvent, type SessionSummary, type StoredEvent } from './types.js';

const str = v.string();
const int = v.pipe(v.number(), v.integer());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const oid = v.pipe(v.string(), v.regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'not an object id'));
const ulid = v.pipe(v.string(), v.check(isId, 'not a ULID'));
/** An ISO 8601 date and time, as every stored `ts` must start (imports keep a transcript's own, as written). */
export const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
const time = v.pipe(v.string(), v.regex(ISO_TIME, 'not an ISO time'));
// What checkRefName accepts, as one test (it runs on every summary a list reads).
// eslint-disable-next-line no-control-regex
const BAD_REF = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|^@$|^\/|\/$|\/\/|^-|\.$|\.lock$|(?:^|\/)\./;
const refName = v.pipe(v.string(), v.minLength(1, 'not a branch name'), v.check((s) => !BAD_REF.test(s), 'not a branch name'));
const agent = v.looseObject({ name: str, model: v.optional(str) });
const strategy = v.picklist(['squash', 'merge']);
const landVia = v.picklist(['trailer', 'tree', 'patch-id', 'rewrite']);
const linkVia = v.picklist(['trailer', 'tree', 'patch-id', 'rewrite', 'cherry-pick']);
// A tool call captured from an agent's hook (core/types.ts ToolCall).
const toolCall = v.looseObject({ input: str, output: v.optional(str), bytes: v.optional(count), cut: v.optional(v.boolean()), error: v.optional(v.boolean()), files: v.optional(v.array(str)) });

// What an `undo` puts back (core/types.ts Restored).
const RESTORED = v.looseObject({ state: v.picklist(SESSION_STATES), base: oid, work: v.nullable(oid), files: count, conflicted: v.optional(v.array(str)) });

// Objects are loose: a field a newer writer adds is kept (and written back on a merge).
// `large`: strings of this event stored as blobs of their own (core/large.ts).
const largeRef = v.looseObject({ path: str, blob: oid, bytes: count });
const base = { id: ulid, ts: time, redacted: v.optional(v.array(str)), src: v.optional(str), large: v.optional(v.array(largeRef)) };
const KINDS = {
  start: v.looseObject({ ...base, kind: v.literal('start'), goal: str, target: refName, base: oid, author: str, agent: v.optional(agent) }),
  prompt: v.looseObject({ ...base, kind: v.literal('prompt'), text: str }),
  message: v.looseObject({ ...base, kind: v.literal('message'), role: v.picklist(['user', 'agent', 'tool', 'system']), text: str, name: v.optional(str), model: v.optional(str), tool: v.optional(toolCall) }),
  decision: v.looseObject({ ...base, kind: v.literal('decision'), chosen: str, rejected: v.array(v.looseObject({ option: str, reason: str })), rationale: str, agent: v.optional(agent) }),
  note: v.looseObject({ ...base, kind: v.literal('note'), text: str }),
  feedback: v.looseObject({ ...base, kind: v.literal('feedback'), text: str, file: v.optional(str), line: v.optional(count) }),
  check: v.looseObject({
    ...base, kind: v.literal('check'), command: v.array(str), exitCode: int, tree: oid, durationMs: count, output: str,
    // Signed checks (README "Trusted checks"): the envelope blob is checked by verify, not here.
    name: v.optional(str), attestation: v.optional(oid), workspace: v.optional(v.picklist(['in-place', 'clean'])), mergedWith: v.optional(oid),
  }),
  snapshot: v.looseObject({ ...base, kind: v.literal('snapshot'), commit: oid, parent: oid, message: str, files: v.array(v.looseObject({ path: str, status: str })), base: v.optional(oid), prevWork: v.optional(v.nullable(oid)) }),
  conflict: v.looseObject({
    ...base,
    kind: v.literal('conflict'),
    files: v.array(str),
    commits: v.array(oid),
    during: v.picklist(['land', 'sync']),
    detail: v.optional(str),
    count: v.optional(count),
    range: v.optional(v.looseObject({ from: oid, to: oid })),
    sessions: v.optional(v.array(ulid)),
    work: v.optional(oid),
    prevWork: v.optional(v.nullable(oid)),
  }),
  land: v.looseObject({ ...base, kind: v.literal('land'), commit: oid, target: refName, strategy, previousTip: oid, tree: v.optional(oid), patchId: v.optional(oid), via: v.optional(landVia) }),
  landing: v.looseObject({ ...base, kind: v.literal('landing'), commit: oid, tree: oid, patchId: v.optional(oid), branch: v.optional(refName), via: linkVia, from: v.optional(oid) }),
  export: v.looseObject({ ...base, kind: v.literal('export'), branch: refName, tip: oid, base: oid }),
  import: v.looseObject({ ...base, kind: v.literal('import'), source: str, format: v.optional(str), count, commits: v.optional(v.array(oid)), key: v.optional(str), lines: v.optional(count), digest: v.optional(str) }),
  sync: v.looseObject({ ...base, kind: v.literal('sync'), from: oid, to: oid, work: v.optional(oid), prevWork: v.optional(v.nullable(oid)) }),
  resolution: v.looseObject({
    ...base,
    kind: v.literal('resolution'),
    paths: v.array(v.looseObject({ path: str, how: v.picklist(['ours', 'theirs', 'edited']) })),
    remaining: v.array(str),
    snapshot: v.optional(ulid),
    reused: v.optional(v.boolean()),
  }),
  undo: v.looseObject({ ...base, kind: v.literal('undo'), of: ulid, op: str, restore: RESTORED, target: v.optional(v.looseObject({ ref: str, from: oid, to: oid })) }),
  abandon: v.looseObject({ ...base, kind: v.literal('abandon'), reason: v.optional(str) }),
  private: v.looseObject({ ...base, kind: v.literal('private'), private: v.boolean() }),
} satisfies Record<EventKind, unknown>;

const FRAME = v.looseObject(base);

const SUMMARY = v.looseObject({
  format: v.pipe(v.number(), v.integer(), v.minValue(1)),
  id: ulid,
  goal: str,
  state: v.picklist(SESSION_STATES),
  target: refName,
  base: oid,
  startBase: oid,
  author: str,
  agent: v.optional(agent),
  createdAt: time,
  updatedAt: time,
  events: count,
  work: v.optional(oid),
  files: count,
  landed: v.optional(v.looseObject({ commit: oid, at: time, strategy, target: v.optional(refName), via: v.optional(landVia), patchId: v.optional(oid), first: v.optional(oid) })),
  landings: v.optional(v.array(v.looseObject({ commit: oid, branch: v.optional(refName), via: linkVia, patchId: v.optional(oid), from: v.optional(oid) }))),
  exported: v.optional(v.looseObject({ branch: refName, tip: oid, base: oid, at: time })),
  counts: v.record(str, count),
  flagged: v.optional(v.array(v.looseObject({ id: str, kind: str, reason: str }))),
  imports: v.optional(v.record(str, v.looseObject({ lines: v.optional(count), digest: v.optional(str) }))),
  private: v.optional(v.literal(true)),
  conflicted: v.optional(v.array(str)),
  worktreeMove: v.optional(v.looseObject({ from: v.nullable(oid), fromBase: oid, event: str })),
});

/** The first problem valibot found, as `path: message` (one short line). */
function reason(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const i = issues[0];
  const path = v.getDotPath(i);
  const msg = i.message.replace(/^Invalid (?:type|key|value|format): /, '');
  return path ? `${path}: ${msg}` : msg;
}

/** True for a kind this version knows. */
export function isKnownKind(kind: unknown): kind is EventKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KINDS, kind);
}

/**
 * One stored event (a parsed JSON line) as this version reads it: the event itself when
 * its kind's schema accepts it (the stored object, unknown fields kept), else a
 * ForeignEvent keeping the value exactly as stored.
 */
export function parseEvent(value: unknown): StoredEvent {
  const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const foreign = (invalid: boolean, why: string): ForeignEvent => ({
    kind: 'foreign',
    id: typeof o?.id === 'string' ? o.id : '',
    ts: typeof o?.ts === 'string' ? o.ts : '',
    type: typeof o?.kind === 'string' ? o.kind : '',
    invalid,
    reason: why,
    data: value,
  });
  if (!o) return foreign(true, 'not a JSON object');
  if (typeof o.kind !== 'string') return foreign(true, 'kind: missing');
  if (!isKnownKind(o.kind)) {
    // A newer writer's kind: kept and shown generically, unless even its frame is broken.
    const frame = v.safeParse(FRAME, o, { abortEarly: true });
    return frame.success ? foreign(false, `kind '${o.kind}' is not known to this version`) : foreign(true, reason(frame.issues));
  }
  const r = v.safeParse(KINDS[o.kind], o, { abortEarly: true });
  return r.success ? (o as unknown as SessionEvent) : foreign(true, reason(r.issues));
}

/** What reading a `session.json` gave: the summary, or why it is unusable. */
export type SummaryCheck = { ok: true; summary: SessionSummary } | { ok: false; reason: string };

/**
 * Checks a parsed `session.json` of the session whose ref names `id`: its schema, its
 * format version, and that it speaks for that session (a summary naming another
 * session's id is damaged, never shown as that session).
 */
export function checkSummary(value: unknown, id: string): SummaryCheck {
  const r = v.safeParse(SUMMARY, value, { abortEarly: true });
  if (!r.success) {
    const fmt = (value as { format?: unknown } | null)?.format;
    if (typeof fmt === 'number' && Math.floor(fmt) > FORMAT_VERSION) return { ok: false, reason: newerFormat(fmt) };
    return { ok: false, reason: `session.json: ${reason(r.issues)}` };
  }
  const s = value as SessionSummary;
  if (Math.floor(s.format) > FORMAT_VERSION) return { ok: false, reason: newerFormat(s.format) };
  if (s.id !== id) return { ok: false, reason: `session.json names another session (${s.id})` };
  return { ok: true, summary: s };
}

function newerFormat(format: number): string {
  return `stored in format ${format}; this git-session reads up to ${FORMAT_VERSION}: upgrade it`;
}

/** Parses `session.json` text (see checkSummary). */
export function readSummaryText(text: string, id: string): SummaryCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'session.json is not valid JSON' };
  }
  return checkSummary(value, id);
}

/** The JSON line an event is stored as (a foreign one exactly as it was read). */
export function eventLine(ev: StoredEvent): string {
  return JSON.stringify(ev.kind === 'foreign' ? ev.data : ev);
}
