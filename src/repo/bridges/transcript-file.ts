// Reads an agent transcript file line by line (node:readline over a read stream, so a
// file of any size imports in bounded memory: one line at a time, never the whole file)
// and hands each item on with every text field already redacted. Redaction happens
// here, before the caller sees the item, so nothing downstream can store a secret by
// forgetting to redact.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { GsError } from '../../core/errors.js';
import { createRedactor, type Redactor } from '../../core/redact/index.js';
import { createParser, detectFormat, sniffLine } from '../../core/transcript/index.js';
import type { ParsedItem, TranscriptFormat, TranscriptMeta, TranscriptParser } from '../../core/transcript/index.js';

/** A parsed item after redaction; `redacted` lists the kinds of secret replaced, when any. */
export interface TranscriptItem extends ParsedItem {
  redacted?: string[];
}

/** Knobs for `readTranscript`; the defaults suit `import --transcript`. */
export interface ReadTranscriptOptions {
  /** The redactor to use (default: `createRedactor()`). */
  redactor?: Redactor;
  /** Non-blank lines `auto` may look at before giving up on detection (default 50). */
  sniffLines?: number;
}

/** What a whole read produced. */
export interface ReadTranscriptResult {
  format: TranscriptFormat;
  meta: TranscriptMeta;
  /** Items handed to `onItem`. */
  items: number;
  /** Items that had at least one secret replaced. */
  redactedItems: number;
  /** Secrets replaced, by kind (an item with two kinds counts once under each). */
  redactedKinds: Record<string, number>;
}

/**
 * Streams `path`, parsing it as `format` (or detecting the format from its first lines),
 * and awaits `onItem` for every item in order (so a slow consumer applies backpressure),
 * telling it the format (known by then: the file is opened and detected once).
 * Throws GsError bad-input for an unreadable or empty file, an undetectable format, or a
 * malformed line (with its number); the stream is closed either way.
 */
export async function readTranscript(
  path: string,
  format: TranscriptFormat | 'auto',
  onItem: (item: TranscriptItem, format: TranscriptFormat) => void | Promise<void>,
  opts: ReadTranscriptOptions = {},
): Promise<ReadTranscriptResult> {
  const redactor = opts.redactor ?? (await createRedactor());
  const sniffLimit = opts.sniffLines ?? 50;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  const result = { items: 0, redactedItems: 0, redactedKinds: {} as Record<string, number> };

  const deliver = async (items: ParsedItem[], detected: TranscriptFormat): Promise<void> => {
    for (const it of items) {
      const out = redactItem(it, redactor);
      if (out.redacted) {
        result.redactedItems++;
        for (const k of out.redacted) result.redactedKinds[k] = (result.redactedKinds[k] ?? 0) + 1;
      }
      result.items++;
      const p = onItem(out, detected);
      if (p) await p;
    }
  };

  let parser: TranscriptParser | undefined = format === 'auto' ? undefined : createParser(format);
  // Lines read while the format is still unknown (auto), replayed once it is.
  const pending: { line: string; no: number }[] = [];
  let nonBlank = 0;
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (parser) {
        await deliver(parser.feed(line, lineNo), parser.format);
        continue;
      }
      pending.push({ line, no: lineNo });
      if (line.trim() !== '') nonBlank++;
      const f = sniffLine(line);
      if (!f && nonBlank < sniffLimit) continue;
      parser = createParser(f ?? detectFormat(pending.map((p) => p.line)));
      for (const p of pending.splice(0)) await deliver(parser.feed(p.line, p.no), parser.format);
    }
    if (!parser) {
      if (nonBlank === 0) throw new GsError('bad-input', `transcript ${path} is empty`);
      parser = createParser(detectFormat(pending.map((p) => p.line)));
      for (const p of pending.splice(0)) await deliver(parser.feed(p.line, p.no), parser.format);
    }
    await deliver(parser.finish(), parser.format);
  } catch (e) {
    throw asInputError(e, path);
  } finally {
    rl.close();
    stream.destroy();
  }
  return { format: parser.format, meta: parser.meta, ...result };
}

/** Redacts every text field of an item (text, and the tool name for good measure). */
export function redactItem(it: ParsedItem, redactor: Redactor): TranscriptItem {
  const body = it.body;
  const r = redactor.redact(body.text);
  let kinds = r.kinds;
  let name: string | undefined;
  if (body.kind === 'message' && body.name !== undefined) {
    const n = redactor.redact(body.name);
    name = n.text;
    if (n.kinds.length) kinds = [...new Set([...kinds, ...n.kinds])].sort();
  }
  if (kinds.length === 0) return it;
  const out: TranscriptItem = { ...it, body: { ...body, text: r.text }, redacted: kinds };
  if (name !== undefined && out.body.kind === 'message') out.body.name = name;
  return out;
}

// File-system failures opening the transcript are the user's input problem (exit 2).
function asInputError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES' || code === 'ENOTDIR') {
    return new GsError('bad-input', `cannot read transcript ${path}: ${code}`);
  }
  return e;
}
