// `run --exec` stopped by SIGTERM sent to git-session (as an agent harness or Ctrl-C
// does): the signal reaches the agent's whole process group, and what the agent wrote
// before it stopped is snapshotted and its exit recorded, never lost.
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

describe('run --exec under a signal', () => {
  it('SIGTERM reaches the agent’s process group; its work is snapshotted and its exit recorded; exit 143', async () => {
    const dir = makeRepo();
    const id = (await cli(dir, ['request', 'Write a long file', '--json'])).json().id;
    expect((await cli(dir, ['review', id, '--accept'])).code).toBe(0);
    const pidFile = join(dir, 'agent.pid');
    // The agent writes a file, starts a long child in its group, and waits for it.
    const agent = `echo partial > work.txt; sleep 60 & echo $! > ${pidFile}; wait`;
    const child = spawn(process.execPath, [BIN, 'run', id, '--exec', agent, '--yes'], { cwd: dir, env: { PATH: process.env.PATH!, ...HERMETIC }, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
    expect(alive(sleeper)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await until(() => !alive(sleeper), 5_000);
    const show = (await cli(dir, ['show', id, '--json'])).json();
    expect(show.session).toMatchObject({ state: 'open', files: 1 });
    const exec = show.events.find((e: any) => e.kind === 'exec');
    expect(exec).toMatchObject({ command: agent, signal: 'SIGTERM', exitCode: 143 });
    const snap = show.events.find((e: any) => e.kind === 'snapshot');
    expect(snap.files).toEqual([{ path: 'work.txt', status: 'A' }]);
  }, 60_000);
});
