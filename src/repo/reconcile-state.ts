// Where reconcile stopped, per branch, kept locally (`.git/session/reconcile.json`, never
// pushed, deleted by eject): the tip of each ref it walked (the branch and its remote
// copies) and the open sessions it looked for, so the next run (every `pull`) reads only
// new commits, and walks further back only for a session it has not looked for yet. Also
// the tips of exported branches it saw, so a PR branch deleted after its merge still
// counts. Losing the file costs one longer walk, nothing else.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Repo } from './repo.js';

/** What one branch's last reconcile saw. */
export interface BranchMark {
  /** Each ref walked (refs/heads/<b>, refs/remotes/<r>/<b>) and its tip then. */
  tips: Record<string, string>;
  /** The open sessions looked for then. */
  covered: string[];
}

/** The whole file. */
export interface ReconcileState {
  version: 1;
  branches: Record<string, BranchMark>;
  /** Tips of each exported session's branch seen so far (newest last, a few). */
  seen: Record<string, string[]>;
}

/** How many tips of one exported branch are remembered. */
export const SEEN_TIPS = 5;

function path(repo: Repo): string {
  return join(repo.localDir, 'reconcile.json');
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The state as stored; an absent, unreadable or odd file is an empty state (one longer walk). */
export async function readState(repo: Repo): Promise<ReconcileState> {
  const empty: ReconcileState = { version: 1, branches: {}, seen: {} };
  let o: unknown;
  try {
    o = JSON.parse(await readFile(path(repo), 'utf8'));
  } catch {
    return empty;
  }
  const s = o as Partial<ReconcileState> | null;
  if (!s || s.version !== 1 || typeof s.branches !== 'object' || !s.branches) return empty;
  const out: ReconcileState = { version: 1, branches: {}, seen: {} };
  for (const [b, m] of Object.entries(s.branches)) {
    if (!m || typeof m.tips !== 'object' || !Array.isArray(m.covered)) continue;
    const tips = Object.fromEntries(Object.entries(m.tips).filter(([r, v]) => typeof r === 'string' && typeof v === 'string' && OID.test(v)));
    out.branches[b] = { tips, covered: m.covered.filter((x): x is string => typeof x === 'string') };
  }
  for (const [id, tips] of Object.entries(s.seen ?? {})) if (Array.isArray(tips)) out.seen[id] = tips.filter((t) => typeof t === 'string' && OID.test(t));
  return out;
}

/** Writes the state (temp file + rename: a reader sees the old one or the new). */
export async function writeState(repo: Repo, s: ReconcileState): Promise<void> {
  await mkdir(repo.localDir, { recursive: true });
  const tmp = `${path(repo)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(s) + '\n');
  await rename(tmp, path(repo));
}
