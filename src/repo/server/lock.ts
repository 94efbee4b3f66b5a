// One landing at a time per target on a server: a lock file per target branch under
// <git-dir>/session/server/, created with O_EXCL and holding the owner's pid. A worker
// killed with kill -9 leaves it behind; the next one sees its pid is gone and takes over.
// Correctness never rests on the lock (every landing is one compare-and-swap transaction
// on the target, the session and the request): it keeps landers from racing for nothing.
import { constants } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A held lock. */
export interface Held {
  release(): Promise<void>;
}

/** The lock file of a target branch (its name hex-encoded: any branch name is one file name). */
export function lockPath(serverDir: string, target: string): string {
  return join(serverDir, `land-${Buffer.from(target, 'utf8').toString('hex')}.lock`);
}

/** Whether process `pid` is alive on this host. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a lock file names, or undefined when it holds none (being written, or garbage). */
export async function lockOwner(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(/^(\d+)\n/.exec(text)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes the lock of `target` without waiting: undefined when a live process holds it.
 * A lock whose owner is dead (or that names nobody for a while: a writer killed between
 * create and write) is removed and taken.
 */
export async function tryLock(serverDir: string, target: string): Promise<Held | undefined> {
  await mkdir(serverDir, { recursive: true });
  const path = lockPath(serverDir, target);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await lockOwner(path);
    if (owner !== undefined && alive(owner)) return undefined;
    if (owner === undefined) {
      // Created but not yet written: give its writer a moment before calling it dead.
      await new Promise((r) => setTimeout(r, 50));
      if ((await lockOwner(path)) !== undefined) continue;
    }
    await rm(path, { force: true });
  }
  return undefined;
}
