import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, HERMETIC, cli, makeRepo } from '../support/repo.js';

const session = `gs-tui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', session, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(re: RegExp, ms = 40_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (re.test(last)) return last;
    await sleep(100);
  }
  throw new Error(`screen never matched ${re}:\n${last}`);
}

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {
    /* already gone */
  }
});

describe('git session tui in a real terminal (tmux)', () => {
  it('searches, opens a session showing its decision, and quits cleanly with exit 0', async () => {
    const dir = makeRepo();
    await cli(dir, ['start', 'Refactor the parser', '--agent', 'claude', '--model', 'opus']);
    await cli(dir, ['record', 'prompt', 'make the parser streaming']);
    await cli(dir, ['decide', 'a generator', '--because', 'constant memory', '--rejected', 'read whole file: 100 MB inputs']);
    await cli(dir, ['start', 'Fix the login button']);
    const done = join(dir, '.git', 'tui-exit');
    const env = Object.entries({ ...HERMETIC, PATH: process.env.PATH!, TERM: 'xterm-256color' }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', dir, `env -u CI -u CONTINUOUS_INTEGRATION ${env} node ${BIN} tui; echo $? > ${done}; sleep 30`);
    await waitFor(/Fix the login button/);
    expect(screen()).toContain('Refactor the parser');
    await sleep(500); // let ink attach its input handler after the first frame
    tmux('send-keys', '-t', session, '/');
    tmux('send-keys', '-t', session, '-l', 'streaming');
    await waitFor(/\/streaming/);
    tmux('send-keys', '-t', session, 'Enter');
    const filtered = await waitFor(/1 of 2 sessions/);
    expect(filtered).not.toContain('Fix the login button');
    expect(filtered).toContain('Refactor the parser');
    tmux('send-keys', '-t', session, 'Enter');
    const opened = await waitFor(/a generator/);
    expect(opened).toMatch(/read whole file/);
    expect(opened).toMatch(/100 MB inputs/);
    expect(opened).toMatch(/constant memory/);
    tmux('send-keys', '-t', session, 'q');
    await waitFor(/Fix the login button|streaming/);
    tmux('send-keys', '-t', session, 'q');
    const end = Date.now() + 10_000;
    while (!existsSync(done) && Date.now() < end) await sleep(100);
    expect(readFileSync(done, 'utf8').trim()).toBe('0');
  }, 180_000);

  it('refuses a non-TTY stdout with one line and exit 2', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['tui']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/list|show/);
  });
});
