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
  ['Anywhere', [['?', 'this help'], ['ctrl-c', 'quit']]],
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

export function HelpView({ width, height, theme }: { width: number; height: number; theme: Theme }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LineBlock lines={helpLines(width)} height={height - 1} width={width} theme={theme} />
      <StatusBar hints="esc ? q close help" width={width} theme={theme} />
    </Box>
  );
}
