// Building blocks every view uses. All are pure functions of their props.
import { Box, Text } from 'ink';
import type { Line } from '../lines.js';
import { type Theme, type StyleKey, textStyle } from '../theme.js';
import { displayWidth, oneLine, truncate } from '../text.js';

/** One pre-laid-out line. Content is already cut to width; `truncate` is the safety net. */
export function StyledLine({ line, theme, inverse }: { line: Line; theme: Theme; inverse?: boolean }) {
  if (!line.length) return <Text> </Text>;
  return (
    <Text wrap="truncate" inverse={inverse}>
      {line.map((s, i) => (
        <Text key={i} {...textStyle(s.style, theme)}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

/** A block of exactly `height` rows showing `lines` (missing rows left blank). */
export function LineBlock({ lines, height, width, theme }: { lines: Line[]; height: number; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column" height={Math.max(0, height)} width={width} overflow="hidden">
      {lines.slice(0, Math.max(0, height)).map((l, i) => (
        <StyledLine key={i} line={l} theme={theme} />
      ))}
    </Box>
  );
}

/** "── title ─────────" across `width` columns. */
export function Rule({ title, width, theme, style = 'dim' }: { title?: string; width: number; theme: Theme; style?: StyleKey }) {
  const label = title ? `── ${truncate(title, Math.max(0, width - 4))} ` : '';
  const rest = Math.max(0, width - displayWidth(label));
  return (
    <Text wrap="truncate" {...textStyle(style, theme)}>
      {label + '─'.repeat(rest)}
    </Text>
  );
}

/** Bottom line: key hints on the left, position on the right, never wider than `width`. */
export function StatusBar({ hints, right, width, theme }: { hints: string; right?: string; width: number; theme: Theme }) {
  const r = right ? truncate(right, Math.max(0, width - 2)) : '';
  const room = Math.max(0, width - displayWidth(r) - (r ? 1 : 0));
  const left = truncate(hints, room);
  const gap = Math.max(0, width - displayWidth(left) - displayWidth(r));
  return (
    <Text wrap="truncate">
      <Text {...textStyle('dim', theme)}>{left}</Text>
      {' '.repeat(gap)}
      <Text {...textStyle('bold', theme)}>{r}</Text>
    </Text>
  );
}

/** A one-line message in a pane (loading, empty, error). */
export function Message({ text, style, width, theme }: { text: string; style?: StyleKey; width: number; theme: Theme }) {
  return (
    <Text wrap="truncate" {...textStyle(style, theme)}>
      {truncate(oneLine(text), width)}
    </Text>
  );
}
