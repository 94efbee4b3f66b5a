import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';

/** The all-zero id git uses for "must not exist" / "delete". */
export const ZERO = '0000000000000000000000000000000000000000';

/** One compare-and-swap ref update: `old` undefined means "don't care", ZERO means "must not exist". */
export interface RefUpdate {
  ref: string;
  new: string;
  old?: string;
}

/**
 * Applies all updates in one atomic transaction (`git update-ref --stdin`, start /
 * prepare / commit): either every ref moves or none does. Returns false when a
 * compare-and-swap lost (a ref was not at its expected value, or locked by another
 * writer) so the caller can re-read and retry; throws on anything else.
 */
export async function transact(cwd: string, updates: RefUpdate[]): Promise<boolean> {
  const lines = ['start'];
  for (const u of updates) {
    if (u.new === ZERO) lines.push(`delete ${u.ref}${u.old ? ` ${u.old}` : ''}`);
    else lines.push(`update ${u.ref} ${u.new}${u.old ? ` ${u.old}` : ''}`);
  }
  lines.push('prepare', 'commit', '');
  const res = await runGit(['update-ref', '--stdin'], { cwd, input: lines.join('\n'), allowFail: true });
  if (res.code === 0) return true;
  if (/cannot lock ref|is at .* but expected|reference already exists|Unable to create .*\.lock|unable to resolve reference|expected/.test(res.stderr)) {
    return false;
  }
  throw new GsError('git-failed', `git update-ref failed: ${res.stderr.trim().split('\n').pop()}`);
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
  const out = new Map<string, string>();
  try {
    const packed = readFileSync(join(commonDir, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      if (line.length < 42 || line[0] === '#' || line[0] === '^') continue;
      const name = line.slice(41);
      if (name.startsWith(prefix)) out.set(name, line.slice(0, 40));
    }
  } catch {
    /* no packed-refs */
  }
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
