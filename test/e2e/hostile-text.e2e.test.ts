// Text from others reaches a terminal only through the one sanitizer (issue 9): a session
// pulled from a hostile remote carries raw escapes (CSI, OSC 0 title, OSC 52 clipboard,
// OSC 8 link, 8-bit CSI, BEL), bidi overrides and zero-width characters in its goal,
// prompts, decisions, tool and check output; and events of shapes this version cannot obey.
// The BYTES every text-mode command writes are checked, with colour on (a TTY), so the
// painter's own SGR sequences must survive while nothing from the data does.
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createElement } from 'react';
import { main } from '../../src/cli/main.js';
import type { CliEnv } from '../../src/cli/env.js';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { blob, commit, metaCommit, setRef, summaryOf, tree, ulidAt } from '../support/hostile.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { KEY, renderAt } from '../tui/render.js';

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => {
  cleanup();
  daemon?.stop();
});

const EVIL = [
  '\x1b[2J\x1b[H', // clear the screen
  '\x1b]0;pwned-title\x07', // retitle the terminal / tmux pane
  '\x1b]52;c;ZWNobyBwd25lZA==\x07', // OSC 52: put "echo pwned" in the clipboard
  '\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\', // OSC 8 hyperlink
  '\u009b31m', // 8-bit CSI
  'abc\u202edcba', // right-to-left override
  'zero\u200bwidth\u2066iso\u2069\ufeff\u2028',
].join(' ');

