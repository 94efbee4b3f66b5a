import type { CliEnv } from './env.js';

/** Prints one JSON document (the `--json` contract: exactly one document on stdout). */
export function printJson(env: CliEnv, doc: unknown): void {
  env.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

/** Prints lines of plain text. */
export function printLines(env: CliEnv, lines: string[]): void {
  if (lines.length) env.stdout.write(lines.join('\n') + '\n');
}

/** Whether to colour output: a TTY, and NO_COLOR unset (https://no-color.org). */
export function useColor(env: CliEnv): boolean {
  return Boolean(env.stdout.isTTY) && !env.env.NO_COLOR && env.env.TERM !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;

/** A colouring function that is the identity when colour is off. */
export type Paint = (c: keyof typeof CODES, s: string) => string;

/** Returns the painter for this environment. */
export function painter(env: CliEnv): Paint {
  return useColor(env) ? (c, s) => `\x1b[${CODES[c]}m${s}\x1b[0m` : (_c, s) => s;
}

/** Relative age ("3m", "2h", "5d") of an ISO time against now. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Truncates to `n` characters with an ellipsis. */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= n ? one : one.slice(0, Math.max(0, n - 1)) + '…';
}
