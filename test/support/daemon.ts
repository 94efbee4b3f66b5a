// A real `git daemon` on 127.0.0.1 serving bare repositories from a temp dir, started
// and stopped by whoever needs a remote (tests and the bridges benchmark).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running daemon: make bare remotes under it, stop it when done. */
export interface Daemon {
  port: number;
  /** Creates a bare repository `<name>.git` and returns its git:// URL. */
  remote(name: string): string;
  /** The directory of the bare repository `<name>.git` (to write hostile refs into it directly). */
  dir(name: string): string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** Starts `git daemon` (push enabled) on a free loopback port and waits until it accepts. */
export async function startDaemon(): Promise<Daemon> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'gs-daemon-')));
  const port = await freePort();
  const child = spawn('git', ['daemon', '--export-all', '--enable=receive-pack', `--base-path=${root}`, '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr', root], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1');
      c.on('connect', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    remote(name) {
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(root, `${name}.git`)]);
      return `git://127.0.0.1:${port}/${name}.git`;
    },
    dir: (name) => join(root, `${name}.git`),
    stop: () => child.kill('SIGTERM'),
  };
}