// Anything a terminal acts on that the sanitizer must have escaped.
// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/** No raw unsafe character; ESC only as the painter's SGR (colour) sequences. */
function expectSafe(out: string, what: string): void {
  expect(RAW.exec(out)?.[0], `${what}: a raw control or bidi character`).toBeUndefined();
  // eslint-disable-next-line no-control-regex
  const escapes = out.match(/\x1b[^m]{0,8}/g) ?? [];
  for (const e of escapes) expect(e, `${what}: an escape that is not a colour`).toMatch(/^\x1b\[[0-9;]*$/);
  expect(out.replace(/\x1b\[[0-9;]*m/g, '')).not.toContain('\x1b');
}

/** Runs the CLI in-process with stdout on a colour terminal (isTTY, NO_COLOR unset); stdout and stderr as written. */
async function tty(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const env: CliEnv = {
    cwd,
    stdout: { write: (s) => ((stdout += typeof s === 'string' ? s : Buffer.from(s).toString()), true), isTTY: true },
    // stderr is not a terminal: no progress line (whose own \r and ESC [K are the CLI's).
    stderr: { write: (s) => ((stderr += typeof s === 'string' ? s : Buffer.from(s).toString()), true) },
    clock: () => Date.parse('2026-03-01T12:00:00Z'),
    env: { ...process.env, NO_COLOR: '', TERM: 'xterm-256color' },
  };
  const code = await main(args, env);
  return { code, stdout, stderr };
}

/** A clone that pulled one hostile session (goal, prompts, decisions, outputs all EVIL; work on main) and one with odd shapes. */
async function pulledHostile() {
  const name = `text-${Math.random().toString(36).slice(2)}`;
  const url = daemon.remote(name);
  const dir = daemon.dir(name);
  const a = makeRepo();
  git(a, 'remote', 'add', 'origin', url);
  await cli(a, ['init']);
  git(a, 'push', '-q', 'origin', 'main');
  const base = git(a, 'rev-parse', 'main');
  const t0 = Date.parse('2026-02-01T10:00:00Z');
  const ev = (n: number, body: object) => ({ id: ulidAt(t0 + n, `ev${n}e`.padEnd(16, '0')), ts: new Date(t0 + n).toISOString(), ...body });
  const id = ulidAt(t0, 'h0st11e5e5510000');
  const start = ev(0, { kind: 'start', goal: `goal ${EVIL}`, target: 'main', base, author: `Eve ${EVIL} <eve@example.com>`, agent: { name: `agent${EVIL}`, model: 'm\x1b[5m' } });
  // A work commit on the base, so export has something to put on a branch.
  const file = blob(dir, 'hello\n');
  const t = tree(dir, { 'README.md': ['100644', blob(dir, '# test\n')], 'evil.txt': ['100644', file] });
  const work = commit(dir, t, [base], `work ${EVIL}\n\nSession-Id: ${id}\n`);
  const events = [
    start,
    ev(1, { kind: 'prompt', text: `prompt ${EVIL}` }),
    ev(2, { kind: 'message', role: 'tool', name: 'Bash', text: `tool output ${EVIL}` }),
    ev(3, { kind: 'decision', chosen: `chosen ${EVIL}`, rejected: [{ option: `opt ${EVIL}`, reason: `why ${EVIL}` }], rationale: `because ${EVIL}` }),
    ev(4, { kind: 'check', command: ['sh', '-c', `echo ${EVIL}`], exitCode: 1, tree: t, durationMs: 5, output: `check output ${EVIL}` }),
    ev(5, { kind: 'snapshot', commit: work, parent: base, message: `snap ${EVIL}`, files: [{ path: `evil${EVIL}.txt`, status: 'A' }] }),
    ev(6, { kind: 'note', text: `note ${EVIL}` }),
  ];
  setRef(dir, `refs/sessions/${id}/meta`, metaCommit(dir, events, summaryOf(id, start, events.length)));
  setRef(dir, `refs/sessions/${id}/work`, work);
  // Shapes this version cannot obey, next to a valid start.
  const odd = ulidAt(t0 + 100, '0dd5hape50000000');
  const oddStart = ev(100, { kind: 'start', goal: 'odd shapes', target: 'main', base, author: 'Odd <o@example.com>' });
  const oddEvents = [
    oddStart,
    ev(101, { kind: 'telepathy', thought: `a newer kind ${EVIL}` }),
    ev(102, { kind: 'decision', chosen: 'no rejected list', rationale: 'r' }),
    { ...ev(103, { kind: 'note', text: 'numeric ts' }), ts: 1767225600 },
    ev(104, { kind: 'prompt', text: null }),
    { ...ev(105, { kind: 'note', text: 'bad id' }), id: `not-a-ulid\u202e${EVIL}` },
  ];
  setRef(dir, `refs/sessions/${odd}/meta`, metaCommit(dir, oddEvents, summaryOf(odd, oddStart, oddEvents.length)));
  const p = await cli(a, ['pull', '--json']);
  expect(p.code, p.stderr).toBe(1); // the odd session's invalid events are reported
  expect(p.json().created.sort()).toEqual([id, odd].sort());
  return { a, id, odd, work };
}

describe('no raw escape reaches stdout in text mode', () => {
  it('list, status, show, log, why, export (stdout and the PR body file), pull, errors', async () => {
    const { a, id } = await pulledHostile();
    // A commit that names the hostile session, for `why`.
    writeFile(a, 'w.txt', 'line\n');
    git(a, 'add', 'w.txt');
    git(a, 'commit', '-q', '-m', `w\n\nSession-Id: ${id}`);
    const runs: [string, string[]][] = [
      ['list', ['list']],
      ['status', ['status']],
      ['show', ['show', id]],
      ['log', ['log', id]],
      ['why', ['why', 'w.txt:1']],
      ['export', ['export', id, '--branch', 'pr/evil']],
      ['pull', ['pull']],
      ['error', ['show', `nope${EVIL}`]],
    ];
    let coloured = false;
    for (const [what, args] of runs) {
      const r = await tty(a, args);
      expect([0, 1, 2], `${what} exit ${r.code}: ${r.stderr}`).toContain(r.code);
      expectSafe(r.stdout, `${what} stdout`);
      expectSafe(r.stderr, `${what} stderr`);
      if (/\x1b\[3\dm/.test(r.stdout)) coloured = true;
      if (['show', 'log', 'why', 'export'].includes(what)) expect(r.stdout, what).toContain('\\x1b]52;c;');
    }
    expect(coloured, 'the painter still colours on a TTY').toBe(true);
    // The escaped forms are shown, so what was stored stays visible.
    expect((await tty(a, ['show', id])).stdout).toContain('abc\\u202edcba');
    const file = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-prbody-'))), 'pr.md');
    const r = await tty(a, ['export', id, '--branch', 'pr/evil', '--pr-body', file]);
    expect(r.code, r.stderr).toBe(0);
    expectSafe(readFileSync(file, 'utf8'), 'PR body file');
    expect(readFileSync(file, 'utf8')).toContain('\\x1b]0;pwned-title\\x07');
    // --json stays exact JSON: the same values, escapes written as JSON escapes.
    const j = await cli(a, ['show', id, '--json']);
    expectSafe(j.stdout, 'show --json');
    expect(j.json().session.goal).toBe(`goal ${EVIL}`);
  });

  it('events of unknown kinds or invalid shapes are shown safely and never crash show, log or the TUI', async () => {
    const { a, odd } = await pulledHostile();
    for (const args of [['show', odd], ['log', odd], ['list'], ['status']]) {
      const r = await tty(a, args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
      expectSafe(r.stdout, args[0]);
    }
    const log = (await cli(a, ['log', odd])).stdout;
    expect(log).toMatch(/telepathy.*not known to this version/);
    expect(log).toMatch(/invalid decision \(rejected: /);
    expect(log).toMatch(/invalid note \(ts: /);
    expect(log).toMatch(/invalid prompt \(text: /);
    expect(log).toMatch(/invalid note \(id: not a ULID\)/);
    const show = (await cli(a, ['show', odd, '--json'])).json();
    expect(show.session.flagged.map((f: any) => f.kind).sort()).toEqual(['decision', 'note', 'note', 'prompt']);
    // --json keeps each stored event exactly, marked.
    const tele = show.events.find((e: any) => e.type === 'telepathy');
    expect(tele).toMatchObject({ kind: 'foreign', invalid: false, data: { kind: 'telepathy', thought: `a newer kind ${EVIL}` } });
    expect(show.events.find((e: any) => e.type === 'decision')).toMatchObject({ kind: 'foreign', invalid: true, data: { chosen: 'no rejected list' } });

    // The terminal browser: the list, then the odd session's timeline.
    const repo = Repo.open({ cwd: a, clock: () => Date.parse('2026-03-01T12:00:00Z'), env: process.env });
    const ui = renderAt(createElement(App, { data: browseData(repo), now: () => Date.parse('2026-03-01T12:00:00Z'), noColor: true }), 100, 30);
    await ui.until('odd shapes');
    expect(ui.raw()).not.toMatch(RAW);
    expect(ui.raw()).not.toContain('\x1b]');
    await ui.press(KEY.enter);
    await ui.until('telepathy');
    for (let i = 0; i < 4; i++) await ui.press('j');
    expect(ui.raw()).not.toMatch(RAW);
    expect(ui.raw()).not.toContain('\x1b]');
    ui.unmount();
  });

  it('an imported transcript whose tool output holds escapes prints them escaped', async () => {
    const dir = makeRepo();
    const t = (n: number) => `2025-08-04T09:12:0${n}.000Z`;
    const lines = [
      { type: 'user', uuid: 'u1', timestamp: t(1), message: { role: 'user', content: `run the thing ${EVIL}` } },
      { type: 'assistant', uuid: 'a1', timestamp: t(2), message: { role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'cat x' } }] } },
      { type: 'user', uuid: 'u2', timestamp: t(3), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: `tool said ${EVIL}` }] } },
    ];
    const file = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-transcript-'))), 't.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const imp = await cli(dir, ['import', '--transcript', file, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const id = imp.json().session;
    for (const args of [['log', id], ['show', id], ['list']]) {
      const r = await tty(dir, args);
      expect(r.code, r.stderr).toBe(0);
      expectSafe(r.stdout, args[0]);
    }
    expect((await tty(dir, ['log', id])).stdout).toContain('tool said \\x1b[2J');
  });
});

