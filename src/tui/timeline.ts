// Lays a session's events out as styled lines for the timeline pane. Each event is a
// block: a dated rule when the day changes, a header line (time, kind, the essentials), an
// indented body, then a blank line. Blocks are laid out lazily, when scrolling reaches them,
// and cached per width: opening a session with 100,000 events lays out one screenful.
// Scroll positions are anchors (event, line inside its block), so rewrapping on resize or
// expanding output keeps the reader on the same event.
import type { StoredEvent, Role, EventOf, ToolCall } from '../core/types.js';
import { describeForeign } from '../core/describe.js';
import { type Line, type Seg, seg, hanging } from './lines.js';
import { plural, commandLine, shortOid } from '../core/text.js';
import { authorName, clockTime, day, duration } from './format.js';
import { oneLine, truncate } from './text.js';
import type { StyleKey } from './theme.js';
import { verdictLine } from '../core/attest/describe.js';
import type { CheckVerdict } from '../core/attest/verify.js';

export interface TimelineOptions {
  /** show tool output, check output and snapshot file lists in full */
  expand: boolean;
  /** events the session keeps as data but does not obey (the summary's `flagged`), by id, with why */
  flagged?: ReadonlyMap<string, string>;
  /** signed checks judged, by event id (who signed, on which tree, or why not) */
  verdicts?: ReadonlyMap<string, CheckVerdict>;
}

/** A scroll position: the first visible line is line `offset` of event `event`'s block. */
export interface Anchor {
  event: number;
  offset: number;
}

const GUTTER = 6; // "14:05 "
const PAD: Line = [seg(' '.repeat(GUTTER))];
const COLLAPSED_TOOL_LINES = 4;
const COLLAPSED_CHECK_LINES = 8;
const COLLAPSED_FILES = 6;

const ROLE_STYLE: Record<Role, StyleKey> = { user: 'user', agent: 'agent', tool: 'tool', system: 'system' };

/** The events of one session laid out at one width, block by block on demand. */
export class Timeline {
  private readonly blocks: (Line[] | undefined)[];
  private readonly w: number;

  constructor(
    readonly events: readonly StoredEvent[],
    readonly width: number,
    readonly opts: TimelineOptions,
  ) {
    this.blocks = new Array<Line[] | undefined>(events.length);
    this.w = Math.max(GUTTER + 10, width);
  }

  get count(): number {
    return this.events.length;
  }

  /** The lines of event `i`'s block (never empty: at least its header and a blank line). */
  block(i: number): Line[] {
    let b = this.blocks[i];
    if (!b) {
      b = [];
      const e = this.events[i];
      const d = day(e.ts);
      if (d && (i === 0 || day(this.events[i - 1].ts) !== d)) {
        const label = ` ${d} `;
        b.push([seg('──' + label + '─'.repeat(Math.max(0, Math.min(this.w, 60) - label.length - 2)), 'dim')]);
      }
      for (const l of eventBlock(e, this.w, this.opts)) b.push(l);
      const why = e.kind !== 'foreign' ? this.opts.flagged?.get(e.id) : undefined;
      if (why) b.push(...hanging(PAD, PAD, [seg(`! not obeyed: ${why}`, 'fail')], this.w));
      b.push([]);
      this.blocks[i] = b;
    }
    return b;
  }

  blockLength(i: number): number {
    return this.block(i).length;
  }

  /** `rows` lines starting at `a` (fewer at the end of the timeline). */
  window(a: Anchor, rows: number): Line[] {
    const out: Line[] = [];
    for (let e = a.event, o = a.offset; e < this.count && out.length < rows; e++, o = 0) {
      const b = this.block(e);
      for (let k = Math.max(0, o); k < b.length && out.length < rows; k++) out.push(b[k]);
    }
    return out;
  }
}

