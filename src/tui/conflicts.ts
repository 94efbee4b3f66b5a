// A conflicted session in the browser: a banner under the header (each path and where its
// markers are, always on screen while conflicted) and the conflicts pane (`c`): per path,
// the marker ranges, then why the other side changed it (the landed session's goal and the
// decisions that touched the path, or the plain commit's subject) and why this session did.
// Pure: the view comes from BrowseData; every string goes through the sanitizer (lines.ts).
import { shortId } from '../core/ids.js';
import { plural, shortOid } from '../core/text.js';
import type { ConflictView, DecisionView } from '../repo/conflict-context.js';
import { type Line, type Seg, ellipsize, hanging, seg } from './lines.js';
import { oneLine } from './text.js';

/** Where a path's markers are, as `status` and `conflicts` word it. */
function where(p: ConflictView['paths'][number]): string {
  return p.markers.length ? `lines ${p.markers.map((m) => `${m.start}-${m.end}`).join(', ')}` : 'no markers';
}

/** The banner: the conflicted paths with their marker ranges, and the key that explains them. */
export function conflictBanner(v: ConflictView, width: number): Line[] {
  const body: Seg[] = [];
  v.paths.forEach((p, i) => {
    if (i) body.push(seg(' · ', 'dim'));
    body.push(seg(oneLine(p.path), 'bold'), seg(` ${where(p)}`, 'dim'));
  });
  body.push(seg('  (c: why)', 'dim'));
  const lines = hanging([seg('  conflicts ', 'conflicted')], [seg('  ')], body, width);
  return lines.length > 2 ? [lines[0], ellipsize(lines[1], width)] : lines;
}

function decisions(ds: DecisionView[], width: number): Line[] {
  const out: Line[] = [];
  for (const d of ds) {
    const why = d.rationale.trim() ? [seg(' — ', 'dim'), seg(d.rationale)] : [];
    out.push(...hanging([seg('      ✓ ', 'chosen')], [seg('        ')], [seg(d.chosen, 'chosen'), ...why], width));
    for (const r of d.rejected) {
      const because = r.reason.trim() ? [seg(' — ', 'dim'), seg(r.reason)] : [];
      out.push(...hanging([seg('        ✗ ', 'rejected')], [seg('          ')], [seg(r.option, 'rejected'), ...because], width));
    }
  }
  return out;
}

/** The conflicts pane's lines at `width`: each path, its markers, theirs then ours with their reasoning. */
export function conflictPaneLines(v: ConflictView, width: number): Line[] {
  const out: Line[] = [];
  const head = `sync from ${shortOid(v.range.from)} onto ${shortOid(v.range.to)}${v.worktree ? `, markers in ${v.worktree}` : ''}`;
  out.push(...hanging([seg(`${plural(v.paths.length, 'path')} conflicted  `, 'conflicted')], [seg('  ')], [seg(head, 'dim')], width));
  for (const p of v.paths) {
    out.push([]);
    const marks = p.markers.length ? where(p) : 'no markers: take a side or edit, then resolve it by name';
    out.push(...hanging([seg('  ')], [seg('    ')], [seg(p.path, 'bold'), seg(`  ${marks}`, 'dim')], width));
    if (!p.theirs.length) out.push([seg('    theirs  ', 'dim'), seg('no landed change found in the synced range', 'dim')]);
    for (const t of p.theirs) {
      if (t.session) {
        out.push(...hanging([seg('    theirs  ', 'dim'), seg(shortOid(t.commit), 'landed'), seg(' session ', 'dim'), seg(shortId(t.session.id), 'accent'), seg(' ')], [seg('            ')], [seg(t.session.goal, 'bold')], width));
        out.push(...decisions(t.session.decisions, width));
      } else out.push(...hanging([seg('    theirs  ', 'dim'), seg(shortOid(t.commit), 'landed'), seg(' plain commit ', 'dim')], [seg('            ')], [seg(t.subject)], width));
    }
    out.push(...hanging([seg('    ours    ', 'dim'), seg('session ', 'dim'), seg(shortId(p.ours.session), 'accent'), seg(' ')], [seg('            ')], [seg(p.ours.goal, 'bold')], width));
    out.push(...decisions(p.ours.decisions, width));
  }
  out.push([]);
  out.push(...hanging([seg('  ')], [seg('  ')], [seg('edit the files, then `git session resolve` (or `resolve --take ours|theirs <path>`); `git session sync --abort` goes back', 'dim')], width));
  return out;
}
