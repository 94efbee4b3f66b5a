// Shared helpers for `npm run bench`: every figure is printed beside a baseline measured
// in the same run, as a ratio, so numbers stay comparable across machines.

/** One measured figure and the baseline it is judged against. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  goal?: string;
}

const figures: Figure[] = [];

/** Prints one figure (with its ratio to the baseline) and keeps it for the JSON summary. */
export function report(f: Figure): void {
  figures.push(f);
  const v = fmt(f.value, f.unit);
  const b = f.baseline
    ? `  vs ${f.baseline.name} ${fmt(f.baseline.value, f.unit)}  ratio ${(f.value / f.baseline.value).toFixed(2)}x`
    : '';
  const g = f.goal ? `  (goal ${f.goal})` : '';
  process.stdout.write(`${f.name.padEnd(58)} ${v}${b}${g}\n`);
}

/** All figures reported so far (for `--json`). */
export function allFigures(): Figure[] {
  return figures;
}

function fmt(v: number, unit: string): string {
  if (unit === 'ms') return `${v < 0.1 ? v.toFixed(4) : v < 10 ? v.toFixed(3) : v.toFixed(1)} ms`;
  if (unit === 'B') return v > 1e6 ? `${(v / 1e6).toFixed(1)} MB` : `${(v / 1e3).toFixed(1)} kB`;
  return `${v.toFixed(2)} ${unit}`;
}

/** Median of a list of samples. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `n` times and returns the median wall time in ms. */
export async function timeMedian(n: number, fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

/** Prints a section heading. */
export function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}