/** The whole layout at once, with the first line of every block (tests, exports). */
export function layoutTimeline(events: readonly StoredEvent[], width: number, opts: TimelineOptions): { lines: Line[]; starts: number[] } {
  const t = new Timeline(events, width, opts);
  const lines: Line[] = [];
  const starts: number[] = [];
  for (let i = 0; i < t.count; i++) {
    starts.push(lines.length);
    lines.push(...t.block(i));
  }
  return { lines, starts };
}

/** Header line: time gutter, glyph and label, then extra segments; wrapped under the label. */
function header(e: StoredEvent, label: Seg, extra: Seg[], width: number): Line[] {
  const red = e.kind !== 'foreign' && e.redacted?.length ? [seg(`  [redacted: ${e.redacted.map(oneLine).join(', ')}]`, 'warn')] : [];
  return hanging([seg(clockTime(e.ts) + ' ', 'dim')], PAD, [label, ...extra, ...red], width);
}

function body(text: string, width: number, style?: StyleKey): Line[] {
  return hanging(PAD, PAD, [seg(text, style)], width);
}

function collapse(lines: Line[], max: number, expand: boolean, keepEnd = false): Line[] {
  if (expand || lines.length <= max) return lines;
  const hidden = lines.length - max;
  const note = [...PAD, seg(`… ${plural(hidden, 'more line')} (e expands)`, 'dim')];
  return keepEnd ? [note, ...lines.slice(lines.length - max)] : [...lines.slice(0, max), note];
}

