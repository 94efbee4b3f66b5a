// The schema at the storage boundary (src/core/schema.ts, valibot): what it adds to a
// bundled start-up (the CLI is an esbuild bundle, and `record` must stay within 2.5x
// `node -e 0`), and what checking costs per summary and per event.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { foldEvents } from '../src/core/fold.js';
import { checkSummary, parseEvent } from '../src/core/schema.js';
import type { StoredEvent } from '../src/core/types.js';
import { median, report, timeMedian } from './harness.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Runs the schema benchmarks. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gs-bench-schema-'));
  const entry = join(dir, 'entry.mjs');
  // Load the module and check one event and one summary: what a `record` pays for it.
  writeFileSync(entry, `import { parseEvent, readSummaryText } from ${JSON.stringify(join(ROOT, 'src/core/schema.ts'))};
const ev = parseEvent({ id: '01kc0000000000000000000000', ts: '2026-01-01T00:00:00.000Z', kind: 'note', text: 'hi' });
const s = readSummaryText('{}', '01kc0000000000000000000000');
if (ev.kind !== 'note' || s.ok) process.exit(1);
`);
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const out = join(dir, 'schema.bundle.mjs');
  const res = await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', metafile: true, logLevel: 'warning' });
  const bytes = Object.values(res.metafile.outputs)[0].bytes;

  // Interleaved rounds: every command once per round, so load on the machine hits all alike.
  const cmds: Record<string, string[]> = { 'node -e 0': ['-e', '0'], empty: [empty], schema: [out] };
  const xs: Record<string, number[]> = { 'node -e 0': [], empty: [], schema: [] };
  for (let i = 0; i < 21; i++) {
    for (const [k, args] of Object.entries(cmds)) {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${k} exited ${r.status}`);
      xs[k].push(performance.now() - t);
    }
  }
  const node = median(xs['node -e 0']);
  const e = median(xs.empty);
  const s = median(xs.schema);
  report({ name: `schema bundle (${(bytes / 1024).toFixed(1)} kB): load + check one event and summary`, value: s, unit: 'ms', baseline: { name: 'an empty bundle', value: e } });
  report({ name: 'schema bundle, whole process', value: s, unit: 'ms', baseline: { name: 'node -e 0', value: node } });

  // In-process: checking 10,000 catalog rows, and 100,000 events.
  const start = { id: '01kc0000000000000000000001', ts: '2026-01-01T00:00:00.000Z', kind: 'start', goal: 'bench', target: 'main', base: 'b'.repeat(40), author: 'B <b@x>' } as StoredEvent;
  const row = JSON.stringify(foldEvents('01kc0000000000000000000000', [start]));
  const rows = Array.from({ length: 10_000 }, () => row);
  const parseOnly = await timeMedian(5, () => rows.map((r) => JSON.parse(r)));
  const checked = await timeMedian(5, () => rows.map((r) => checkSummary(JSON.parse(r), '01kc0000000000000000000000')));
  report({ name: 'check 10,000 summaries (JSON.parse + schema)', value: checked, unit: 'ms', baseline: { name: 'JSON.parse alone', value: parseOnly } });
  const line = JSON.stringify({ id: '01kc0000000000000000000002', ts: '2026-01-01T00:00:01.000Z', kind: 'message', role: 'agent', text: 'some realistic text of an agent message' });
  const lines = Array.from({ length: 100_000 }, () => line);
  const evParse = await timeMedian(3, () => lines.map((l) => JSON.parse(l)));
  const evChecked = await timeMedian(3, () => lines.map((l) => parseEvent(JSON.parse(l))));
  report({ name: 'read 100,000 events (JSON.parse + schema)', value: evChecked, unit: 'ms', baseline: { name: 'JSON.parse alone', value: evParse } });
}
