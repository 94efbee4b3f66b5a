// Key bindings, one screen. Pure.
import { Box } from 'ink';
import { type Line, seg, hanging } from '../lines.js';
import type { Theme } from '../theme.js';
import { padEnd } from '../text.js';
import { LineBlock, StatusBar } from './common.js';

export const KEY_HELP: [string, [string, string][]][] = [
  [
    'Sessions list',
    [
      ['j k ↑ ↓', 'move'],
      ['PgDn PgUp space', 'page down / up'],
      ['g G Home End', 'first / last session'],
      ['enter', 'open the session'],
      ['/', 'search goals, prompts and messages (enter applies, esc clears)'],
      ['f', 'filter by state: all → open → landed → abandoned'],
      ['q', 'quit'],
    ],
  ],
  [
    'Session',
    [
      ['j k ↑ ↓ enter', 'scroll the timeline, or move in the files pane'],
      ['space b PgDn PgUp', 'page down / up'],
      ['] [ n p', 'next / previous event'],
      ['g G', 'top / bottom'],
      ['e', 'expand tool output, check output and file lists'],
      ['tab', 'switch between the timeline and the files pane'],
      ['enter (files)', "show the file's diff"],
      ['c', 'conflicted: each path, its markers, and why each side changed it'],
      ['esc q', 'back to the list'],
    ],
  ],
  [
    'Diff',
    [
      ['j k space b g G', 'scroll'],
      ['h l ← →', 'pan sideways'],
      ['esc q', 'back to the session'],
    ],
  ],
  [
    'Conflicts',
    [
      ['j k space b g G', 'scroll'],
      ['esc q c', 'back to the session'],
    ],
  ],
  [
    'Anywhere',
    [
      ['?', 'this help (j k space b g G scroll it)'],
      ['ctrl-c', 'quit'],
    ],
  ],
];

export function helpLines(width: number): Line[] {
  const out: Line[] = [[seg('git-session tui: keys', 'title')], []];
  for (const [title, keys] of KEY_HELP) {
    out.push([seg(title, 'bold')]);
    for (const [k, what] of keys) out.push(...hanging([seg('  ' + padEnd(k, 18) + ' ', 'accent')], [seg(' '.repeat(21))], [seg(what)], width));
    out.push([]);
  }
  return out;
}

/** Rows of help text on screen in a frame of `height` (the last row is the status bar). */
export function helpPage(height: number): number {
  return Math.max(1, height - 1);
}

/** The help, scrolled to `top` when it is taller than the frame. */
export function HelpView({ width, height, top, theme }: { width: number; height: number; top: number; theme: Theme }) {
  const lines = helpLines(width);
  const page = helpPage(height);
  const scrolls = lines.length > page;
  const first = Math.min(top, Math.max(0, lines.length - page));
  const pos = scrolls ? `${first + 1}-${Math.min(lines.length, first + page)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LineBlock lines={lines.slice(first, first + page)} height={page} width={width} theme={theme} />
      <StatusBar hints={scrolls ? 'j/k space/b scroll  esc ? q close help' : 'esc ? q close help'} right={pos} width={width} theme={theme} />
    </Box>
  );
}
