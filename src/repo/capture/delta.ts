// What an agent said since we last looked: the lines its transcript gained after the
// offset we stopped at, read at the end of a turn (Stop, PreCompact, SessionEnd). Agents
// write the transcript asynchronously, so the reader first waits (a bounded time) for
// the file to settle: until it holds the turn's last message when the payload told us
// that message, else until its size stops changing. Prompts and tool calls are not
// taken from here (their own hooks recorded them), only the agent's messages and its
// reasoning summaries. Each item's source id is the xxh64 of its line and its place in
// it (the id `import --transcript` gives the same item), or the format's own id.
import { open, stat } from 'node:fs/promises';
import xxhash from 'xxhash-wasm';
import { sourceId } from '../../core/agents/payload.js';
import { createParser, type ParsedItem, type TranscriptFormat } from '../../core/transcript/index.js';

/** An agent message or reasoning summary read from the transcript. */
export interface DeltaItem extends ParsedItem {
  src: string;
}

/** What one read found, and the offset to start from next time. */
export interface Delta {
  items: DeltaItem[];
  end: number;
  model?: string;
}

/** Knobs of the settle wait (tests shorten them). */
export interface SettleOptions {
  /** The size must hold still this long (ms). */
  quietMs?: number;
  /** Never wait longer than this in all (ms). */
  maxWaitMs?: number;
  /** Done as soon as an agent message starts like this. */
  waitFor?: string;
}

const MAX_DELTA = 64 * 1024 * 1024;

/** Reads the delta of `path` from `offset`, after waiting for the file to settle. */
export async function readDelta(path: string, format: TranscriptFormat, offset: number, o: SettleOptions = {}): Promise<Delta> {
  const quiet = o.quietMs ?? 150;
  const deadline = Date.now() + (o.maxWaitMs ?? 2000);
  const want = o.waitFor ? norm(o.waitFor) : undefined;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const size = (await stat(path)).size;
    if (size !== last) {
      last = size;
      since = Date.now();
    }
    const start = size < offset ? 0 : offset;
    if (want !== undefined) {
      const d = await parseDelta(path, format, start, size);
      if (d.items.some((i) => i.body.kind === 'message' && !i.body.name && norm(i.body.text).startsWith(want)) || Date.now() > deadline) return d;
    } else if (Date.now() - since >= quiet || Date.now() > deadline) {
      return parseDelta(path, format, start, size);
    }
    await new Promise((r) => setTimeout(r, 40));
  }
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);

async function parseDelta(path: string, format: TranscriptFormat, offset: number, size: number): Promise<Delta> {
  const len = Math.min(size - offset, MAX_DELTA);
  const buf = Buffer.alloc(Math.max(0, len));
  if (len > 0) {
    const fh = await open(path, 'r');
    try {
      await fh.read(buf, 0, len, offset);
    } finally {
      await fh.close();
    }
  }
  // Whole lines only: a line still being written is read next time.
  const stop = buf.lastIndexOf(0x0a) + 1;
  const { h64Raw } = await xxhash();
  const parser = createParser(format);
  const items: DeltaItem[] = [];
  let at = 0;
  let n = 0;
  const keep = (its: ParsedItem[], lineHash: string) => {
    its.forEach((it, i) => {
      if (it.body.kind !== 'message' || it.body.role !== 'agent' || (it.body.name !== undefined && it.body.name !== 'reasoning')) return;
      items.push({ ...it, src: it.key ? sourceId(format, it.key) : `${lineHash}.${i}` });
    });
  };
  while (at < stop) {
    const nl = buf.indexOf(0x0a, at);
    const raw = buf.subarray(at, nl);
    at = nl + 1;
    n++;
    const line = raw.toString('utf8').replace(/\r$/, '');
    if (!line.trim()) continue;
    let its: ParsedItem[];
    try {
      its = parser.feed(line, n);
    } catch {
      continue; // one bad line does not stop the rest
    }
    keep(its, h64Raw(raw).toString(16).padStart(16, '0'));
  }
  keep(parser.finish(), 'end');
  return { items, end: offset + stop, model: parser.meta.model };
}
