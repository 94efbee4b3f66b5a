// `npm run bench -- redact`: redaction throughput (ours vs secretlint's recommended preset
// vs a plain indexOf scan as the floor) on a 10 MB synthetic transcript; recall and false
// alarms per rule family on the generated corpus (bench/redact-corpus.ts); MB/s on every
// hostile input (bench/redact-adversarial.ts) against typical text; and peak RSS while
// importing a 100 MB generated Claude Code transcript through readTranscript.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintSource } from '@secretlint/core';
import { creator as preset } from '@secretlint/secretlint-rule-preset-recommend';
import { redactText } from '../src/core/redact/index.js';
import { synthClaudeLines, synthTexts } from '../test/transcript/synth.js';
import { median, report, section, timeMedian } from './harness.js';
import { adversarialInputs } from './redact-adversarial.js';
import { evaluate, type Tally } from './redact-corpus.js';

const MB = 1e6;
const slConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] };

async function secretlint(content: string): Promise<number> {
  const r = await lintSource({ source: { content, filePath: '/t.txt', ext: '.txt', contentType: 'text' }, options: { config: slConfig, noPhysicFilePath: true } });
  return r.messages.length;
}

/** Runs the redaction suite. */
export async function run(): Promise<void> {
  // Flat strings, as JSON.parse would hand them to the redactor (the generator builds
  // cons-strings; flattening them is not redaction work).
  const texts = synthTexts(1, 10 * MB).map((t) => JSON.parse(JSON.stringify(t)) as string);
  const bytes = texts.reduce((a, t) => a + t.length, 0);
  const mbps = (ms: number) => bytes / MB / (ms / 1000);

  for (const t of texts) redactText(t); // warm up the JIT
  const cpu: number[] = [];
  const ours = mbps(
    await timeMedian(5, () => {
      const c = process.cpuUsage();
      texts.forEach((t) => redactText(t));
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }),
  );
  const floor = mbps(await timeMedian(5, () => texts.forEach((t) => t.indexOf('\u0000'))));
  report({ name: 'redact 10 MB transcript, per message (ours)', value: ours, unit: 'MB/s', baseline: { name: 'indexOf scan', value: floor }, goal: '>= 50 MB/s' });
  // On a shared machine wall time swings with other jobs; CPU time much less.
  report({ name: 'same, by process CPU time (less load-sensitive)', value: mbps(median(cpu)), unit: 'MB/s', baseline: { name: 'wall time', value: ours } });

  // secretlint per message (how the importer would have to call it): a 2 MB sample is
  // enough to get its rate, the full 10 MB would take minutes on a slow machine.
  const sample: string[] = [];
  let sampleBytes = 0;
  for (const t of texts) {
    if (sampleBytes > 2 * MB) break;
    sample.push(t);
    sampleBytes += t.length;
  }
  const t0 = performance.now();
  for (const t of sample) await secretlint(t);
  const slPer = sampleBytes / MB / ((performance.now() - t0) / 1000);
  report({ name: 'secretlint preset, per message (2 MB sample)', value: slPer, unit: 'MB/s', baseline: { name: 'ours', value: ours } });

  // secretlint on the whole 10 MB as one document: its best case, but detection only
  // (ranges, no replacement) and async.
  const whole = texts.join('\n');
  await secretlint(whole.slice(0, 100_000));
  const slWhole = mbps(await timeMedian(3, () => secretlint(whole)));
  const oursWhole = mbps(await timeMedian(3, () => redactText(whole)));
  report({ name: 'secretlint preset, one 10 MB document (detect only)', value: slWhole, unit: 'MB/s', baseline: { name: 'ours, same document', value: oursWhole } });

  corpus();
  adversarial(mbps(median(cpu)));
  await rssOfImport();
}

function pct(t: Tally): string {
  return `${((100 * t.hit) / t.n).toFixed(1).padStart(5)}%  (${t.hit}/${t.n})`;
}

