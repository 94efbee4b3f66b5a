// Reads an agent transcript file line by line (node:readline over a read stream, so a
// file of any size imports in bounded memory: one line at a time, never the whole file)
// and hands each item on with every text field already redacted. Redaction happens
// here, before the caller sees the item, so nothing downstream can store a secret by
// forgetting to redact.
import { createReadStream } from 'node:fs';
import xxhash from 'xxhash-wasm';
import { GsError } from '../../core/errors.js';
import { createRedactor, type Redactor } from '../../core/redact/index.js';
import { createParser, detectFormat, sniffLine } from '../../core/transcript/index.js';
import type { ParsedItem, TranscriptFormat, TranscriptMeta, TranscriptParser } from '../../core/transcript/index.js';

/** A parsed item after redaction; `redacted` lists the kinds of secret replaced, when any. */
export interface TranscriptItem extends ParsedItem {
  redacted?: string[];
  /** Stable id of the item: a hash of its line's bytes and its place in that line (idempotent re-imports). */
  src: string;
}

/**
 * Longest transcript line accepted (bytes). A longer one is bad input naming the line,
 * never a RangeError: V8 strings stop at ~512 MiB, and one line is held whole to parse it.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Where a previous import of this file stopped: lines read and the sha1 of their bytes. */
export interface ResumePoint {
  lines: number;
  digest: string;
}

/** Knobs for `readTranscript`; the defaults suit `import --transcript`. */
export interface ReadTranscriptOptions {
  /** The redactor to use (default: `createRedactor()`). */
  redactor?: Redactor;
  /** Non-blank lines `auto` may look at before giving up on detection (default 50). */
  sniffLines?: number;
  /** Skip (unparsed) the lines a previous import read, when their bytes are unchanged. */
  resume?: ResumePoint;
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
  /** Lines read in all and the sha1 of their bytes: where a later import can resume. */
  end: ResumePoint;
  /** The resume point matched and its lines were skipped. */
  resumed: boolean;
}

const NEWLINE = new Uint8Array([10]);
const hex = (n: bigint) => n.toString(16).padStart(16, '0');

/** Thrown when a resume point no longer matches the file (rewritten, not appended): import it whole. */
export class ResumeMismatch extends Error {}

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
  const result = { items: 0, redactedItems: 0, redactedKinds: {} as Record<string, number> };
  // xxh64 (the wasm build the Bloom filters use): 5-10x cheaper than a sha1 per line, and
  // these ids only tell a session's own items apart.
  const { h64Raw, create64 } = await xxhash();
  // Opened after the last await before the loop: an open error must reach the loop, not an unlistened stream.
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const hash = create64();
  const forced = format === 'auto' ? undefined : format;
  const sniffed: Record<string, number> = {};
  let sniffedLines = 0;

  const deliver = async (items: ParsedItem[], detected: TranscriptFormat, src: string): Promise<void> => {
    let i = 0;
    for (const it of items) {
      const out = { ...redactItem(it, redactor), src: `${src}.${i++}` };
      if (out.redacted) {
        result.redactedItems++;
        for (const k of out.redacted) result.redactedKinds[k] = (result.redactedKinds[k] ?? 0) + 1;
      }
      result.items++;
      const p = onItem(out, detected);
      if (p) await p;
    }
  };

  let parser: TranscriptParser | undefined = forced ? createParser(forced) : undefined;
  // Lines read while the format is still unknown (auto), replayed once it is.
  const pending: { line: string; no: number; src: string }[] = [];
  let nonBlank = 0;
  let lineNo = 0;
  let resumed = false;
  try {
    for await (const raw of readLines(stream, MAX_LINE_BYTES)) {
      lineNo++;
      hash.update(raw).update(NEWLINE);
      if (opts.resume && lineNo <= opts.resume.lines) {
        if (lineNo === opts.resume.lines) {
          if (hex(hash.digest()) !== opts.resume.digest) throw new ResumeMismatch();
          resumed = true;
        }
        continue;
      }
      let line = raw.toString('utf8');
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1); // a UTF-8 BOM
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const src = hex(h64Raw(raw));
      if (forced && sniffedLines < 200 && line.trim()) {
        sniffedLines++;
        const f = sniffLine(line);
        if (f) sniffed[f] = (sniffed[f] ?? 0) + 1;
      }
      if (parser) {
        await deliver(parser.feed(line, lineNo), parser.format, src);
        continue;
      }
      pending.push({ line, no: lineNo, src });
      if (line.trim() !== '') nonBlank++;
      const f = sniffLine(line);
      if (!f && nonBlank < sniffLimit) continue;
      parser = createParser(f ?? detectFormat(pending.map((p) => p.line)));
      for (const p of pending.splice(0)) await deliver(parser.feed(p.line, p.no), parser.format, p.src);
    }
    if (opts.resume && !resumed && lineNo < opts.resume.lines) throw new ResumeMismatch();
    if (!parser) {
      if (nonBlank === 0 && !resumed) throw new GsError('bad-input', `transcript ${path} is empty`);
      parser = createParser(pending.length ? detectFormat(pending.map((p) => p.line)) : (format === 'auto' ? 'claude-code' : format));
      for (const p of pending.splice(0)) await deliver(parser.feed(p.line, p.no), parser.format, p.src);
    }
    await deliver(parser.finish(), parser.format, 'end');
    if (forced) checkForcedFormat(forced, parser.meta, sniffed);
  } catch (e) {
    throw asInputError(e, path);
  } finally {
    stream.destroy();
  }
  const end = { lines: lineNo, digest: hex(hash.digest()) };
  return { format: parser.format, meta: parser.meta, ...result, end, resumed };
}

/**
 * The lines of a byte stream (split on LF; a last line without one counts), each as its
 * bytes. A line longer than `max` bytes is bad input naming it: memory stays bounded
 * whatever the file holds.
 */
export async function* readLines(stream: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let len = 0;
  let no = 0;
  const tooLong = () => new GsError('bad-input', `transcript line ${no + 1} is longer than ${max / 1024 / 1024} MiB, the longest line an import takes`);
  for await (const chunk of stream) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      len += piece.length;
      if (len > max) throw tooLong();
      if (piece.length) parts.push(piece);
      if (nl < 0) break;
      yield parts.length === 1 ? parts[0] : Buffer.concat(parts, len);
      no++;
      parts = [];
      len = 0;
      start = nl + 1;
    }
  }
  if (len > 0) yield Buffer.concat(parts, len);
}

/**
 * A format forced with `--format` that fits the file badly (most lines not recognised)
 * would import an almost empty session: bad input naming the format that fits.
 */
function checkForcedFormat(forced: TranscriptFormat, meta: TranscriptMeta, sniffed: Record<string, number>): void {
  if (meta.lines < 4 || meta.skipped * 2 <= meta.lines) return;
  const fit = Object.entries(sniffed).sort((a, b) => b[1] - a[1])[0]?.[0];
  if (fit && fit !== forced) {
    throw new GsError('bad-input', `this transcript is not ${forced} (${meta.skipped} of ${meta.lines} lines not recognised); it looks like ${fit}: use --format ${fit} (or auto)`);
  }
}

/** Redacts every text field of an item (text, and the tool name for good measure). */
export function redactItem(it: ParsedItem, redactor: Redactor): ParsedItem & { redacted?: string[] } {
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
  const out: ParsedItem & { redacted?: string[] } = { ...it, body: { ...body, text: r.text }, redacted: kinds };
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
