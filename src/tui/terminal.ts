// What is left to do when the terminal hangs up under the browser (its window closed, the
// tmux session killed, the ssh connection dropped).
import { closeSync, openSync } from 'node:fs';
import { devNull } from 'node:os';
import { isatty } from 'node:tty';

/** The process's standard descriptors that are a terminal now. */
export function terminalFds(): number[] {
  return [0, 1, 2].filter((fd) => isatty(fd));
}

/**
 * Points each of `fds` whose terminal has since hung up (it no longer answers as a
 * terminal) at the null device. Whatever writes later (an error message, an exit hook)
 * then goes nowhere instead of failing with EIO, and Node's restore of the terminal
 * modes at exit skips them: Node 20 aborts the process (SIGABRT, exit 134) when that
 * restore fails on a terminal that is gone. Only done once nothing reads or writes the
 * terminal any more; the descriptor is reopened at once, as the lowest free one.
 */
export function detachHungUp(fds: number[]): void {
  if (process.platform === 'win32') return;
  for (const fd of fds) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
      const got = openSync(devNull, fd === 0 ? 'r' : 'w');
      if (got !== fd) closeSync(got);
    } catch {
      // nothing better to do for a descriptor that cannot be reopened
    }
  }
}
