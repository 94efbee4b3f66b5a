// Child process for run.test.tsx: runs the browser on fake terminal streams that forward
// to the real stdout, and prints the exit code runTui resolves with.
import { EventEmitter } from 'node:events';
import { runTui } from '../../src/tui/data.js';
import { NOW, smallData } from './fixtures.js';

class Out extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  write(chunk: string | Uint8Array, cb?: unknown, cb2?: unknown): boolean {
    process.stdout.write(chunk);
    const done = typeof cb === 'function' ? cb : typeof cb2 === 'function' ? cb2 : undefined;
    if (done) setImmediate(done as () => void);
    return true;
  }
}
class In extends EventEmitter {
  isTTY = true;
  setRawMode() {
    return this;
  }
  setEncoding() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  read() {
    return null;
  }
}

const code = await runTui(smallData(), {
  stdout: new Out() as unknown as NodeJS.WriteStream,
  stdin: new In() as unknown as NodeJS.ReadStream,
  now: () => NOW,
});
process.stdout.write(`\nEXIT ${code}\n`);