function eventBlock(e: StoredEvent, w: number, opts: TimelineOptions): Line[] {
  switch (e.kind) {
    case 'start': {
      const extra = [seg(' onto ', 'dim'), seg(oneLine(e.target)), seg(' at ', 'dim'), seg(shortOid(e.base))];
      extra.push(seg(' by ', 'dim'), seg(authorName(e.author)));
      if (e.agent) extra.push(seg(' with ', 'dim'), seg(oneLine(e.agent.name) + (e.agent.model ? ` (${oneLine(e.agent.model)})` : '')));
      // the goal is in the session header already
      return header(e, seg('● started', 'accent'), extra, w);
    }
    case 'prompt':
      return [...header(e, seg('▶ prompt', 'prompt'), [], w), ...body(e.text, w)];
    case 'message': {
      if (e.tool) return toolCall(e, e.tool, w, opts.expand);
      const who = [e.role, e.name && e.name !== e.role ? oneLine(e.name) : '', e.model ? `(${oneLine(e.model)})` : '']
        .filter(Boolean)
        .join(' ');
      const lines = body(e.text, w, e.role === 'tool' ? 'dim' : undefined);
      return [
        ...header(e, seg(`◆ ${who}`, ROLE_STYLE[e.role] ?? 'bold'), [], w),
        ...(e.role === 'tool' ? collapse(lines, COLLAPSED_TOOL_LINES, opts.expand) : lines),
      ];
    }
    case 'decision':
      return decision(e, w);
    case 'note':
      return [...header(e, seg('✎ note', 'bold'), [], w), ...body(e.text, w)];
    case 'feedback': {
      const where = e.file ? [seg('  '), seg(oneLine(e.file) + (e.line ? `:${e.line}` : ''), 'accent')] : [];
      return [...header(e, seg('✉ feedback', 'warn'), where, w), ...body(e.text, w)];
    }
    case 'check': {
      const ok = e.exitCode === 0;
      const extra = [
        seg(`  exit ${e.exitCode}`, ok ? 'ok' : 'fail'),
        seg(`  ${duration(e.durationMs)}`, 'dim'),
        seg('  $ ', 'dim'),
        seg(oneLine(commandLine(e.command))),
      ];
      const v = opts.verdicts?.get(e.id);
      const signed: Line[] = v && v.status !== 'unsigned'
        ? hanging([...PAD], [...PAD, seg('  ')], [seg(oneLine(verdictLine(v)), v.status === 'valid' ? (v.passed ? 'ok' : 'fail') : v.status === 'invalid' ? 'fail' : 'warn')], w)
        : [];
      const head = [...header(e, seg(ok ? '✓ check' : '✗ check', ok ? 'ok' : 'fail'), extra, w), ...signed];
      const out = e.output.replace(/\s+$/, '');
      if (!out) return head;
      const lines = body(out, w, 'dim');
      if (ok && !opts.expand) return [...head, [...PAD, seg(`${plural(lines.length, 'line')} of output (e expands)`, 'dim')]];
      return [...head, ...collapse(lines, COLLAPSED_CHECK_LINES, opts.expand, true)];
    }
    case 'snapshot': {
      const head = header(e, seg('◉ snapshot', 'accent'), [seg(' ' + shortOid(e.commit)), seg('  ' + oneLine(e.message), 'dim')], w);
      return [...head, ...fileList(e.files, w, opts.expand)];
    }
    case 'conflict': {
      const head = header(e, seg(`✗ conflict during ${e.during}`, 'fail'), [], w);
      const lines = [
        ...hanging([...PAD, seg('files   ', 'dim')], [...PAD, seg('        ')], [seg(e.files.map(oneLine).join(', '))], w),
      ];
      if (e.commits.length)
        lines.push(...hanging([...PAD, seg('commits ', 'dim')], [...PAD, seg('        ')], [seg(e.commits.map(shortOid).join(', '))], w));
      if (e.detail) lines.push(...body(e.detail, w, 'dim'));
      return [...head, ...lines];
    }
    case 'land':
      return header(
        e,
        seg('⇒ landed', 'landed'),
        [seg(' ' + shortOid(e.commit)), seg(' onto ', 'dim'), seg(oneLine(e.target)), seg(` (${e.strategy}${e.via ? `; found by ${e.via}` : ''})`, 'dim')],
        w,
      );
    case 'landing': {
      // A further landing: the same work in another commit (rewritten, cherry-picked, found on a branch).
      const label = e.via === 'rewrite' ? '⇒ rewritten' : e.via === 'cherry-pick' ? '⇒ cherry-picked' : '⇒ also landed';
      const extra = [...(e.from ? [seg(' ' + shortOid(e.from)), seg(' →', 'dim')] : []), seg(' ' + shortOid(e.commit))];
      if (e.branch) extra.push(seg(' on ', 'dim'), seg(oneLine(e.branch)));
      if (e.via !== 'rewrite' && e.via !== 'cherry-pick') extra.push(seg(` (found by ${e.via})`, 'dim'));
      return header(e, seg(label, 'landed'), extra, w);
    }
    case 'export':
      return header(e, seg('⇗ exported', 'accent'), [seg(' to '), seg(oneLine(e.branch)), seg(' at ', 'dim'), seg(shortOid(e.tip))], w);
    case 'import': {
      const extra = [seg(` ${plural(e.count, 'event')} from `, 'dim'), seg(oneLine(e.source))];
      if (e.format) extra.push(seg(` (${oneLine(e.format)})`, 'dim'));
      if (e.commits?.length) extra.push(seg(` · ${plural(e.commits.length, 'commit')}`, 'dim'));
      return header(e, seg('⇐ imported', 'accent'), extra, w);
    }
    case 'sync':
      return header(e, seg('↻ synced', 'accent'), [seg(' base '), seg(shortOid(e.from)), seg(' → ', 'dim'), seg(shortOid(e.to))], w);
    case 'abandon':
      return [...header(e, seg('✗ abandoned', 'abandoned'), [], w), ...(e.reason ? body(e.reason, w) : [])];
    case 'resolution':
      return [
        ...header(e, seg('✓ resolved', 'ok'), [seg(` ${plural(e.paths.length, 'path')}`, 'dim')], w),
        ...hanging([...PAD, seg('files   ', 'dim')], [...PAD, seg('        ')], [seg(e.paths.map((p) => `${oneLine(p.path)} (${p.how})`).join(', '))], w),
      ];
    case 'undo':
      return header(e, seg('↶ undo', 'warn'), [seg(` ${oneLine(e.op)} `), seg(e.of.slice(0, 12), 'dim')], w);
    case 'private':
      return header(e, seg(e.private ? '◌ private' : '◌ public', 'dim'), [seg(e.private ? ' never published' : ' publishable again', 'dim')], w);
    case 'foreign':
      // kept as data: an invalid event, or a kind this version does not know
      return [...header(e, seg(`? ${oneLine(e.type || 'event')}`, e.invalid ? 'fail' : 'dim'), [], w), ...body(describeForeign(e), w, 'dim')];
  }
}

