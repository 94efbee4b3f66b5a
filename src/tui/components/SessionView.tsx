// One session: header (goal, state, target, base, landed commit), the timeline pane and the
// files pane, or the diff of one file in place of both. Pure: layouts come in as lines and
// only the visible window of each pane is rendered.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { FileChange, SessionSummary } from '../../core/types.js';
import type { SessionGeometry } from '../geometry.js';
import type { Loaded } from '../hooks.js';
import { type Line, seg, hanging, ellipsize } from '../lines.js';
import type { SessionUiState } from '../state/session.js';
import { statusStyle } from '../timeline.js';
import { plural, shortOid } from '../../core/text.js';
import { agentLabel, authorName, relativeAge, stateGlyph } from '../format.js';
import { type Theme, textStyle } from '../theme.js';
import { displayWidth, oneLine, padEnd, skipColumns, truncate, truncateStart } from '../text.js';
import { LineBlock, Message, Rule, StatusBar, StyledLine } from './common.js';

/** Header lines: state and goal (wrapped, three lines at most), then two lines of facts. */
export function sessionHeader(s: SessionSummary | undefined, id: string, width: number, now: number): Line[] {
  if (!s) return [[seg(truncate(`session ${id}`, width), 'bold')]];
  const goal = hanging([seg(`${stateGlyph(s.state)} ${s.state}  `, s.state)], [seg(' '.repeat(s.state.length + 4))], [seg(oneLine(s.goal), 'bold')], width);
  if (goal.length > 3) goal.splice(2, goal.length - 2, ellipsize(goal[2], width));
  const where: Line = [seg(s.id, 'dim'), seg('  '), seg(oneLine(s.target), 'accent'), seg(' ← ', 'dim'), seg(shortOid(s.base))];
  if (s.landed) {
    // The commit as it is now on the target (followed through amends and rebases), and how many more carry the work.
    const more = s.landings?.length ? `, +${s.landings.length} landing${s.landings.length === 1 ? '' : 's'}` : '';
    where.push(seg('  landed ', 'dim'), seg(shortOid(s.landed.commit), 'landed'), seg(` (${s.landed.strategy}${s.landed.via ? ` by ${s.landed.via}` : ''}${more})`, 'dim'));
  }
  const who: Line = [seg(authorName(s.author))];
  const agent = agentLabel(s.agent);
  if (agent) who.push(seg('  ' + agent, 'accent'));
  who.push(seg(`  started ${relativeAge(s.createdAt, now)} ago, active ${relativeAge(s.updatedAt, now)} ago`, 'dim'));
  return [...goal, clip(where, width), clip(who, width)];
}

/** `line` cut to `width` columns, segment by segment. */
export function clip(line: Line, width: number): Line {
  const out: Line = [];
  let room = width;
  for (const s of line) {
    if (room <= 0) break;
    const w = displayWidth(s.text);
    if (w <= room) {
      out.push(s);
      room -= w;
    } else {
      out.push({ ...s, text: truncate(s.text, room) });
      room = 0;
    }
  }
  return out;
}

export interface DiffPane {
  path: string;
  lines: Loaded<Line[]>;
  added: number;
  deleted: number;
}

/** The conflicts pane: its lines laid out at the frame's width, scrolled to `top`. */
export interface ConflictsPane {
  lines: Line[];
  top: number;
}

export interface SessionViewProps {
  geometry: SessionGeometry;
  theme: Theme;
  header: Line[];
  ui: SessionUiState;
  /** the timeline: status and, when ready, the lines on screen and the event at the top */
  timeline: Loaded<{ lines: Line[]; event: number; events: number }>;
  files: Loaded<FileChange[]>;
  diff: DiffPane | null;
  /** shown in place of the body while open (conflicted sessions, `c`) */
  conflicts?: ConflictsPane | null;
}

/** A pane under a titled rule; the rest of its height holds the content, clipped. */
function TitledPane(props: { title: string; focused: boolean; width: number; height: number; theme: Theme; children: ReactNode }) {
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Rule title={props.title} width={props.width} theme={props.theme} style={props.focused ? 'title' : 'dim'} />
      <Box flexDirection="column" height={Math.max(0, props.height - 1)} overflow="hidden">
        {props.children}
      </Box>
    </Box>
  );
}

function TimelinePane({ p, width, height }: { p: SessionViewProps; width: number; height: number }) {
  const t = p.timeline;
  const rows = Math.max(0, height - 1);
  const focused = p.ui.focus === 'timeline' && !p.diff;
  let content;
  if (t.status === 'loading') content = <Message text="loading events…" style="dim" width={width} theme={p.theme} />;
  else if (t.status === 'error') content = <Message text={`cannot load events: ${t.error}`} style="fail" width={width} theme={p.theme} />;
  else if (!t.value.events) content = <Message text="no events" style="dim" width={width} theme={p.theme} />;
  else content = <LineBlock lines={t.value.lines} height={rows} width={width} theme={p.theme} />;
  const title = t.status === 'ready' ? `timeline ${plural(t.value.events, 'event')}` : 'timeline';
  return (
    <TitledPane title={title} focused={focused} width={width} height={height} theme={p.theme}>
      {content}
    </TitledPane>
  );
}

export function fileLine(f: FileChange, width: number, selected: boolean): Line {
  return [
    seg(selected ? '› ' : '  ', 'bold'),
    seg((oneLine(f.status).slice(0, 1) || '?') + ' ', statusStyle(f.status)),
    seg(padEnd(truncateStart(oneLine(f.path), Math.max(1, width - 4)), Math.max(1, width - 4))),
  ];
}

