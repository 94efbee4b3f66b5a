// Landing through a server (README "Landing through a server"): what a client asks and what
// the server answers, as stored in git. Pure: names, shapes and their parsing; data a client
// pushed (a request) and data a server wrote (a verdict) are both read through a schema
// before anything relies on them.
//
// Why a ref and not a push option: a request is a ref update, so (a) every transport and
// every forge carries it with nothing to configure (push options must be advertised, and
// `git daemon` serves them only then), (b) a push that changes nothing else still reaches
// the hooks (git skips an up-to-date push entirely), and (c) the queue IS the set of
// request refs: it survives a server killed mid-landing, and `git ls-remote` shows it.
//
//   refs/session-land/request/<id>   a commit whose tree holds request.json (the client's ask)
//   refs/session-land/verdict/<id>   a commit whose tree holds verdict.json (the server's answer;
//                                    parent: the request it answers)
//
// Not under refs/sessions/: ordinary session fetches stay free of everyone's transient asks.
import * as v from 'valibot';
import { GsError } from './errors.js';
import { isId } from './ids.js';

/** The namespace of landing requests and verdicts (one per session at most, each). */
export const LAND_PREFIX = 'refs/session-land/';
/** Where a client asks the server to land a session. */
export const REQUEST_PREFIX = `${LAND_PREFIX}request/`;
/** Where the server answers (the last answer per session). */
export const VERDICT_PREFIX = `${LAND_PREFIX}verdict/`;

/** The request ref of a session. */
export function requestRef(id: string): string {
  return REQUEST_PREFIX + id;
}

/** The verdict ref of a session. */
export function verdictRef(id: string): string {
  return VERDICT_PREFIX + id;
}

/** The session a request or verdict ref is for, or undefined when the name is not one. */
export function landRefId(ref: string): { id: string; kind: 'request' | 'verdict' } | undefined {
  for (const kind of ['request', 'verdict'] as const) {
    const prefix = kind === 'request' ? REQUEST_PREFIX : VERDICT_PREFIX;
    if (ref.startsWith(prefix) && isId(ref.slice(prefix.length))) return { id: ref.slice(prefix.length), kind };
  }
  return undefined;
}

/** What a client asks: land `session`'s work `work` (its meta at `meta`) onto `target`. */
export interface LandRequest {
  version: 1;
  session: string;
  target: string;
  strategy: 'squash' | 'merge';
  /** The session's meta and work commits as pushed with the request. */
  meta: string;
  work: string;
  /** Who asked ("Name <email>", as the client's git knows it: a claim, shown, never obeyed). */
  by: string;
  at: string;
  /** false: the client does not wait (--no-wait), so post-receive returns at once. */
  wait?: boolean;
}

/** A landed change a conflict verdict names (as `conflicts` reports it). */
export interface VerdictOverlap {
  commit: string;
  sessionId: string | null;
  paths: string[];
}

/** How one required check stood (a refusal by policy). */
export interface VerdictCheck {
  name: string;
  satisfied: boolean;
  reason?: string;
  signer?: string;
}

/** The server's answer to one request. */
export interface Verdict {
  version: 1;
  session: string;
  /** The request commit it answers. */
  request: string;
  outcome: 'landed' | 'conflict' | 'refused';
  target: string;
  at: string;
  /** landed: the commit on the target (the session's own when every change already was there). */
  commit?: string;
  previousTip?: string;
  alreadyOnTarget?: boolean;
  /** conflict: the paths git could not merge, and the landed changes that touch the session's paths. */
  conflicts?: string[];
  overlapping?: VerdictOverlap[];
  /** refused: why, in one line. */
  reason?: string;
  checks?: VerdictCheck[];
}

const oid = v.pipe(v.string(), v.regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'not an object id'));
const ulid = v.pipe(v.string(), v.check(isId, 'not a session id'));
const time = v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d/, 'not an ISO time'));
// What checkRefName accepts (core/validate.ts), as one test.
// eslint-disable-next-line no-control-regex
const BAD_REF = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|^@$|^\/|\/$|\/\/|^-|\.$|\.lock$|(?:^|\/)\./;
const branch = v.pipe(v.string(), v.minLength(1), v.maxLength(255), v.check((s) => !BAD_REF.test(s), 'not a branch name'));
const line = v.pipe(v.string(), v.maxLength(2000));

const REQUEST = v.object({
  version: v.literal(1),
  session: ulid,
  target: branch,
  strategy: v.picklist(['squash', 'merge']),
  meta: oid,
  work: oid,
  by: line,
  at: time,
  wait: v.optional(v.boolean()),
});