/**
 * A tool call captured from an agent's hook: one line (tool, what it was asked, how it
 * ended) until expanded (`e`), then its output and the files it edited.
 */
function toolCall(e: StoredEvent, t: ToolCall, w: number, expand: boolean): Line[] {
  const size = t.bytes ?? (t.output ? Buffer.byteLength(t.output) : 0);
  const extra = [
    seg('  ' + oneLine(t.input || ''), 'dim'),
    seg(t.error ? '  failed' : '', 'fail'),
    seg(!expand && (size || t.files?.length) ? `  ${[size ? `${size} B` : '', t.files?.length ? plural(t.files.length, 'file') : ''].filter(Boolean).join(', ')} (e expands)` : '', 'dim'),
  ].filter((x) => x.text);
  const name = e.kind === 'message' && e.name ? oneLine(e.name) : 'tool';
  const head = header(e, seg(`◆ ${name}`, 'tool'), extra, w);
  if (!expand) return head;
  const out = (t.output ?? '').replace(/\s+$/, '');
  const files = (t.files ?? []).map((f): Line => [...PAD, seg('edited ', 'dim'), seg(truncate(oneLine(f), w - GUTTER - 8))]);
  const note = t.cut && t.bytes ? [[...PAD, seg(`(output cut: ${t.bytes} B in all)`, 'dim')] as Line] : [];
  return [...head, ...files, ...(out ? body(out, w, 'dim') : []), ...note];
}

function decision(e: EventOf<'decision'>, w: number): Line[] {
  const out = header(e, seg('◇ decision', 'decision'), e.agent ? [seg(` by ${oneLine(e.agent.name)}`, 'dim')] : [], w);
  const ind = [...PAD, seg('  ')];
  out.push(...hanging([...PAD, seg('✓ ', 'chosen')], ind, [seg(e.chosen, 'chosen')], w));
  for (const r of e.rejected) {
    const because = r.reason.trim() ? [seg(' — ', 'dim'), seg(r.reason)] : [];
    out.push(...hanging([...PAD, seg('✗ ', 'rejected')], ind, [seg(r.option, 'rejected'), ...because], w));
  }
  if (e.rationale.trim()) {
    out.push(...hanging([...PAD, seg('why ', 'dim')], [...PAD, seg('    ')], [seg(e.rationale)], w));
  }
  return out;
}

function fileList(files: { path: string; status: string }[], w: number, expand: boolean): Line[] {
  const shown = expand ? files : files.slice(0, COLLAPSED_FILES);
  const lines: Line[] = shown.map((f) => [
    ...PAD,
    seg(padStatus(f.status) + ' ', statusStyle(f.status)),
    seg(truncate(oneLine(f.path), w - GUTTER - 3)),
  ]);
  if (shown.length < files.length) lines.push([...PAD, seg(`… ${plural(files.length - shown.length, 'more file')} (e expands)`, 'dim')]);
  return lines;
}

function padStatus(s: string): string {
  return (oneLine(s).slice(0, 1) || '?').padEnd(1);
}

export function statusStyle(status: string): StyleKey {
  switch (status[0]) {
    case 'A':
      return 'add';
    case 'D':
      return 'del';
    case 'R':
    case 'C':
      return 'accent';
    default:
      return 'warn';
  }
}
