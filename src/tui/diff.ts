// Unified diff text → styled lines (pure). Header lines are told apart from content by a
// small state machine: "--- a/x" is a header before the first hunk and a deleted line
// starting with "-- " inside one.
import { type Line, seg } from './lines.js';
import { clean } from './text.js';
import type { StyleKey } from './theme.js';

export function diffLines(text: string): Line[] {
  const raw = clean(text).replace(/\n$/, '');
  if (!raw) return [];
  let inHunk = false;
  const out: Line[] = [];
  for (const l of raw.split('\n')) {
    let style: StyleKey | undefined;
    if (l.startsWith('diff --git ') || l.startsWith('diff --cc ')) {
      inHunk = false;
      style = 'meta';
    } else if (l.startsWith('@@')) {
      inHunk = true;
      style = 'hunk';
    } else if (!inHunk) {
      style = 'meta';
    } else if (l.startsWith('+')) style = 'add';
    else if (l.startsWith('-')) style = 'del';
    else if (l.startsWith('\\')) style = 'dim';
    out.push(l ? [seg(l, style)] : []);
  }
  return out;
}

/** Lines added and deleted, for the pane title. */
export function diffStat(lines: Line[]): { added: number; deleted: number } {
  let added = 0;
  let deleted = 0;
  for (const l of lines) {
    const s = l[0]?.style;
    if (s === 'add') added++;
    else if (s === 'del') deleted++;
  }
  return { added, deleted };
}
