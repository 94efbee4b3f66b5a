// What the browser's words say: which time the age is, counts in the singular, the help.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { commandLine } from '../../src/core/text.js';
import { browseData } from '../../src/repo/browse.js';
import { layoutTimeline } from '../../src/tui/timeline.js';
import { lineText } from '../../src/tui/lines.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { KEY_HELP } from '../../src/tui/components/HelpView.js';
import { ROOT, cli, makeRepo } from '../support/repo.js';
import { NOW, memoryData, richSession, smallData, summary } from './fixtures.js';
import { KEY, renderAt, waitFor } from './render.js';

vi.setConfig({ testTimeout: 120_000 });
afterEach(() => cleanup());

const DAY = 86_400_000;

describe('the age of a session', () => {
  it('is its last activity (ACTIVE), as `list` shows it; the detail says both times', async () => {
    const s = summary(1, { createdAt: new Date(NOW - 400 * DAY).toISOString(), updatedAt: new Date(NOW - 11_000).toISOString() });
    const r = renderAt(<App data={memoryData({ sessions: [s] })} now={() => NOW} />, 140, 24);
    await r.until('Goal number 1');
    expect(r.frame()).toMatch(/ ACTIVE EVENTS FILES$/m);
    expect(r.frame()).toMatch(/^› landed +Goal number 1.* 11s +6 +1$/m);
    expect(r.frame()).toContain('active 11s ago, started 1y ago');
  });

  it('of a transcript imported from last year reads the same in the browser as in `list`', async () => {
    const dir = makeRepo();
    const imported = await cli(dir, ['import', '--transcript', join(ROOT, 'fixtures', 'transcripts', 'claude-code.jsonl')]);
    expect(imported.code, imported.stderr).toBe(0);
    const list = await cli(dir, ['list']);
    // the row: "* <id>  open  <age>  <n> ev ..."
    const age = /^\S?\s+\S+\s+open\s+(\S+)\s/m.exec(list.stdout)?.[1];
    expect(age, list.stdout).toMatch(/^\d+s$/);
    const now = Date.parse((await cli(dir, ['show', '--json'])).json().session.updatedAt) + Number(age!.slice(0, -1)) * 1000;
    const r = renderAt(<App data={browseData(Repo.open({ cwd: dir, clock: () => now, env: process.env }))} now={() => now} />, 160, 30);
    await r.until(/^› open/m);
    expect(r.frame()).toMatch(new RegExp(`^› open .* ${age} +\\d+ +\\d+$`, 'm'));
    expect(r.frame()).toMatch(/started \d+mo ago/);
  });
});

describe('counts', () => {
  it('say "1 event", "1 more file" in the singular', async () => {
    const one = summary(1, { events: 1, files: 7 });
    const t = new Date(NOW - 60_000).toISOString();
    const files = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}.ts`, status: 'M' }));
    const data = memoryData({
      sessions: [one],
      events: {
        [one.id]: [
          { id: 'e1', ts: t, kind: 'start', goal: one.goal, target: 'main', base: one.base, author: one.author },
          { id: 'e2', ts: t, kind: 'snapshot', commit: 'c'.repeat(40), parent: one.base, message: 'seven', files },
        ] as never,
      },
    });
    const r = renderAt(<App data={data} now={() => NOW} />, 100, 30);
    await r.until('Goal number 1');
    await r.press(KEY.enter);
    await r.until('timeline 2 events');
    expect(r.frame()).toContain('… 1 more file (e expands)');
    const single = memoryData({ sessions: [summary(2)], events: { [summary(2).id]: [{ id: 'e1', ts: t, kind: 'start', goal: 'g', target: 'main', base: 'b'.repeat(40), author: 'A <a@b>' }] as never } });
    const r2 = renderAt(<App data={single} now={() => NOW} />, 100, 30);
    await r2.until('Goal number 2');
    await r2.press(KEY.enter);
    await r2.until('timeline 1 event ');
    expect(r2.frame()).not.toContain('1 events');
  });

  it('object ids read as the CLI prints them (12 digits)', async () => {
    const r = renderAt(<App data={smallData()} now={() => NOW} />, 100, 30);
    await r.until('Goal number 3');
    await r.press(KEY.enter);
    await r.until('timeline 9 events');
    const s = richSession().summary;
    expect(r.frame()).toContain(`main ← ${s.base.slice(0, 12)}`);
    expect(r.frame()).toContain(`landed ${s.landed!.commit.slice(0, 12)} (squash)`);
  });
});

describe('check commands', () => {
  it('show their argv quoted as a shell would, so the line can be run again', () => {
    expect(commandLine(['python3', '-c', 'import sys; sys.exit(3)'])).toBe("python3 -c 'import sys; sys.exit(3)'");
    expect(commandLine(['echo', "it's", '', 'a=b', '$HOME'])).toBe("echo 'it'\\''s' '' a=b '$HOME'");
    const t = new Date(NOW).toISOString();
    const check = { id: 'c', ts: t, kind: 'check', command: ['python3', '-c', 'import sys; sys.exit(3)'], exitCode: 3, tree: 'd'.repeat(40), durationMs: 40, output: '' };
    const text = layoutTimeline([check as never], 100, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain("$ python3 -c 'import sys; sys.exit(3)'");
  });
});

describe('help', () => {
  /** Key rows of the help: two spaces, the keys padded to 18 columns, then the meaning. */
  const keyRow = /^ {2}\S.{17} \S/;

  it('lines up every section, Anywhere too, and scrolls so all of it is reachable at 80x24', async () => {
    const r = renderAt(<App data={smallData()} now={() => NOW} />, 80, 24);
    await r.until('Goal number 3');
    await r.press('?');
    await r.until('git-session tui: keys');
    expect(r.frame()).not.toContain('Anywhere'); // 24 rows do not hold it all
    expect(r.frame()).toMatch(/1-22\/\d+\s*$/m);
    await r.press('G');
    await r.until('Anywhere');
    const f = r.frame();
    const lines = f.split('\n');
    const at = lines.indexOf('Anywhere');
    expect(lines[at + 1]).toMatch(keyRow);
    expect(lines[at + 1]).toMatch(/^ {2}\? {18}this help/);
    expect(lines[at + 2]).toMatch(/^ {2}ctrl-c {13}quit$/);
    await r.press('g');
    await r.until('Sessions list');
    await r.press(KEY.escape);
    await r.until(/1\/13\s*$/m);
  });

  it('puts every key of every section at the same columns', async () => {
    const r = renderAt(<App data={smallData()} now={() => NOW} />, 80, 40);
    await r.until('Goal number 3');
    await r.press('?');
    await r.until('Anywhere');
    const lines = r.frame().split('\n');
    for (const [title, keys] of KEY_HELP) {
      const at = lines.indexOf(title);
      expect(at, title).toBeGreaterThan(0);
      const rows = lines.slice(at + 1, lines.indexOf('', at)).filter((l) => !/^ {21}\S/.test(l)); // wrapped meanings hang at 21
      expect(rows, title).toHaveLength(keys.length);
      for (const row of rows) expect(row, title).toMatch(keyRow);
    }
  });

  it('closes with q or ? as well, and the screen under it keeps its place', async () => {
    const r = renderAt(<App data={smallData()} now={() => NOW} />, 80, 24);
    await r.until('Goal number 3');
    await r.press('j', 'j', '?');
    await r.until('git-session tui: keys');
    await r.press('j', 'q');
    await waitFor(() => /3\/13\s*$/m.test(r.frame()), () => r.frame());
  });
});
