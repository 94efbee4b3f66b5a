// Rendering helpers for the TUI tests: ink-testing-library at a chosen terminal size,
// ANSI stripping, key codes, and polling for a frame instead of guessing delays.
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*[A-Za-z]/g;
export const strip = (s: string): string => s.replace(ANSI, '');

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
};

export const tick = (ms = 15) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(pred: () => boolean, what: () => string = () => 'condition', timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await tick(5);
  }
}

export function renderAt(node: ReactElement, columns = 80, rows = 24) {
  const r = render(node);
  const out = r.stdout as unknown as { columns: number; rows: number; emit(e: string): void };
  let cols = columns;
  Object.defineProperty(out, 'columns', { get: () => cols, configurable: true });
  out.rows = rows;
  out.emit('resize');
  const frame = () => strip(r.lastFrame() ?? '');
  return {
    ...r,
    /** the last frame without ANSI codes */
    frame,
    /** the last frame as written (with ANSI codes) */
    raw: () => r.lastFrame() ?? '',
    resize(c: number, rw: number) {
      cols = c;
      out.rows = rw;
      out.emit('resize');
    },
    /** Types keys one by one, each time waiting for the frame it causes (or a short while). */
    async press(...keys: string[]) {
      for (const k of keys) {
        const n = r.frames.length;
        r.stdin.write(k);
        const end = Date.now() + 2000;
        while (r.frames.length === n && Date.now() < end) await tick(3);
        await tick(3);
      }
    },
    async until(text: string | RegExp, timeout?: number) {
      const ok = () => (typeof text === 'string' ? frame().includes(text) : text.test(frame()));
      await waitFor(ok, () => `frame to show ${String(text)}\n--- last frame:\n${frame()}`, timeout);
    },
  };
}