function FilesPane({ p, width, height }: { p: SessionViewProps; width: number; height: number }) {
  const focused = p.ui.focus === 'files';
  const f = p.files;
  const title = f.status === 'ready' ? `files ${f.value.length}` : 'files';
  const rows = Math.max(0, height - 1);
  let content;
  if (f.status === 'loading') content = <Message text="loading files…" style="dim" width={width} theme={p.theme} />;
  else if (f.status === 'error') content = <Message text={`cannot list files: ${f.error}`} style="fail" width={width} theme={p.theme} />;
  else if (!f.value.length) content = <Message text="no files changed" style="dim" width={width} theme={p.theme} />;
  else
    content = f.value.slice(p.ui.fileTop, p.ui.fileTop + rows).map((file, i) => {
      const selected = p.ui.fileTop + i === p.ui.fileCursor;
      return (
        <StyledLine key={i} line={fileLine(file, width, selected && focused)} theme={p.theme} inverse={selected && focused} />
      );
    });
  return (
    <TitledPane title={title} focused={focused} width={width} height={height} theme={p.theme}>
      {content}
    </TitledPane>
  );
}

function DiffBody({ p, d, width, height }: { p: SessionViewProps; d: DiffPane; width: number; height: number }) {
  const ui = p.ui.diff!;
  const stat = d.lines.status === 'ready' ? `  +${d.added} -${d.deleted}` : '';
  let content;
  if (d.lines.status === 'loading') content = <Message text="loading diff…" style="dim" width={width} theme={p.theme} />;
  else if (d.lines.status === 'error') content = <Message text={`cannot load diff: ${d.lines.error}`} style="fail" width={width} theme={p.theme} />;
  else if (!d.lines.value.length) content = <Message text="no textual changes" style="dim" width={width} theme={p.theme} />;
  else {
    const visible = d.lines.value.slice(ui.top, ui.top + height - 1).map((l) => panLine(l, ui.left, width));
    content = <LineBlock lines={visible} height={height - 1} width={width} theme={p.theme} />;
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Rule title={`diff ${truncateStart(oneLine(d.path), Math.max(8, width - 30))}${stat}`} width={width} theme={p.theme} style="title" />
      {content}
    </Box>
  );
}

function ConflictsBody({ p, c, width, height }: { p: SessionViewProps; c: ConflictsPane; width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Rule title="conflicts: why each side changed these paths" width={width} theme={p.theme} style="title" />
      <LineBlock lines={c.lines.slice(c.top, c.top + height - 1)} height={height - 1} width={width} theme={p.theme} />
    </Box>
  );
}

/** A diff line scrolled `left` columns and cut to `width` (with a marker where it goes on). */
export function panLine(l: Line, left: number, width: number): Line {
  if (!l.length) return l;
  const s = l[0];
  const text = skipColumns(s.text, left);
  return [{ ...s, text: truncate(text, width) }];
}

export function SessionView(p: SessionViewProps) {
  const g = p.geometry;
  const { theme } = p;
  let body;
  if (p.conflicts) body = <ConflictsBody p={p} c={p.conflicts} width={g.width} height={g.body} />;
  else if (p.diff) body = <DiffBody p={p} d={p.diff} width={g.width} height={g.body} />;
  else if (g.side)
    body = (
      <Box flexDirection="row" height={g.body}>
        <Box width={g.timelineWidth} height={g.body}>
          <TimelinePane p={p} width={g.timelineWidth} height={g.timelineHeight} />
        </Box>
        <Box width={1} height={g.body} flexDirection="column">
          <Text {...textStyle('dim', theme)}>{'│\n'.repeat(g.body).slice(0, -1)}</Text>
        </Box>
        <FilesPane p={p} width={g.filesWidth} height={g.filesHeight} />
      </Box>
    );
  else
    body = (
      <Box flexDirection="column" height={g.body}>
        <TimelinePane p={p} width={g.timelineWidth} height={g.timelineHeight} />
        <FilesPane p={p} width={g.filesWidth} height={g.filesHeight} />
      </Box>
    );
  return (
    <Box flexDirection="column" width={g.width} height={g.height}>
      <LineBlock lines={p.header} height={p.header.length} width={g.width} theme={theme} />
      {body}
      <StatusBar hints={hintsFor(p)} right={positionFor(p)} width={g.width} theme={theme} />
    </Box>
  );
}

function hintsFor(p: SessionViewProps): string {
  if (p.conflicts) return 'j/k scroll  space/b page  esc back  ? help';
  if (p.diff) return 'j/k scroll  space/b page  h/l pan  esc back  ? help';
  if (p.ui.focus === 'files') return 'j/k file  enter diff  tab timeline  esc back  ? help';
  return 'j/k space  [ ] event  e expand  tab files  esc back  ? help';
}

function positionFor(p: SessionViewProps): string {
  if (p.conflicts) return p.conflicts.lines.length ? `${Math.min(p.conflicts.lines.length, p.conflicts.top + 1)}/${p.conflicts.lines.length}` : '';
  if (p.diff) {
    const d = p.diff.lines;
    if (d.status !== 'ready' || !d.value.length) return '';
    const ui = p.ui.diff!;
    return `${Math.min(d.value.length, ui.top + 1)}/${d.value.length}${ui.left ? ` col ${ui.left + 1}` : ''}`;
  }
  if (p.ui.focus === 'files' && p.files.status === 'ready' && p.files.value.length)
    return `file ${p.ui.fileCursor + 1}/${p.files.value.length}`;
  const t = p.timeline;
  if (t.status !== 'ready' || !t.value.events) return '';
  return `event ${t.value.event + 1}/${t.value.events}${p.ui.expand ? '  expanded' : ''}`;
}
