/**
 * Storage layout of sessions inside a git repository (documented in the README's
 * "Storage layout"): pure names and arithmetic, no I/O.
 *
 *   refs/sessions/<id>/meta   commit chain, one commit per append; its tree:
 *       session.json           summary folded from the events (format version inside)
 *       events/<dir>/<chunk>.jsonl   events as JSON Lines, in sealed chunks
 *   refs/sessions/<id>/work   the session's work commits, starting at its base
 */

import { isId } from './ids.js';

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

/** Whether a chunk holding `lines` events in `bytes` bytes must be sealed before appending. */
export function chunkFull(lines: number, bytes: number): boolean {
  return lines >= CHUNK_EVENTS || bytes >= CHUNK_BYTES;
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
