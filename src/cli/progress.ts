// Progress of long work on stderr: on a terminal only (silent when stderr is piped, with
// --json, or TERM=dumb), redrawn in place at most every 100 ms, cleared when done, in
// colour unless NO_COLOR. Use-cases report through the OnProgress callback they accept.
import type { OnProgress, Progress } from '../core/progress.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { CliEnv } from './env.js';
import { controls } from './output.js';

/** A progress display and the call that removes it. */
export interface ProgressLine {
  /** undefined when nothing is to be shown: use-cases then skip the reporting. */
  onProgress?: OnProgress;
  done(): void;
}

const WIDTH = 24;
const EVERY_MS = 100;

/** Formats one step: "writing objects  [#####.....]  45% (9/20)" or "indexing 12,345". */
export function progressText(p: Progress, color: boolean): string {
  const n = (x: number) => x.toLocaleString('en');
  if (!p.total) return `${p.stage} ${n(p.done)}`;
  const frac = Math.max(0, Math.min(1, p.done / p.total));
  const full = Math.round(frac * WIDTH);
  const bar = color ? `\x1b[36m${'█'.repeat(full)}\x1b[2m${'░'.repeat(WIDTH - full)}\x1b[0m` : `[${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}]`;
  return `${p.stage} ${bar} ${String(Math.round(frac * 100)).padStart(3)}% (${n(p.done)}/${n(p.total)})`;
}

/** The progress line for this command run (`json`: the command prints JSON, so none). */
export function progressLine(env: CliEnv, opts: { json?: boolean } = {}): ProgressLine {
  const err = env.stderr;
  if (!err.isTTY || opts.json || env.env.TERM === 'dumb') return { done() {} };
  const color = !env.env.NO_COLOR;
  let last = -Infinity;
  let shown = false;
  return {
    onProgress(p) {
      const now = env.clock();
      const final = p.total !== undefined && p.done >= p.total;
      if (now - last < EVERY_MS && !final) return;
      last = now;
      shown = true;
      // Our own controls pass the sanitizing sink (see output.ts); the stage name does not.
      err.write(controls(`\r\x1b[K${progressText({ ...p, stage: sanitizeLine(p.stage) }, color)}`));
    },
    done() {
      if (shown) err.write(controls('\r\x1b[K'));
      shown = false;
    },
  };
}
