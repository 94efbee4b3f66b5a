import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runTui } from '../../src/tui/index.js';
import { GsError } from '../../src/core/errors.js';
import { exitCode } from '../../src/cli/exit.js';
import { NOW, smallData } from './fixtures.js';
import { FakeIn, FakeOut } from './fake-tty.js';
import { KEY, strip, waitFor } from './render.js';



function streams() {
  const stdout = new FakeOut();
  const stdin = new FakeIn();
  return { stdout, stdin, opts: { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream } };
}

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001B\[(?:3[0-9]|4[0-9]|9[0-7])(?:;[0-9]+)*m/;

// a loaded CI machine can be slow; each wait below has its own, shorter, limit
vi.setConfig({ testTimeout: 60_000 });

describe('runTui', () => {
  it('draws on the alternate screen, resolves 0 on q and restores the terminal', async () => {
    const { stdout, stdin, opts } = streams();
    const done = runTui(smallData(), { ...opts, now: () => NOW });
    await waitFor(() => strip(stdout.out).includes('Goal number 3'), () => stdout.out);
    expect(stdin.raw).toBe(true);
    expect(stdout.out.startsWith('\u001B[?1049h')).toBe(true);
    stdin.type('q');
    await expect(done).resolves.toBe(0);
    expect(stdin.raw).toBe(false);
    expect(stdout.out.endsWith('\u001B[?1049l')).toBe(true);
    expect(stdout.out).toContain('\u001B[?25h'); // cursor shown again
    expect(COLOUR.test(stdout.out)).toBe(true);
  });

  it('walks list → session → diff → back → quit', async () => {
    const { stdout, stdin, opts } = streams();
    const done = runTui(smallData(), { ...opts, now: () => NOW });
    // output is cumulative: look only at what was written since the last key
    let mark = 0;
    const seen = (t: string) => waitFor(() => strip(stdout.out.slice(mark)).includes(t), () => `${t} in\n${strip(stdout.out.slice(mark))}`);
    const type = (k: string) => {
      mark = stdout.out.length;
      stdin.type(k);
    };
    await seen('Goal number 3');
    type(KEY.enter);
    await seen('timeline 9 events');
    await seen('files 2');
    type(KEY.tab);
    await seen('file 1/2');
    type(KEY.enter);
    await seen('+export class Bloom {}');
    type(KEY.escape);
    await seen('j/k file  enter diff');
    type('q');
    await seen('13 sessions');
    type('q');
    await expect(done).resolves.toBe(0);
  });

  it('resolves 130 on ctrl-c', async () => {
    const { stdout, stdin, opts } = streams();
    const done = runTui(smallData(), { ...opts, now: () => NOW });
    await waitFor(() => strip(stdout.out).includes('Goal number 3'));
    stdin.type(KEY.ctrlC);
    await expect(done).resolves.toBe(130);
    expect(stdout.out.endsWith('\u001B[?1049l')).toBe(true);
  });

  it('uses no colour under NO_COLOR', async () => {
    vi.stubEnv('NO_COLOR', '1');
    try {
      const { stdout, stdin, opts } = streams();
      const done = runTui(smallData(), { ...opts, now: () => NOW });
      await waitFor(() => strip(stdout.out).includes('Goal number 3'));
      stdin.type('q');
      await expect(done).resolves.toBe(0);
      expect(COLOUR.test(stdout.out)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  async function signalled(sig: NodeJS.Signals) {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./signal-child.ts', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: undefined, CONTINUOUS_INTEGRATION: undefined },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await waitFor(() => strip(out).includes('Goal number 3'), () => out + err, 60_000);
    child.kill(sig);
    return { code: await exited, out, err: () => err };
  }

  it('SIGTERM ends the browser and still restores the terminal', async () => {
    const r = await signalled('SIGTERM');
    expect(r.code).toBe(0); // not killed: runTui returned and the script ran on
    const i = r.out.lastIndexOf('\u001B[?1049l');
    expect(i).toBeGreaterThan(0);
    expect(r.out.slice(i)).toMatch(/EXIT 143\s*$/);
  }, 90_000);

  it('SIGHUP ends the browser with 129, restoring a terminal that is still there', async () => {
    const r = await signalled('SIGHUP');
    expect(r.code, r.err()).toBe(0);
    const i = r.out.lastIndexOf('\u001B[?1049l');
    expect(i).toBeGreaterThan(0);
    expect(r.out.slice(i)).toMatch(/EXIT 129\s*$/);
  }, 90_000);

  it('refuses a stdout that is not a terminal, writing nothing', async () => {
    const { stdout, opts } = streams();
    stdout.isTTY = false;
    const err = await runTui(smallData(), opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GsError);
    expect(exitCode((err as GsError).code)).toBe(2);
    expect((err as GsError).message).toMatch(/not a TTY/);
    expect(stdout.out).toBe('');
  });
});

describe('runTui when its terminal goes away', () => {
  const ioError = (code: string, syscall: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });

  async function started() {
    const { stdout, stdin, opts } = streams();
    const done = runTui(smallData(), { ...opts, now: () => NOW });
    await waitFor(() => strip(stdout.out).includes('Goal number 3'), () => stdout.out);
    return { stdout, stdin, done };
  }

  it('a read error on stdin (EIO: the terminal hung up) ends it with 129, not trying to leave the alternate screen', async () => {
    const { stdout, stdin, done } = await started();
    stdin.emit('error', ioError('EIO', 'read'));
    await expect(done).resolves.toBe(129);
    expect(stdout.out).not.toContain('\u001B[?1049l');
    expect(() => stdin.emit('error', ioError('EIO', 'read'))).not.toThrow();
  });

  it('end of input on stdin ends it with 129', async () => {
    const { stdin, done } = await started();
    stdin.emit('end');
    await expect(done).resolves.toBe(129);
  });

  it('a write error on stdout (EPIPE, EIO) ends it with 129, and later write errors are not thrown', async () => {
    const { stdout, done } = await started();
    stdout.emit('error', ioError('EIO', 'write'));
    await expect(done).resolves.toBe(129);
    expect(() => stdout.emit('error', ioError('EIO', 'write'))).not.toThrow();
  });

  it('keys typed after the hang-up do nothing', async () => {
    const { stdout, stdin, done } = await started();
    stdin.emit('error', ioError('EIO', 'read'));
    await expect(done).resolves.toBe(129);
    const before = stdout.out.length;
    stdin.type('j');
    await new Promise((r) => setTimeout(r, 50));
    expect(stdout.out.length).toBe(before);
  });
});
