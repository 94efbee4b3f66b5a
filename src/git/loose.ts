// Loose objects in-process, the format git documents (zlib of "<type> <size>\0<body>"):
// the hot paths (record, decide, snapshot) write and read a handful of small objects,
// and doing it here instead of through isomorphic-git (a) skips its ~60–100 ms load,
// (b) uses Node's native zlib instead of CompressionStream (which pulls in undici), and
// (c) is crash-safe: each object is written to a temporary file and renamed into place,
// as git does, where isomorphic-git writes the final path directly (a kill -9 mid-write
// would leave a truncated object that later writes of the same content would trust).
// Packed objects are not read here: callers fall back to isomorphic-git for those.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { packedRef } from './packed-refs.js';

/** Object types this store handles. */
export type ObjectType = 'blob' | 'tree' | 'commit';

/** A tree entry (isomorphic-git's shape: directories carry mode '040000'). */
export interface Entry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

/** The object id git gives `body` as an object of `type` (what `git hash-object` prints). */
export function objectId(type: ObjectType, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

/** Writes a loose object (temp file + rename) unless it exists; returns its id. */
export async function writeLoose(gitdir: string, type: ObjectType, body: Buffer): Promise<string> {
  const raw = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
  const oid = objectId(type, body);
  const dir = join(gitdir, 'objects', oid.slice(0, 2));
  const path = join(dir, oid.slice(2));
  try {
    await stat(path);
    return oid;
  } catch {
    /* not there yet */
  }
  const data = deflateSync(raw);
  // A concurrent `git gc` removes fan-out directories it emptied (prune-packed) and may
  // sweep temporary files: either makes the write or the rename fail with ENOENT. Make
  // the directory again and retry; any other failure is real.
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dir, `tmp_obj_${process.pid}_${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, data, { mode: 0o444 });
      await rename(tmp, path);
      return oid;
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 8) throw e;
    }
  }
}

/** Reads a loose object, or undefined when it is not loose (packed, or absent). */
export async function readLoose(gitdir: string, oid: string): Promise<{ type: string; body: Buffer } | undefined> {
  let data: Buffer;
  try {
    data = await readFile(join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)));
  } catch {
    return undefined;
  }
  const raw = inflateSync(data);
  const nul = raw.indexOf(0);
  const [type] = raw.toString('latin1', 0, nul).split(' ');
  return { type, body: raw.subarray(nul + 1) };
}

/** Git's tree order: byte order of names, a directory compared as if it ended in '/'. */
function treeKey(e: Entry): string {
  return e.type === 'tree' ? `${e.path}/` : e.path;
}

/** Serialises tree entries (sorted here) into a tree object body. */
export function encodeTree(entries: Entry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(treeKey(a)), Buffer.from(treeKey(b))));
  return Buffer.concat(
    sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode.replace(/^0+/, '')} ${e.path}\0`), Buffer.from(e.oid, 'hex')])),
  );
}

/** Parses a tree object body. */
export function decodeTree(body: Buffer): Entry[] {
  const out: Entry[] = [];
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(32, i);
    const nul = body.indexOf(0, sp);
    const mode = body.toString('latin1', i, sp);
    const path = body.toString('utf8', sp + 1, nul);
    const oid = body.toString('hex', nul + 1, nul + 21);
    const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    out.push({ mode: mode === '40000' ? '040000' : mode, path, oid, type });
    i = nul + 21;
  }
  return out;
}

/** A git identity with the time of the act (isomorphic-git's shape). */
export interface Ident {
  name: string;
  email: string;
  timestamp: number;
  timezoneOffset: number;
}

function formatIdent(p: Ident): string {
  const minutes = -p.timezoneOffset;
  const abs = Math.abs(minutes);
  const tz = `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${p.name} <${p.email}> ${p.timestamp} ${tz}`;
}

function parseIdent(s: string): Ident {
  const m = /^(.*) <([^>]*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m) return { name: s, email: '', timestamp: 0, timezoneOffset: 0 };
  const minutes = (parseInt(m[5], 10) * 60 + parseInt(m[6], 10)) * (m[4] === '-' ? -1 : 1);
  return { name: m[1], email: m[2], timestamp: parseInt(m[3], 10), timezoneOffset: minutes === 0 ? 0 : -minutes };
}

/** Serialises a commit object body. */
export function encodeCommit(c: { tree: string; parent: string[]; author: Ident; committer: Ident; message: string }): Buffer {
  const head = [`tree ${c.tree}`, ...c.parent.map((p) => `parent ${p}`), `author ${formatIdent(c.author)}`, `committer ${formatIdent(c.committer)}`];
  return Buffer.from(`${head.join('\n')}\n\n${c.message}`, 'utf8');
}

/** Parses a commit object body (headers we don't use, such as gpgsig, are skipped). */
export function decodeCommit(body: Buffer): { tree: string; parent: string[]; message: string; author: Ident; committer: Ident } {
  const text = body.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const out = { tree: '', parent: [] as string[], message: split < 0 ? '' : text.slice(split + 2), author: parseIdent(''), committer: parseIdent('') };
  for (const line of headers.split('\n')) {
    if (line.startsWith('tree ')) out.tree = line.slice(5);
    else if (line.startsWith('parent ')) out.parent.push(line.slice(7));
    else if (line.startsWith('author ')) out.author = parseIdent(line.slice(7));
    else if (line.startsWith('committer ')) out.committer = parseIdent(line.slice(10));
  }
  return out;
}

/** Resolves a full ref name in-process: loose file (following `ref:` links), else packed-refs. */
export async function resolveRefFile(gitdir: string, ref: string, depth = 0): Promise<string | undefined> {
  if (depth > 5) return undefined;
  try {
    const v = (await readFile(join(gitdir, ref), 'utf8')).trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
    if (v.startsWith('ref: ')) return resolveRefFile(gitdir, v.slice(5).trim(), depth + 1);
  } catch {
    /* not loose */
  }
  return packedRef(gitdir, ref);
}
