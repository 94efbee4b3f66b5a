// The built binary in a real terminal (tmux): keys, pastes, quitting, and what happens when
// the terminal goes away or a signal comes. Every wait polls the screen or a file with a
// generous limit (the machine may be loaded); nothing sleeps a fixed time to be safe.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, HERMETIC, cli, makeRepo } from '../support/repo.js';

const server = `gs-tui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(what: () => string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await sleep(100);
  }
}

/** What the launcher wrote when the browser ended: its exit code or signal, and its stderr. */
interface Ended {
  code: number | null;
  signal: string | null;
  stderr: string;
  /** `stty -g` before and after the browser ran (raw mode must be left) */
  sttyBefore: string;
  sttyAfter: string;
}

// The browser runs under a small launcher in the pane, so its exit status can be seen even
// when the terminal is gone: the launcher ignores SIGHUP and writes the result to a file.
const LAUNCHER = `
const { spawn, execSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const [bin, pidFile, endFile] = process.argv.slice(2);
const stty = () => { try { return execSync('stty -g', { stdio: ['inherit', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'gone'; } };
const sttyBefore = stty();
const child = spawn(process.execPath, [bin, 'tui'], { stdio: ['inherit', 'inherit', 'pipe'] });
writeFileSync(pidFile, String(child.pid));
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
process.on('SIGHUP', () => {});
child.on('exit', (code, signal) => {
  writeFileSync(endFile, JSON.stringify({ code, signal, stderr, sttyBefore, sttyAfter: stty() }));
  setTimeout(() => {}, 60_000);
});
`;

let sessions = 0;

/** Starts `git session tui` in `dir` in a new tmux session of the given size. */
function launch(dir: string, columns = 100, rows = 30) {
  const name = `s${++sessions}`;
  const launcher = join(dir, '.git', 'tui-launcher.cjs');
  const pidFile = join(dir, '.git', `tui-${name}.pid`);
  const endFile = join(dir, '.git', `tui-${name}.end`);
  writeFileSync(launcher, LAUNCHER);
  const env = Object.entries({ ...HERMETIC, PATH: process.env.PATH!, TERM: 'xterm-256color' })
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const cmd = `env -u CI -u CONTINUOUS_INTEGRATION ${env} ${JSON.stringify(process.execPath)} ${launcher} ${BIN} ${pidFile} ${endFile}`;
  if (sessions === 1) tmux('new-session', '-d', '-s', 'keep', 'sleep 600'); // the server outlives killed sessions
  tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), '-c', dir, cmd);
  const screen = () => tmux('capture-pane', '-p', '-t', name);
  return {
    name,
    screen,
    keys: (...k: string[]) => tmux('send-keys', '-t', name, ...k),
    /** `text` typed in one write (tmux sends a literal string at once) */
    type: (text: string) => tmux('send-keys', '-t', name, '-l', text),
    /** `text` pasted (one write; newlines arrive as Enter) */
    paste: (text: string) => {
      tmux('set-buffer', '-b', name, text);
      tmux('paste-buffer', '-b', name, '-t', name);
    },
    until: (re: RegExp) => poll(() => `${re}; screen:\n${screen()}`, () => (re.test(screen()) ? screen() : undefined)),
    pid: () => poll(() => 'the browser to start', () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined)),
    ended: () => poll(() => 'the browser to exit', () => (existsSync(endFile) ? (JSON.parse(readFileSync(endFile, 'utf8')) as Ended) : undefined)),
    pane: (format: string) => tmux('display', '-p', '-t', name, format).trim(),
  };
}

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {
    /* already gone */
  }
  sessions = 0;
});

/** A repository with a few sessions whose goals start with the given names. */
async function repoWith(...names: string[]): Promise<string> {
  const dir = makeRepo();
  for (const n of names) await cli(dir, ['start', `${n} improves the parser`]);
  return dir;
}

describe('git session tui in a real terminal (tmux)', () => {
  it('searches, opens a session showing its decision, and quits cleanly with exit 0', async () => {
    const dir = makeRepo();
    await cli(dir, ['start', 'Refactor the parser', '--agent', 'claude', '--model', 'opus']);
    await cli(dir, ['record', 'prompt', 'make the parser streaming']);
    await cli(dir, ['decide', 'a generator', '--because', 'constant memory', '--rejected', 'read whole file: 100 MB inputs']);
    await cli(dir, ['start', 'Fix the login button']);
    const t = launch(dir);
    await t.until(/Fix the login button/);
    expect(t.screen()).toContain('Refactor the parser');
    t.keys('/');
    t.type('streaming');
    await t.until(/\/streaming/);
    t.keys('Enter');
    const filtered = await t.until(/1 of 2 sessions/);
    expect(filtered).not.toContain('Fix the login button');
    expect(filtered).toContain('Refactor the parser');
    t.keys('Enter');
    const opened = await t.until(/a generator/);
    expect(opened).toMatch(/read whole file/);
    expect(opened).toMatch(/100 MB inputs/);
    expect(opened).toMatch(/constant memory/);
    t.keys('q');
    await t.until(/Fix the login button|streaming/);
    t.keys('q');
    const end = await t.ended();
    expect(end.code).toBe(0);
    expect(end.sttyAfter).toBe(end.sttyBefore);
  }, 180_000);

  it('handles every key of one write: jjj, fff, and a pasted "/Charlie⏎⏎" opens Charlie', async () => {
    const dir = await repoWith('Alice', 'Bob', 'Charlie', 'Dave', 'Eve');
    const t = launch(dir);
    await t.until(/Alice improves/);
    await t.until(/1\/5\s*$/m);
    t.type('jjj');
    const moved = await t.until(/4\/5\s*$/m);
    expect(moved).toMatch(/^› open +Bob improves/m); // newest first: Eve, Dave, Charlie, Bob
    t.type('fff');
    await t.until(/filter: abandoned/);
    t.type('f');
    await t.until(/filter: requested/);
    t.type('f');
    await t.until(/filter: all/);
    t.paste('/Charlie\n\n');
    const opened = await t.until(/timeline \d+ event/);
    expect(opened).toMatch(/^● open +Charlie improves the parser/m);
    t.type('qq');
    const end = await t.ended();
    expect(end.code).toBe(0);
  }, 180_000);

  it('exits (129, quietly) when its terminal goes away: the tmux session is killed', async () => {
    const dir = await repoWith('Alice');
    const t = launch(dir);
    await t.until(/Alice improves/);
    tmux('kill-session', '-t', t.name);
    const end = await t.ended();
    expect(end).toMatchObject({ code: 129, signal: null });
    expect(end.stderr).not.toMatch(/Error|Assertion|node:|\bat /);
  }, 180_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s with the terminal still there: exits %i and restores it', async (sig, code) => {
    const dir = await repoWith('Alice');
    const t = launch(dir);
    await t.until(/Alice improves/);
    expect(t.pane('#{alternate_on}')).toBe('1');
    process.kill(await t.pid(), sig);
    const end = await t.ended();
    expect(end).toMatchObject({ code, signal: null });
    expect(end.stderr).not.toMatch(/Error|Assertion/);
    expect(end.sttyAfter).toBe(end.sttyBefore); // raw mode left
    expect(t.pane('#{alternate_on}')).toBe('0'); // back on the normal screen
    expect(t.pane('#{cursor_flag}')).toBe('1'); // cursor shown
    expect(t.screen()).not.toContain('Alice improves');
  }, 180_000);

  it('refuses a non-TTY stdout with one line and exit 2', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['tui']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/list|show/);
  });
});
