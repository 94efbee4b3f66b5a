// Landing requests and verdicts as git objects (core/land-request.ts names and checks
// them): writing a request commit (client) or a verdict commit (server), reading them
// back, and the queue of a server repository (the request refs, read in-process).
import { join } from 'node:path';
import { type LandRequest, parseRequest, parseVerdict, REQUEST_PREFIX, type Verdict } from '../../core/land-request.js';
import { catBatch } from '../../git/batch.js';
import type { Ident } from '../../git/objects.js';
import { listRefs } from '../../git/refs.js';
import type { Repo } from '../repo.js';

const REQUEST_FILE = 'request.json';
const VERDICT_FILE = 'verdict.json';

/** Where a server keeps its local state (locks, log): `<git-dir>/session/server`. */
export function serverDir(repo: Repo): string {
  return join(repo.localDir, 'server');
}

/** Writes a request as a commit of its own (no parent: nothing of the client's history rides along). */
export async function writeRequest(repo: Repo, req: LandRequest, ident: Ident): Promise<string> {
  const { objects } = repo.store;
  const blob = await objects.writeText(JSON.stringify(req, null, 2) + '\n');
  const tree = await objects.writeTree([{ mode: '100644', path: REQUEST_FILE, oid: blob, type: 'blob' }]);
  return objects.writeCommit({ tree, parent: [], message: `land ${req.session} on ${req.target}\n`, author: ident });
}

/** Writes a verdict as a commit whose parent is the request it answers. */
export async function writeVerdict(repo: Repo, v: Verdict, ident: Ident): Promise<string> {
  const { objects } = repo.store;
  const blob = await objects.writeText(JSON.stringify(v, null, 2) + '\n');
  const tree = await objects.writeTree([{ mode: '100644', path: VERDICT_FILE, oid: blob, type: 'blob' }]);
  return objects.writeCommit({ tree, parent: [v.request], message: `${v.outcome}: ${v.session} on ${v.target}\n`, author: ident });
}

/** A request (or why it cannot be read) for each commit, in one `git cat-file --batch` (works on quarantined objects). */
export async function readRequests(cwd: string, oids: string[]): Promise<({ ok: true; request: LandRequest } | { ok: false; reason: string })[]> {
  const texts = await catBatch(cwd, oids.map((o) => `${o}:${REQUEST_FILE}`));
  return texts.map((t) => {
    if (t === undefined) return { ok: false as const, reason: `it is not a commit holding ${REQUEST_FILE}` };
    try {
      return { ok: true as const, request: parseRequest(t) };
    } catch (e) {
      return { ok: false as const, reason: (e as Error).message };
    }
  });
}

/** The verdict a verdict commit holds, or undefined when it holds none that parses. */
export async function readVerdict(cwd: string, oid: string): Promise<Verdict | undefined> {
  const [t] = await catBatch(cwd, [`${oid}:${VERDICT_FILE}`]);
  try {
    return t === undefined ? undefined : parseVerdict(t);
  } catch {
    return undefined;
  }
}

/** The pending requests of a server repository: session id and request commit. */
export function pendingRequests(repo: Repo): { id: string; oid: string }[] {
  return [...listRefs(repo.paths.commonDir, REQUEST_PREFIX)].map(([ref, oid]) => ({ id: ref.slice(REQUEST_PREFIX.length), oid }));
}
