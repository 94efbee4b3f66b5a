import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';
import { packedRefsUnder } from './packed-refs.js';

/** The all-zero id git uses for "must not exist" / "delete". */
export const ZERO = '0000000000000000000000000000000000000000';

/** One compare-and-swap ref update: `old` undefined means "don't care", ZERO means "must not exist". */
export interface RefUpdate {
  ref: string;
  new: string;
  old?: string;
}

/**
 * What git (2.39, refs/files-backend.c and lockfile.c) prints when a compare-and-swap
 * loses to another writer: the ref moved (`is at X but expected Y`), appeared (`reference
 * already exists`) or vanished (`unable to resolve reference` / `reference is missing but
 * expected`) since it was read, or another process holds its lock (or packed-refs'). Any
 * other failure (a directory/file clash between ref names, a bad name, a missing object)
 * is not a race and retrying cannot fix it.
 */
const LOST_CAS = [
  /cannot lock ref '[^']+': is at [0-9a-f]+ but expected [0-9a-f]+$/m,
  /cannot lock ref '[^']+': reference already exists$/m,
  /cannot lock ref '[^']+': reference is missing but expected [0-9a-f]+$/m,
  /cannot lock ref '([^']+)': unable to resolve reference '\1'$/m,
  /Unable to create '[^']+\.lock': File exists\.$/m,
];

/**
 * Applies all updates in one atomic transaction (`git update-ref --stdin`, start /
 * prepare / commit): either every ref moves or none does. Returns false when a
 * compare-and-swap lost (see LOST_CAS) so the caller can re-read and retry; throws
 * on anything else.
 */
export async function transact(cwd: string, updates: RefUpdate[]): Promise<boolean> {
  const lines = ['start'];
  for (const u of updates) {
    if (u.new === ZERO) lines.push(`delete ${u.ref}${u.old ? ` ${u.old}` : ''}`);
    else lines.push(`update ${u.ref} ${u.new}${u.old ? ` ${u.old}` : ''}`);
  }
  lines.push('prepare', 'commit', '');
  // LC_ALL=C: git translates these messages, and LOST_CAS must read them as written.
  const res = await runGit(['update-ref', '--stdin'], { cwd, input: lines.join('\n'), allowFail: true, env: { LC_ALL: 'C' } });
  if (res.code === 0) return true;
  if (LOST_CAS.some((re) => re.test(res.stderr))) return false;
  const why = res.stderr.split('\n').find((l) => l.startsWith('fatal: ')) ?? res.stderr.trim().split('\n').pop();
  throw new GsError('git-failed', `git update-ref failed: ${why}`);
}

/** Retries `attempt` with jittered exponential back-off until it returns a value (CAS loops). */
export async function withRetry<T>(attempt: () => Promise<T | undefined>, what: string, maxTries = 200): Promise<T> {
  let delay = 2;
  for (let i = 0; i < maxTries; i++) {
    const r = await attempt();
    if (r !== undefined) return r;
    await new Promise((res) => setTimeout(res, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 1.6, 100);
  }
  throw new GsError('contention', `gave up ${what} after ${maxTries} tries: too many concurrent writers`);
}

/**
 * Lists refs under `prefix` (e.g. `refs/sessions/`) with their ids, read in-process from
 * loose refs and packed-refs (loose wins, as in git) — cheaper than spawning for-each-ref.
 */
export function listRefs(commonDir: string, prefix: string): Map<string, string> {
  const out = packedRefsUnder(commonDir, prefix);
  walkLoose(join(commonDir, prefix), prefix, out);
  return out;
}

function walkLoose(dir: string, prefix: string, out: Map<string, string>): void {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    if (d.isDirectory()) walkLoose(join(dir, d.name), `${prefix}${d.name}/`, out);
    else if (!d.name.endsWith('.lock')) {
      try {
        const v = readFileSync(join(dir, d.name), 'utf8').trim();
        if (/^[0-9a-f]{40}$/.test(v)) out.set(prefix + d.name, v);
      } catch {
        /* raced with a rename: the packed value (if any) stands */
      }
    }
  }
}