const VERDICT = v.object({
  version: v.literal(1),
  session: ulid,
  request: oid,
  outcome: v.picklist(['landed', 'conflict', 'refused']),
  target: branch,
  at: time,
  commit: v.optional(oid),
  previousTip: v.optional(oid),
  alreadyOnTarget: v.optional(v.boolean()),
  conflicts: v.optional(v.pipe(v.array(line), v.maxLength(1000))),
  overlapping: v.optional(v.pipe(v.array(v.object({ commit: oid, sessionId: v.nullable(ulid), paths: v.pipe(v.array(line), v.maxLength(1000)) })), v.maxLength(100))),
  reason: v.optional(line),
  checks: v.optional(v.pipe(v.array(v.object({ name: line, satisfied: v.boolean(), reason: v.optional(line), signer: v.optional(line) })), v.maxLength(100))),
});

function parse<T>(schema: v.GenericSchema<unknown, T>, text: string, what: string): T {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new GsError('bad-input', `the ${what} is not JSON`);
  }
  const r = v.safeParse(schema, doc, { abortEarly: true });
  if (!r.success) {
    const issue = r.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.');
    throw new GsError('bad-input', `the ${what} is malformed${path ? ` at ${path}` : ''}: ${issue.message}`);
  }
  return r.output;
}

/** Reads a request.json (exit-2 GsError naming the problem when it is not one). */
export function parseRequest(text: string): LandRequest {
  return parse(REQUEST, text, 'landing request') as LandRequest;
}

/** Reads a verdict.json (GsError naming the problem when it is not one). */
export function parseVerdict(text: string): Verdict {
  return parse(VERDICT, text, 'landing verdict') as Verdict;
}

/** How a verdict travels in a push's `remote:` lines: this prefix, then the verdict as one JSON line. */
export const VERDICT_LINE = 'git-session-verdict ';

/** The `remote:` line of a verdict. */
export function verdictLine(v: Verdict): string {
  return VERDICT_LINE + JSON.stringify(v);
}

/** The verdicts in a push's output (`remote: git-session-verdict {...}` lines), each checked; others ignored. */
export function verdictsIn(output: string): Verdict[] {
  const out: Verdict[] = [];
  for (const raw of output.split(/\r?\n|\r/)) {
    const l = raw.replace(/^remote:\s*/, '').trimEnd();
    if (!l.startsWith(VERDICT_LINE)) continue;
    try {
      out.push(parseVerdict(l.slice(VERDICT_LINE.length)));
    } catch {
      /* a line that only looks like one: data, not a verdict */
    }
  }
  return out;
}

/**
 * Who pushed, as the server's transport says (README "Landing through a server"): the
 * forge's authenticated user (GitLab `GL_USERNAME`, Gitea and Forgejo `GITEA_PUSHER_NAME`,
 * gitolite `GL_USER`), the web server's (`REMOTE_USER`, smart HTTP behind authentication),
 * else the account receive-pack runs as over ssh or a local path; undefined over `git
 * daemon` (anonymous: `REMOTE_ADDR` set, no user), where only `*` allows a direct push.
 */
export function pusherOf(env: Record<string, string | undefined>): string | undefined {
  for (const k of ['GL_USERNAME', 'GITEA_PUSHER_NAME', 'GL_USER', 'REMOTE_USER']) {
    const v = env[k]?.trim();
    if (v) return v;
  }
  if (env.REMOTE_ADDR && !env.SSH_CONNECTION) return undefined;
  return env.USER?.trim() || env.LOGNAME?.trim() || undefined;
}

/** Whether `ref` is one of the protected branches (`session.protect` values: names or shell-style `*` patterns). */
export function isProtected(ref: string, patterns: readonly string[]): boolean {
  if (!ref.startsWith('refs/heads/')) return false;
  const name = ref.slice('refs/heads/'.length);
  return patterns.some((p) => {
    const full = p.startsWith('refs/') ? p : `refs/heads/${p}`;
    if (!full.includes('*') && !full.includes('?')) return full === ref;
    const re = new RegExp('^' + full.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
    return re.test(ref) || re.test(name);
  });
}

/** Whether `pusher` may push a protected branch directly (`session.allowDirectPush` values; `*`: anyone). */
export function mayPushDirectly(pusher: string | undefined, allowed: readonly string[]): boolean {
  return allowed.some((a) => a.trim() === '*' || (pusher !== undefined && a.trim() === pusher));
}
