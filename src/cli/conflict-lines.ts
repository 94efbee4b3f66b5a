import { shortId } from '../core/ids.js';
import { plural, shortOid } from '../core/text.js';
import type { ConflictView, DecisionView } from '../repo/conflict-context.js';
import type { Paint } from './output.js';

function decisionLines(ds: DecisionView[], indent: string, paint: Paint): string[] {
  const out: string[] = [];
  for (const d of ds) {
    out.push(`${indent}${paint('green', '✔')} ${d.chosen}${d.rationale ? ` — ${d.rationale}` : ''}`);
    for (const r of d.rejected) out.push(`${indent}  ${paint('red', '✘')} ${r.option}: ${r.reason}`);
  }
  return out;
}

/** A conflicted session for people: each path, its marker lines, and why each side changed it. */
export function conflictLines(v: ConflictView, paint: Paint): string[] {
  const lines = [
    `${paint('red', 'conflicted')} in ${plural(v.paths.length, 'path')} (sync from ${shortOid(v.range.from)} onto ${shortOid(v.range.to)})${v.worktree ? `, markers in ${v.worktree}` : ''}:`,
  ];
  for (const p of v.paths) {
    const where = p.markers.length ? `lines ${p.markers.map((m) => `${m.start}-${m.end}`).join(', ')}` : 'no markers (take a side or edit, then resolve it by name)';
    lines.push(`  ${paint('bold', p.path)}  ${where}`);
    for (const t of p.theirs) {
      if (t.session) {
        lines.push(`    theirs: ${shortOid(t.commit)} session ${paint('yellow', shortId(t.session.id))} "${t.session.goal}"`);
        lines.push(...decisionLines(t.session.decisions, '      ', paint));
      } else lines.push(`    theirs: ${shortOid(t.commit)} plain commit "${t.subject}"`);
    }
    lines.push(`    ours:   session ${paint('yellow', shortId(p.ours.session))} "${p.ours.goal}"`);
    lines.push(...decisionLines(p.ours.decisions, '      ', paint));
  }
  lines.push('edit the files, then `git session resolve` (or `resolve --take ours|theirs <path>`); `git session sync --abort` goes back');
  return lines;
}
