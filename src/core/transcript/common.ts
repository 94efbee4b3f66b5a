// Helpers shared by the two parsers: strict line decoding, tolerant field access, the
// meta counters, and tool call/result pairing.
import { GsError } from '../errors.js';
import { printable } from '../ids.js';
import type { ParsedItem, TranscriptFormat, TranscriptMeta, TranscriptParser } from './types.js';

/** A decoded JSON object with unknown fields. */
export type Obj = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` when it is a string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Decodes one transcript line: null for a blank line, the object otherwise. A line that
 * is not JSON, or is JSON but not an object, is bad input naming its 1-based number.
 */
export function decodeLine(line: string, lineNo: number): Obj | null {
  if (line.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GsError('bad-input', `transcript line ${lineNo}: not valid JSON (${printable(why).slice(0, 120)})`);
  }
  if (!isObj(v)) {
    throw new GsError('bad-input', `transcript line ${lineNo}: expected a JSON object, got ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}`);
  }
  return v;
}

/**
 * A streaming parser from its step over one decoded object: blank lines are passed over,
 * every other line is decoded strictly (decodeLine) and counted before `step` sees it.
 */
export function lineParser(format: TranscriptFormat, meta: TranscriptMeta, step: (o: Obj) => ParsedItem[], finish: () => ParsedItem[]): TranscriptParser {
  return {
    format,
    meta,
    feed(line: string, lineNo: number): ParsedItem[] {
      const o = decodeLine(line, lineNo);
      if (!o) return [];
      meta.lines++;
      return step(o);
    },
    finish,
  };
}

/** Fresh counters for a parser. */
export function newMeta(): TranscriptMeta {
  return { lines: 0, skipped: 0, skippedTypes: {}, unpaired: 0 };
}

/** Counts one skipped line or block under `what`. */
export function skip(meta: TranscriptMeta, what: string): [] {
  meta.skipped++;
  meta.skippedTypes[what] = (meta.skippedTypes[what] ?? 0) + 1;
  return [];
}

/** Compact text for a tool's input: strings as they are, anything else as JSON. */
export function inputText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

interface Slot {
  item: ParsedItem;
  callId?: string;
  results: ParsedItem[];
  open: boolean;
}

/**
 * Keeps each tool call next to its result. Within a batch of consecutive calls and
 * results (parallel tool use: A, B, result B, result A) calls are held until their
 * results arrive and come out paired: A, result A, B, result B. Any other item (text,
 * reasoning, a prompt, a subagent's messages) ends the batch and releases what is held,
 * so nothing is ever moved across a message, and memory stays bounded by the batch.
 *
 * Timestamps: an item moved ahead of a later one keeps order in time too, by taking the
 * latest timestamp already emitted when its own is earlier (a shift of at most the
 * batch's duration), so a store that sorts by (ts, id) keeps the pairs together.
 */
export class Pairer {
  private readonly queue: Slot[] = [];
  private readonly open = new Map<string, Slot>();
  // Tool names by call id, so a result can carry its tool's name even when it comes late.
  private readonly names = new Map<string, string>();
  // Calls released before their result came (their result may still come, out of batch).
  private readonly waiting = new Set<string>();
  private lastTs: string | undefined;

  constructor(
    private readonly meta: TranscriptMeta,
    private readonly maxHeld = 256,
  ) {}

  /** A tool call; held until its result (when it has an id to pair by). */
  call(id: string | undefined, name: string, item: ParsedItem): ParsedItem[] {
    if (!id) return this.push(item);
    this.names.set(id, name);
    if (this.names.size > 4096) this.names.delete(this.names.keys().next().value as string);
    const slot: Slot = { item, callId: id, results: [], open: true };
    this.queue.push(slot);
    this.open.set(id, slot);
    return this.drain(this.queue.length > this.maxHeld);
  }

  /** The tool name a call id was given, if the call was seen. */
  nameOf(id: string | undefined): string | undefined {
    return id ? this.names.get(id) : undefined;
  }

  /** A tool result: placed right after its call when the call is still held. */
  result(id: string | undefined, item: ParsedItem): ParsedItem[] {
    const slot = id ? this.open.get(id) : undefined;
    if (slot) {
      slot.results.push(item);
      slot.open = false;
      this.open.delete(id!);
      return this.drain(false);
    }
    if (id && this.waiting.has(id)) this.waiting.delete(id);
    else if (!id || !this.names.has(id)) this.meta.unpaired++; // a result with no call
    this.queue.push({ item, results: [], open: false });
    return this.drain(false);
  }

  /** Any other item: ends the current batch of calls. */
  push(item: ParsedItem): ParsedItem[] {
    const out = this.drain(true);
    out.push(this.stamp(item));
    return out;
  }

  /** Releases everything held (end of input). */
  release(): ParsedItem[] {
    const out = this.drain(true);
    this.meta.unpaired += this.waiting.size;
    this.waiting.clear();
    return out;
  }

  private drain(all: boolean): ParsedItem[] {
    const out: ParsedItem[] = [];
    while (this.queue.length > 0 && (all || !this.queue[0].open)) {
      const s = this.queue.shift()!;
      if (s.open) {
        s.open = false;
        this.open.delete(s.callId!);
        this.waiting.add(s.callId!);
        if (this.waiting.size > 4096) {
          this.waiting.delete(this.waiting.values().next().value as string);
          this.meta.unpaired++;
        }
      }
      out.push(this.stamp(s.item));
      for (const r of s.results) out.push(this.stamp(r));
    }
    return out;
  }

  private stamp(item: ParsedItem): ParsedItem {
    if (item.ts === undefined) return item;
    if (this.lastTs !== undefined && item.ts < this.lastTs && sameFormat(item.ts, this.lastTs)) return { ...item, ts: this.lastTs };
    this.lastTs = item.ts;
    return item;
  }
}

// Timestamps compare as strings only when written alike (both ISO 8601 UTC with 'Z').
function sameFormat(a: string, b: string): boolean {
  return a.length === b.length && a.endsWith('Z') && b.endsWith('Z');
}
