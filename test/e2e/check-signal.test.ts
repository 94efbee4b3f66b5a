// Issue 8.10: a check stopped by SIGTERM/SIGINT sent to git-session (as an agent harness
// does) stops everything it started and records nothing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, HERMETIC, cli, makeRepo } from '../support/repo.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('check under a signal', () => {
  for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${sig} reaches the check's process group; nothing is recorded; exit ${code}`, async () => {
      const dir = makeRepo();
      const id = (await cli(dir, ['start', 'long check', '--json'])).json().id;
      const pidFile = join(dir, 'sleeper.pid');
      const child = spawn(process.execPath, [BIN, 'check', '--', `sleep 60 & echo $! > ${pidFile}; wait`], { cwd: dir, env: { PATH: process.env.PATH!, ...HERMETIC }, stdio: 'ignore' });
      const exited = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
      const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
      expect(alive(sleeper)).toBe(true);
      child.kill(sig);
      expect(await exited).toBe(code);
      await until(() => !alive(sleeper), 5_000);
      expect((await cli(dir, ['show', id, '--json'])).json().session.counts.check).toBeUndefined();
    }, 60_000);
  }
});
