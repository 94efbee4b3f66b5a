// Terminal-like streams for driving the real Ink app without a terminal (tests, the
// signal child and the TUI benchmark share them).
import { EventEmitter } from 'node:events';

/** A terminal-like stdout: counts writes, keeps the last one, optionally everything. */
export class FakeOut extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  out = '';
  writes = 0;
  last = '';
  /** Keep every write in `out` (off for long benchmarks). */
  keep = true;
  onWrite: (s: string) => void = () => {};
  write(chunk: string | Uint8Array, cb?: unknown, cb2?: unknown): boolean {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    this.writes++;
    this.last = s;
    if (this.keep) this.out += s;
    this.onWrite(s);
    const done = typeof cb === 'function' ? cb : typeof cb2 === 'function' ? cb2 : undefined;
    if (done) setImmediate(done as () => void);
    return true;
  }
}

/** A terminal-like stdin that Ink can put in raw mode and read typed keys from. */
export class FakeIn extends EventEmitter {
  isTTY = true;
  raw = false;
  private queue: string[] = [];
  setRawMode(v: boolean) {
    this.raw = v;
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
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  /** Queues keys as if typed. */
  type(s: string) {
    this.queue.push(s);
    this.emit('readable');
  }
}
