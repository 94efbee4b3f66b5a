// The session list: a title line, column header, one window of rows (only what fits on
// screen is rendered, whatever the number of sessions), the selected session's detail and
// a status line. Pure: everything comes in through props.
import { Box, Text } from 'ink';
import type { DamagedSession, SessionSummary } from '../../core/types.js';
import { ACTIVE_WIDTH, type ListColumns, type ListGeometry, listColumns } from '../geometry.js';
import { type Line, seg, hanging, ellipsize } from '../lines.js';
import type { SearchState, StateFilter } from '../state/list.js';
import { plural, shortOid } from '../../core/text.js';
import { agentLabel, authorName, relativeAge, stateGlyph } from '../format.js';
import { type Theme, textStyle } from '../theme.js';
import { oneLine, padEnd, padStart, truncate, truncateStart } from '../text.js';
import { LineBlock, Message, Rule, StatusBar, StyledLine } from './common.js';

export interface ListViewProps {
  geometry: ListGeometry;
  theme: Theme;
  now: number;
  /** null while the catalog loads */
  total: number | null;
  error: string | null;
  visible: SessionSummary[];
  cursor: number;
  top: number;
  filter: StateFilter;
  search: SearchState;
  /** sessions that cannot be read: named in the title line with why */
  damaged?: DamagedSession[];
}

export function rowLine(s: SessionSummary, cols: ListColumns, now: number, selected: boolean): Line {
  const line: Line = [
    seg(selected ? '› ' : '  ', 'bold'),
    seg(padEnd(s.state, 9), s.state),
    seg(' ' + padEnd(oneLine(s.goal), cols.goal) + ' '),
  ];
  if (cols.agent) line.push(seg(padEnd(agentLabel(s.agent) || '-', cols.agent) + ' ', 'dim'));
  if (cols.author) line.push(seg(padEnd(authorName(s.author), cols.author) + ' '));
  line.push(
    seg(padStart(relativeAge(s.updatedAt, now), ACTIVE_WIDTH) + ' ', 'dim'),
    seg(padStart(String(s.events), 6) + ' ' + padStart(String(s.files), 5)),
  );
  return line;
}

function headerLine(cols: ListColumns): string {
  let h = '  ' + padEnd('STATE', 9) + ' ' + padEnd('GOAL', cols.goal) + ' ';
  if (cols.agent) h += padEnd('AGENT/MODEL', cols.agent) + ' ';
  if (cols.author) h += padEnd('AUTHOR', cols.author) + ' ';
  return h + padStart('ACTIVE', ACTIVE_WIDTH) + ' ' + padStart('EVENTS', 6) + ' ' + padStart('FILES', 5);
}

/** Full goal (two lines at most) and the facts that did not fit in the row. */
export function detailLines(s: SessionSummary, width: number, now: number): Line[] {
  const goal = hanging([seg(stateGlyph(s.state) + ' ', s.state)], [seg('  ')], [seg(oneLine(s.goal), 'bold')], width);
  if (goal.length > 2) goal.splice(1, goal.length - 1, ellipsize(goal[1], width));
  // the two times early: the ACTIVE column shows one of them without saying so
  const facts = [
    s.id,
    `active ${relativeAge(s.updatedAt, now)} ago, started ${relativeAge(s.createdAt, now)} ago`,
    `${oneLine(s.target)} ← ${shortOid(s.base)}`,
    s.landed ? `landed ${shortOid(s.landed.commit)}` : '',
    agentLabel(s.agent),
    authorName(s.author),
  ].filter(Boolean);
  return [...goal, [seg('  ' + truncate(facts.join(' · '), Math.max(0, width - 2)), 'dim')]];
}

function titleLine(p: ListViewProps, width: number): Line {
  const parts: Line = [seg('git-session', 'title')];
  if (p.total !== null) {
    const shown = p.visible.length === p.total ? plural(p.total, 'session') : `${p.visible.length} of ${plural(p.total, 'session')}`;
    parts.push(seg('  ' + shown, 'plain'));
  }
  parts.push(seg('  filter: ', 'dim'), seg(p.filter, p.filter === 'all' ? 'plain' : p.filter));
  if (p.damaged?.length) {
    const first = p.damaged[0];
    parts.push(seg(`  ${plural(p.damaged.length, 'damaged session')}: `, 'fail'), seg(`${shortOid(first.id)} ${oneLine(first.reason)}${p.damaged.length > 1 ? ' …' : ''}`, 'dim'));
  }
  if (p.search.query) {
    parts.push(seg('  search: ', 'dim'), seg(`"${truncate(p.search.query, Math.max(8, Math.floor(width / 4)))}"`, 'accent'));
    if (p.search.pending) parts.push(seg(' …', 'dim'));
  }
  return parts;
}

function statusFor(p: ListViewProps, width: number, theme: Theme) {
  if (p.search.editing) {
    const room = Math.max(1, width - 3);
    // the end of the input stays in view, where the typing happens
    const shown = truncateStart(p.search.input, room);
    return (
      <Text wrap="truncate">
        <Text {...textStyle('accent', theme)}>/</Text>
        {shown}
        <Text inverse> </Text>
      </Text>
    );
  }
  if (p.search.error) return <Message text={`search failed: ${p.search.error}  (esc clears)`} style="fail" width={width} theme={theme} />;
  const pos = p.visible.length ? `${p.cursor + 1}/${p.visible.length}` : '';
  const hints = p.search.query
    ? 'j/k move  enter open  / search  esc clear search  f filter  ? help  q quit'
    : 'j/k move  enter open  / search  f filter  ? help  q quit';
  return <StatusBar hints={hints} right={pos} width={width} theme={theme} />;
}

export function ListView(p: ListViewProps) {
  const { width, height, page, detail } = p.geometry;
  const { theme } = p;
  const cols = listColumns(width);
  let body;
  if (p.error) body = <Message text={`cannot list sessions: ${p.error}`} style="fail" width={width} theme={theme} />;
  else if (p.total === null) body = <Message text="loading sessions…" style="dim" width={width} theme={theme} />;
  else if (p.total === 0) body = <Message text="no sessions yet: start one with `git session start <goal>`" style="dim" width={width} theme={theme} />;
  else if (p.search.pending && !p.search.matches) body = <Message text={`searching for "${oneLine(p.search.query)}"…`} style="dim" width={width} theme={theme} />;
  else if (!p.visible.length) body = <Message text="no sessions match (esc clears the search, f changes the filter)" style="dim" width={width} theme={theme} />;
  else {
    const rows = p.visible.slice(p.top, p.top + page);
    body = rows.map((s, i) => {
      const selected = p.top + i === p.cursor;
      // keyed by screen slot: scrolling updates rows in place instead of remounting them
      return <StyledLine key={i} line={rowLine(s, cols, p.now, selected)} theme={theme} inverse={selected} />;
    });
  }
  const selected = p.visible[p.cursor];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <StyledLine line={titleLine(p, width)} theme={theme} />
      <Text wrap="truncate" {...textStyle('dim', theme)}>
        {headerLine(cols)}
      </Text>
      <Box flexDirection="column" height={page} overflow="hidden">
        {body}
      </Box>
      {detail > 0 && (
        <Box flexDirection="column" height={detail}>
          <Rule width={width} theme={theme} />
          {selected && <LineBlock lines={detailLines(selected, width, p.now)} height={detail - 1} width={width} theme={theme} />}
        </Box>
      )}
      {statusFor(p, width, theme)}
    </Box>
  );
}
