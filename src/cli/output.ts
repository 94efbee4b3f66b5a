// Everything the CLI prints goes through here. main() wraps the command's stdout and
// stderr with `terminalSafe`, so every string a command writes (text, errors, help) passes
// the one sanitizer (core/sanitize.ts) and no command can forget it. Colour survives
// because the painter never writes ESC itself: it writes a per-process token that data
// cannot contain (a private-use character and a random nonce), which the sink turns into
// an SGR sequence only after the data around it was sanitized.
import { randomBytes } from 'node:crypto';
import { safeJson, sanitize } from '../core/sanitize.js';
import { truncate } from '../core/width.js';
import type { CliEnv, Sink } from './env.js';

// Stand for ESC and CR in text the CLI composes (colours, a progress line) until the sink
// has sanitized the data around them.
const NONCE = randomBytes(8).toString('hex');
const ESC_TOKEN = `\uE000${NONCE}`;
const CR_TOKEN = `\uE001${NONCE}`;

/**
 * Marks the terminal controls in `s` (ESC, CR) as the CLI's own, so a terminalSafe sink
 * writes them as they are: for sequences the CLI composes (a progress line's `\r\x1b[K`),
 * never for data.
 */
export function controls(s: string): string {
  return s.replaceAll('\x1b', ESC_TOKEN).replaceAll('\r', CR_TOKEN);
}

/**
 * A sink that sanitizes every string written through it and then turns the painter's
 * tokens into real escape sequences. Bytes (a `check` command's live output, which the
 * user ran themselves) pass unchanged. `isTTY` and `columns` are the wrapped sink's.
 */
export function terminalSafe(sink: Sink): Sink {
  const out: Sink = {
    write: (s: string | Uint8Array) => sink.write(typeof s === 'string' ? sanitize(s).replaceAll(ESC_TOKEN, '\x1b').replaceAll(CR_TOKEN, '\r') : s),
  };
  Object.defineProperty(out, 'isTTY', { get: () => sink.isTTY, enumerable: true });
  Object.defineProperty(out, 'columns', { get: () => (sink as { columns?: number }).columns, enumerable: true });
  return out;
}

/** The command's env with both outputs made terminal-safe (see terminalSafe). */
export function safeEnv(env: CliEnv): CliEnv {
  return { ...env, stdout: terminalSafe(env.stdout), stderr: terminalSafe(env.stderr) };
}

/**
 * Prints one JSON document (the `--json` contract: exactly one document on stdout). The
 * characters JSON.stringify leaves raw but a terminal may act on are written as `\uXXXX`:
 * the same JSON value, exactly.
 */
export function printJson(env: CliEnv, doc: unknown): void {
  env.stdout.write(safeJson(doc, 2) + '\n');
}

/** Prints lines of plain text. */
export function printLines(env: CliEnv, lines: string[]): void {
  if (lines.length) env.stdout.write(lines.join('\n') + '\n');
}

/** Prints a warning line on stderr. */
export function warn(env: CliEnv, line: string): void {
  env.stderr.write(`warning: ${line}\n`);
}

/** Whether to colour output: a TTY, and NO_COLOR unset (https://no-color.org). */
export function useColor(env: CliEnv): boolean {
  return Boolean(env.stdout.isTTY) && !env.env.NO_COLOR && env.env.TERM !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;

/** A colouring function that is the identity when colour is off. */
export type Paint = (c: keyof typeof CODES, s: string) => string;

/** Returns the painter for this environment (its colours become escapes only in a terminalSafe sink). */
export function painter(env: CliEnv): Paint {
  return useColor(env) ? (c, s) => `${ESC_TOKEN}[${CODES[c]}m${s}${ESC_TOKEN}[0m` : (_c, s) => s;
}

/** Relative age ("3m", "2h", "5d") of an ISO time against now. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/**
 * One line of at most `n` terminal columns, with an ellipsis where it was cut. Sanitized
 * first, then cut: an escape sequence in the data is already plain escaped text, so a cut
 * can never leave one (an OSC 8 link, a colour) open.
 */
export function clip(s: string, n: number): string {
  return truncate(sanitize(s).replace(/\s+/g, ' '), n);
}
