// Writes under a concurrent `git gc` (issue 10, finding 12): gc packs loose objects,
// removes the fan-out directories it emptied and sweeps temporary files, so a loose-object
// write must make its directory again and retry, and a read must look again through the
// packs. 160 records and 40 snapshots with a gc loop running: none may fail.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';

let loop: ReturnType<typeof spawn> | undefined;
afterEach(() => {
  if (loop?.pid) process.kill(-loop.pid, 'SIGTERM');
  loop = undefined;
});

describe('a concurrent git gc loop', () => {
  it('fails none of 160 records and 40 snapshots, and loses nothing', async () => {
    const dir = makeRepo();
    await cli(dir, ['init']);
    const id = (await cli(dir, ['start', 'under gc', '--json'])).json().id;
    let gcRuns = 0;
    loop = spawn('sh', ['-c', 'while :; do git gc -q 2>/dev/null; echo; done'], { cwd: dir, env: process.env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    loop.stdout!.on('data', (b: Buffer) => (gcRuns += b.toString().split('\n').length - 1));
    const failures: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = i % 5 === 4
        ? (writeFile(dir, `f${i}.txt`, `${i}\n`), await cli(dir, ['snapshot', '-m', `s${i}`]))
        : await cli(dir, ['record', 'note', `note ${i}`]);
      if (r.code !== 0) failures.push(`${i}: ${r.stderr.trim()}`);
    }
    process.kill(-loop.pid!, 'SIGTERM');
    loop = undefined;
    expect(failures).toEqual([]);
    expect(gcRuns).toBeGreaterThan(2); // gc did run alongside
    const log = (await cli(dir, ['log', id, '--json'])).json().events;
    expect(log.filter((e: { kind: string }) => e.kind === 'note')).toHaveLength(160);
    expect(log.filter((e: { kind: string }) => e.kind === 'snapshot')).toHaveLength(40);
    git(dir, 'fsck', '--no-progress', '--no-dangling');
  });
});
