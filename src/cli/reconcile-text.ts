import { shortId } from '../core/ids.js';
import { plural, shortOid } from '../core/text.js';
import type { ReconcileResult } from '../repo/reconcile.js';

/** What a reconcile found, one line each (`reconcile` prints them, and `pull` after its own lines). */
export function reconcileLines(r: ReconcileResult): string[] {
  const would = r.dryRun ? 'would link' : 'linked';
  const out: string[] = [];
  for (const l of r.linked) {
    const what = l.recorded === 'land' ? `landed on ${l.branch}` : `a further landing on ${l.branch}`;
    out.push(`${would} ${shortOid(l.commit)} "${l.subject}" to session ${shortId(l.session)}: ${what} (found by ${l.via})`);
  }
  for (const f of r.ambiguous) out.push(`not linked: ${shortOid(f.commit)} "${f.subject}" on ${f.branch} matches ${plural(f.sessions.length, 'session')} by ${f.via} (${f.sessions.map(shortId).join(', ')}): never a guess`);
  for (const f of r.partial) out.push(`not linked: ${shortOid(f.commit)} "${f.subject}" on ${f.branch} nearly matches session ${f.sessions.map(shortId).join(', ')} (its files or its goal, but neither its tree nor its patch-id)`);
  for (const f of r.unknown) out.push(`${shortOid(f.commit)} "${f.subject}" names ${f.sessions.map(shortId).join(', ')}, not in this repository (git session pull, then git session reconcile --rescan)`);
  return out;
}

