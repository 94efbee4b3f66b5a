// Hostile session data, built with git plumbing (hash-object, mktree, commit-tree,
// update-ref) exactly as someone with push access to a remote could write it: nothing here
// goes through git-session, so every shape the storage layer must survive can be made.
import { execFileSync } from 'node:child_process';

/** Runs git in `dir` with `input` on stdin and returns trimmed stdout. */
function g(dir: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env: process.env, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

/** Writes a blob holding `text` exactly. */
export function blob(dir: string, text: string): string {
  return g(dir, ['hash-object', '-w', '--stdin'], text);
}

/** Writes a tree from `name -> [mode, oid]` entries (mktree sorts them). */
export function tree(dir: string, entries: Record<string, [string, string]>): string {
  const lines = Object.entries(entries).map(([name, [mode, oid]]) => `${mode} ${mode === '040000' ? 'tree' : 'blob'} ${oid}\t${name}`);
  return g(dir, ['mktree'], lines.join('\n') + (lines.length ? '\n' : ''));
}

/** Writes a commit of `t` with `parents`. */
export function commit(dir: string, t: string, parents: string[], message = 'hostile\n'): string {
  return g(dir, ['commit-tree', t, ...parents.flatMap((p) => ['-p', p])], message);
}

/** A line of a chunk: an object is written as JSON, a string as it is (for lines that are not JSON). */
export type Line = object | string;

/**
 * A session's meta tree as the store lays it out (events/0000/000000.jsonl and
 * session.json), from event lines and a summary (an object, or raw text).
 */
export function sessionTree(dir: string, events: Line[], summary: object | string): string {
  const jsonl = events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';
  const chunk = tree(dir, { '000000.jsonl': ['100644', blob(dir, jsonl)] });
  const evTree = tree(dir, { '0000': ['040000', chunk] });
  const sj = typeof summary === 'string' ? summary : JSON.stringify(summary, null, 2) + '\n';
  return tree(dir, { events: ['040000', evTree], 'session.json': ['100644', blob(dir, sj)] });
}

/** A meta commit holding `events` and `summary`, on top of `parents`. */
export function metaCommit(dir: string, events: Line[], summary: object | string, parents: string[] = []): string {
  return commit(dir, sessionTree(dir, events, summary), parents, 'session: hostile\n');
}

/** Points `ref` at `oid` in the repository at `dir`. */
export function setRef(dir: string, ref: string, oid: string): void {
  g(dir, ['update-ref', ref, oid]);
}

/** Every event line of the session at `meta` (all chunks, in order), parsed. */
export function eventsAt(dir: string, meta: string): any[] {
  const files = g(dir, ['ls-tree', '-r', '--name-only', meta, 'events/']).split('\n').filter(Boolean);
  return files.flatMap((f) => g(dir, ['cat-file', 'blob', `${meta}:${f}`]).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

/** A fresh ULID-shaped id (lower-case Crockford base32) whose time part is `ms`. */
export function ulidAt(ms: number, tail = 'h0st11e0000000'): string {
  const A = '0123456789abcdefghjkmnpqrstvwxyz';
  let t = '';
  for (let i = 0, n = ms; i < 10; i++, n = Math.floor(n / 32)) t = A[n % 32] + t;
  return (t + tail.replace(/[ilou]/g, '0').padEnd(16, '0')).slice(0, 26);
}

/** What a session's summary would be, for writing a plausible session.json by hand. */
export function summaryOf(id: string, start: { goal: string; target: string; base: string; author: string; ts: string }, events: number, extra: object = {}): object {
  return {
    format: 1, id, goal: start.goal, state: 'open', target: start.target, base: start.base, startBase: start.base, author: start.author,
    createdAt: start.ts, updatedAt: start.ts, events, files: 0, counts: { start: 1 }, ...extra,
  };
}