// Recall and false alarms on the generated corpus, per family and overall.
function corpus(): void {
  section('redact: generated corpus (recall = secret gone; false alarm = benign text changed)');
  const ev = evaluate((t) => redactText(t).text);
  const fams = [...ev.recall.entries()];
  const w = Math.max(...fams.map(([k]) => k.length)) + 2;
  for (let i = 0; i < fams.length; i += 2) {
    const cell = ([k, t]: [string, Tally]) => `${k.padEnd(w)}${pct(t).padEnd(20)}`;
    process.stdout.write(`  ${cell(fams[i])}${fams[i + 1] ? cell(fams[i + 1]) : ''}\n`);
  }
  for (const [k, t] of ev.alarms) process.stdout.write(`  false alarms, ${k.padEnd(w)}${pct(t)}\n`);
  for (const m of ev.misses.slice(0, 5)) process.stdout.write(`  miss: ${m.family} / ${m.context}: ${JSON.stringify(m.text).slice(0, 100)}\n`);
  for (const f of ev.falseAlarms.slice(0, 5)) process.stdout.write(`  false alarm: ${f.family}: ${JSON.stringify(f.text).slice(0, 100)}\n`);
  const n = [...ev.recall.values()].reduce((a, t) => a + t.n, 0);
  const m = [...ev.alarms.values()].reduce((a, t) => a + t.n, 0);
  report({ name: `recall over ${n} seeded secrets, ${fams.length} families`, value: 100 * ev.overallRecall, unit: '%', goal: '>= 99%' });
  report({ name: `false alarms over ${m} benign texts`, value: 100 * ev.overallAlarms, unit: '%', goal: '<= 5%' });
}

// MB/s on every hostile input, beside typical text measured in the same run.
function adversarial(typical: number): void {
  section('redact: hostile inputs, MB/s each (median of 3)');
  const rows: [string, number][] = [];
  for (const a of adversarialInputs()) {
    const text = a.make();
    redactText(text.slice(0, 20_000));
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = process.cpuUsage();
      redactText(text);
      const d = process.cpuUsage(c);
      xs.push((d.user + d.system) / 1000);
    }
    rows.push([a.name, text.length / MB / (median(xs) / 1000)]);
  }
  rows.sort((x, y) => x[1] - y[1]);
  for (let i = 0; i < rows.length; i += 3) {
    const cells = rows.slice(i, i + 3).map(([k, v]) => `${v.toFixed(0).padStart(5)} ${k.slice(0, 36).padEnd(37)}`);
    process.stdout.write(`  ${cells.join('')}\n`);
  }
  const slowest = rows[0];
  report({ name: `slowest of ${rows.length} hostile inputs (CPU time): ${slowest[0].slice(0, 30)}`, value: slowest[1], unit: 'MB/s', baseline: { name: 'typical text (CPU time)', value: typical }, goal: '>= 20 MB/s' });
  report({ name: 'hostile inputs below 20 MB/s', value: rows.filter(([, v]) => v < 20).length, unit: 'inputs', goal: '0' });
}

// Peak RSS of a child process that streams a 100 MB generated Claude Code transcript
// through readTranscript (read + parse + redact), against the same child idle.
async function rssOfImport(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gs-bench-redact-'));
  try {
    const path = join(dir, 'big.jsonl');
    const out = createWriteStream(path);
    for (const line of synthClaudeLines(7, 100 * MB)) if (!out.write(line + '\n')) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const size = statSync(path).size;

    const bridge = fileURLToPath(new URL('../src/repo/bridges/transcript-file.ts', import.meta.url));
    const child = [
      `const idle = process.resourceUsage().maxRSS * 1024;`,
      `const { readTranscript } = await import(${JSON.stringify(bridge)});`,
      `const before = process.memoryUsage().rss;`,
      `const t = performance.now();`,
      `let n = 0;`,
      `const res = await readTranscript(${JSON.stringify(path)}, 'auto', () => { n++; });`,
      `const ms = performance.now() - t;`,
      `console.log(JSON.stringify({ idle, before, peak: process.resourceUsage().maxRSS * 1024, ms, n, items: res.items }));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`import child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { idle: number; before: number; peak: number; ms: number; n: number };
    const bare = spawnSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS * 1024)'], { encoding: 'utf8' });
    const bareRss = Number(bare.stdout.trim());

    report({ name: `import ${(size / MB).toFixed(0)} MB Claude transcript (read+parse+redact)`, value: size / MB / (m.ms / 1000), unit: 'MB/s' });
    report({ name: 'peak RSS during that import', value: m.peak, unit: 'B', baseline: { name: 'RSS before import', value: m.before }, goal: '< 200 MB' });
    report({ name: 'RSS of the importing process before import', value: m.before, unit: 'B', baseline: { name: 'bare `node -e 0`', value: bareRss } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
