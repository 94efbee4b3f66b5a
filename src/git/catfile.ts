// One `git cat-file --batch` process answering requests as they come (pipelined): a reader
// that must walk trees to know what to ask next (a session's events, an archive bucket)
// pays one spawn whatever the number of objects, and reads packed objects at git's speed
// instead of loading isomorphic-git.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';

/** An object as git stored it. */
export interface RawObject {
  oid: string;
  type: string;
  body: Buffer;
}

interface Waiter {
  resolve: (o: RawObject | undefined) => void;
  reject: (e: Error) => void;
}

/** A running `git cat-file --batch`; `close()` it when done. */
export class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Waiter[] = [];
  private failed?: Error;
  private err = '';

  constructor(cwd: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (b: Buffer) => this.take(b));
    this.child.stderr.on('data', (b: Buffer) => (this.err += b.toString()));
    this.child.on('error', (e) => this.fail(new GsError('git-failed', `cannot run git: ${e.message}`)));
    this.child.on('close', (code) => this.fail(new GsError('git-failed', `git cat-file ended early (${code}): ${this.err.trim()}`)));
    this.child.stdin.on('error', () => {});
  }

  /** The object `spec` names (`<oid>`, `<rev>:<path>`), or undefined when git finds none. */
  read(spec: string): Promise<RawObject | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r]/.test(spec)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(spec + '\n');
    });
  }

  /** A blob's text, or undefined when missing or not a blob. */
  async text(spec: string): Promise<string | undefined> {
    const o = await this.read(spec);
    return o?.type === 'blob' ? o.body.toString('utf8') : undefined;
  }

  /** Ends the process (requests still waiting are refused). */
  close(): void {
    this.child.stdin.end();
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failed);
  }

  // Bytes not consumed yet, kept as pieces until an object is complete (one copy per object).
  private pieces: Buffer[] = [];
  private have = 0;
  private need?: { oid: string; type: string; size: number };

  private take(b: Buffer): void {
    this.pieces.push(b);
    this.have += b.length;
    for (;;) {
      if (!this.waiting.length) return;
      if (!this.need) {
        const head = this.pieces.length > 1 ? Buffer.concat(this.pieces) : this.pieces[0];
        this.pieces = head ? [head] : [];
        const nl = head ? head.indexOf(10) : -1;
        if (nl < 0) return;
        const header = head.toString('utf8', 0, nl);
        this.pieces = [head.subarray(nl + 1)];
        this.have -= nl + 1;
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          this.waiting.shift()!.resolve(undefined);
          continue;
        }
        const [oid, type, size] = header.split(' ');
        this.need = { oid, type, size: parseInt(size, 10) };
      }
      const { oid, type, size } = this.need;
      if (this.have < size + 1) return;
      const all = this.pieces.length > 1 ? Buffer.concat(this.pieces) : this.pieces[0];
      const body = all.subarray(0, size);
      this.pieces = [all.subarray(size + 1)];
      this.have -= size + 1;
      this.need = undefined;
      this.waiting.shift()!.resolve({ oid, type, body });
    }
  }
}

/** Runs `fn` with a CatFile open in `cwd`, closing it after. */
export async function withCatFile<T>(cwd: string, fn: (cf: CatFile) => Promise<T>): Promise<T> {
  const cf = new CatFile(cwd);
  try {
    return await fn(cf);
  } finally {
    cf.close();
  }
}
