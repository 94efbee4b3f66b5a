// git's conflict markers (diff3 style, as `merge.conflictStyle=diff3` writes them), read
// as data: where each conflict is in a file, so a person or an agent can jump to it, and
// whether any is left (a path counts as resolved only when none is).

/** Lines [first, last], 1-based and inclusive; first > last means the section is empty. */
export type LineRange = [number, number];

/** One conflict in a file: the whole marked region and each side's lines inside it. */
export interface MarkerHunk {
  /** The `<<<<<<<` line and the `>>>>>>>` line. */
  start: number;
  end: number;
  /** Lines of the first side (the session's version). */
  ours: LineRange;
  /** Lines of the common ancestor (diff3 style only). */
  base?: LineRange;
  /** Lines of the second side (the target's version). */
  theirs: LineRange;
}

// git's default marker size is 7; a longer run is the same marker for a bigger size.
const OPEN = /^<{7,}(?: |$)/;
const BASE = /^\|{7,}(?: |$)/;
const SPLIT = /^={7,}$/;
const CLOSE = /^>{7,}(?: |$)/;

/** The conflicts marked in `text`, in order; a region without all its markers is not one. */
export function findMarkers(text: string): MarkerHunk[] {
  const lines = text.split('\n');
  const out: MarkerHunk[] = [];
  let open: { start: number; base?: number; split?: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    if (OPEN.test(line)) open = { start: n };
    else if (open && open.split === undefined && open.base === undefined && BASE.test(line)) open.base = n;
    else if (open && open.split === undefined && SPLIT.test(line)) open.split = n;
    else if (open && open.split !== undefined && CLOSE.test(line)) {
      const oursEnd = (open.base ?? open.split) - 1;
      out.push({
        start: open.start,
        end: n,
        ours: [open.start + 1, oursEnd],
        ...(open.base !== undefined ? { base: [open.base + 1, open.split - 1] as LineRange } : {}),
        theirs: [open.split + 1, n - 1],
      });
      open = undefined;
    }
  });
  return out;
}

/** True when `text` still holds a complete conflict marker region. */
export function hasMarkers(text: string): boolean {
  return findMarkers(text).length > 0;
}

/**
 * Renames the labels git put after the markers (`<<<<<<< <rev>`, `||||||| <rev>`,
 * `>>>>>>> <rev>`) when they are exactly the given revisions: merges run on unnamed
 * commits, and people want to read "session" and "main", not object ids.
 */
export function relabelMarkers(text: string, from: { ours: string; base: string; theirs: string }, to: { ours: string; base: string; theirs: string }): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^(<{7,}|\|{7,}|>{7,}) (.*?)(\r?)$/.exec(line);
      if (!m) return line;
      const [, mark, label, cr] = m;
      const side = mark[0] === '<' ? 'ours' : mark[0] === '|' ? 'base' : 'theirs';
      const known = side === 'base' ? from.base.startsWith(label) && label.length >= 4 : label === from[side];
      return known ? `${mark} ${to[side]}${cr}` : line;
    })
    .join('\n');
}
