/**
 * Storage layout of sessions inside a git repository (documented in the README's
 * "Storage layout"): pure names and arithmetic, no I/O.
 *
 *   refs/sessions/<id>/meta   commit chain, one commit per append; its tree:
 *       session.json           summary folded from the events (format version inside)
 *       events/<dir>/<chunk>.jsonl   events as JSON Lines, in sealed chunks
 *   refs/sessions/<id>/work   the session's work commits, starting at its base
 */

import { idTime, isId } from './ids.js';

/** The ref namespace everything shared lives under. */
export const SESSIONS_PREFIX = 'refs/sessions/';

/** Events per chunk before it is sealed and a new one starts. */
export const CHUNK_EVENTS = 128;
/** Bytes per chunk before it is sealed (keeps an append's rewrite bounded for big events). */
export const CHUNK_BYTES = 64 * 1024;
/** Chunks per directory under events/ (keeps every tree an append rewrites small). */
export const CHUNKS_PER_DIR = 256;

/** The meta ref of a session. */
export function metaRef(id: string): string {
  return `${SESSIONS_PREFIX}${id}/meta`;
}

/** The work ref of a session. */
export function workRef(id: string): string {
  return `${SESSIONS_PREFIX}${id}/work`;
}

/** Splits a ref under refs/sessions/ into session id and leaf (`meta` / `work`). */
export function parseSessionRef(ref: string): { id: string; leaf: string } | undefined {
  if (!ref.startsWith(SESSIONS_PREFIX)) return undefined;
  const rest = ref.slice(SESSIONS_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  return { id: rest.slice(0, slash), leaf: rest.slice(slash + 1) };
}

/** True for a ref that is a session's: exactly `refs/sessions/<ULID>/meta` or `.../work`. */
export function isSessionRef(ref: string): boolean {
  const p = parseSessionRef(ref);
  return p !== undefined && isId(p.id) && (p.leaf === 'meta' || p.leaf === 'work');
}

/** Directory name (under events/) of chunk number `n`. */
export function chunkDir(n: number): string {
  return String(Math.floor(n / CHUNKS_PER_DIR)).padStart(4, '0');
}

/** File name of chunk number `n`. */
export function chunkFile(n: number): string {
  return `${String(n).padStart(6, '0')}.jsonl`;
}

/** Chunk number from a chunk file name. */
export function chunkNumber(file: string): number {
  return parseInt(file, 10);
}

/**
 * Whether a chunk holding `lines` events in `bytes` bytes must be sealed before a line of
 * `next` bytes goes in (0: just whether it is full), with `large` stored-apart strings
 * after it. A chunk never passes CHUNK_BYTES unless a single line does (see LARGE_LINE).
 */
export function chunkFull(lines: number, bytes: number, next = 0, large = 0): boolean {
  return lines >= CHUNK_EVENTS || bytes >= CHUNK_BYTES || (next > 0 && bytes + next > CHUNK_BYTES) || large > LARGE_PER_CHUNK;
}

/**
 * Archived sessions (README "Storage layout"): closed sessions folded into one ref per
 * month of creation, `refs/sessions/archive/<YYYY-MM>`, under the same namespace so the
 * one sessions refspec carries them. Its commit's tree:
 *
 *   <fan>/<id>/              the session's meta tree as archived (whatever it holds)
 *   catalog/<b>.jsonl        one line per session of bucket <b>: id, meta and work commits, summary
 *
 * `<fan>` is the first two characters of the id's random part (chars 10–11): 1,024
 * directories, evenly filled, so adding a session rewrites two small trees. `<b>` is its
 * first character: 32 buckets, so reading a whole shard (`list` after a clone) is 32
 * blobs whatever its size, and a lookup by id reads one.
 */
export const ARCHIVE_PREFIX = `${SESSIONS_PREFIX}archive/`;

/** Directory of the catalog buckets inside an archive commit's tree. */
export const CATALOG_DIR = 'catalog';

const SHARD_RE = /^\d{4}-\d\d$/;

/** The archive shard of a session: the UTC month its id was made in (`2026-03`). */
export function shardOf(id: string): string {
  return new Date(idTime(id)).toISOString().slice(0, 7);
}

/** The archive ref of a shard. */
export function archiveRef(shard: string): string {
  return `${ARCHIVE_PREFIX}${shard}`;
}

/** The shard an archive ref names, or undefined when the ref is not one (`refs/sessions/archive/<YYYY-MM>`). */
export function shardOfRef(ref: string): string | undefined {
  if (!ref.startsWith(ARCHIVE_PREFIX)) return undefined;
  const s = ref.slice(ARCHIVE_PREFIX.length);
  return SHARD_RE.test(s) ? s : undefined;
}

/** The fan-out bucket of a session id inside its shard. */
export function fanOf(id: string): string {
  return id.slice(10, 12);
}

/** The catalog bucket of a session id inside its shard. */
export function bucketOf(id: string): string {
  return id.slice(10, 11);
}

/** Path of a catalog bucket inside a shard's tree. */
export function bucketPath(bucket: string): string {
  return `${CATALOG_DIR}/${bucket}.jsonl`;
}

/** The bucket a catalog file name stands for (`a.jsonl` → `a`), or undefined. */
export function bucketOfFile(file: string): string | undefined {
  const m = /^([0-9a-z])\.jsonl$/.exec(file);
  return m ? m[1] : undefined;
}

/**
 * Large values (issue 8, item 8): an event whose line would exceed LARGE_LINE bytes has
 * its longest strings stored as blobs of their own under `large/<dir>/<chunk>/<blob id>`
 * (the chunk the event is in, so an append rewrites at most one small tree per level);
 * the line keeps the first LARGE_PREFIX characters and a pointer (see core/large.ts).
 */
export const LARGE_DIR = 'large';
/** Bytes an event's line may take before its long strings move to blobs of their own. */
export const LARGE_LINE = 16 * 1024;
/** Characters of a stored-apart string kept in the line (what `show`/`log` print without --full). */
export const LARGE_PREFIX = 1024;
/** Stored-apart strings per chunk before it is sealed (bounds the `large/<dir>/<chunk>` tree). */
export const LARGE_PER_CHUNK = 16;

/** Name of chunk `n`'s directory under large/<dir>/ (its file name without `.jsonl`). */
export function largeChunkDir(n: number): string {
  return String(n).padStart(6, '0');
}

/**
 * Meta-tree directory keeping the objects events point at reachable (so push, pull and
 * gc treat them as session data): `<event-id>.dsse.json`, a check's signed attestation,
 * and `<event-id>.tree`, the merged tree a `land --check` ran on.
 */
export const ATTACHMENTS_DIR = 'attestations';

/** An object an event references, and its name under ATTACHMENTS_DIR. */
export interface Attachment {
  name: string;
  oid: string;
  type: 'blob' | 'tree';
}

/** The objects an event references that the meta tree must keep. */
export function attachmentsOf(ev: { id: string; kind: string; attestation?: unknown; mergedWith?: unknown; tree?: unknown }): Attachment[] {
  if (ev.kind !== 'check' || typeof ev.attestation !== 'string') return [];
  const out: Attachment[] = [{ name: `${ev.id}.dsse.json`, oid: ev.attestation, type: 'blob' }];
  if (typeof ev.mergedWith === 'string' && typeof ev.tree === 'string') out.push({ name: `${ev.id}.tree`, oid: ev.tree, type: 'tree' });
  return out;
}
