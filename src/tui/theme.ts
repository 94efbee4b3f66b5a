// Named styles, so views say *what* a piece of text is and the theme decides how it looks.
// Under NO_COLOR the theme uses no colour at all; only attributes (bold, dim, inverse)
// remain, which the NO_COLOR convention allows and which keep selection visible.

export type StyleKey =
  | 'plain'
  | 'dim'
  | 'bold'
  | 'title'
  | 'accent'
  | 'open'
  | 'conflicted'
  | 'landed'
  | 'abandoned'
  | 'user'
  | 'agent'
  | 'tool'
  | 'system'
  | 'prompt'
  | 'decision'
  | 'chosen'
  | 'rejected'
  | 'ok'
  | 'fail'
  | 'warn'
  | 'add'
  | 'del'
  | 'hunk'
  | 'meta';

/** The props Ink's <Text> takes for one style. */
export interface TextStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

const COLOUR: Record<StyleKey, TextStyle> = {
  plain: {},
  dim: { color: 'gray' },
  bold: { bold: true },
  title: { bold: true, color: 'cyan' },
  accent: { color: 'cyan' },
  open: { color: 'green' },
  conflicted: { color: 'yellow', bold: true },
  landed: { color: 'magenta' },
  abandoned: { color: 'red' },
  user: { color: 'cyan', bold: true },
  agent: { color: 'blue', bold: true },
  tool: { color: 'gray', bold: true },
  system: { color: 'yellow', bold: true },
  prompt: { color: 'cyan', bold: true },
  decision: { color: 'magenta', bold: true },
  chosen: { color: 'green', bold: true },
  rejected: { color: 'red' },
  ok: { color: 'green' },
  fail: { color: 'red', bold: true },
  warn: { color: 'yellow' },
  add: { color: 'green' },
  del: { color: 'red' },
  hunk: { color: 'cyan' },
  meta: { bold: true },
};

/** The same styles without colour (NO_COLOR): their attributes stay; dim text is dimmed, not grey. */
const MONO = Object.fromEntries(
  Object.entries(COLOUR).map(([key, { color: _color, ...attrs }]) => [key, key === 'dim' ? { dimColor: true } : attrs]),
) as Record<StyleKey, TextStyle>;

export interface Theme {
  color: boolean;
}

export function themeFor(noColor: boolean): Theme {
  return { color: !noColor };
}

export function textStyle(key: StyleKey | undefined, theme: Theme): TextStyle {
  if (!key) return {};
  return (theme.color ? COLOUR : MONO)[key];
}

/** NO_COLOR convention (no-color.org): set and not empty disables colour. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['NO_COLOR'];
  return v !== undefined && v !== '';
}
