import { readFileSync } from 'node:fs';
import { createParser, type ParsedItem, type TranscriptFormat, type TranscriptParser } from '../../src/core/transcript/index.js';

/** Feeds `lines` (1-based numbering) to a fresh parser; returns every item and the parser. */
export function parseLines(format: TranscriptFormat, lines: string[]): { items: ParsedItem[]; parser: TranscriptParser } {
  const parser = createParser(format);
  const items: ParsedItem[] = [];
  lines.forEach((l, i) => items.push(...parser.feed(l, i + 1)));
  items.push(...parser.finish());
  return { items, parser };
}

/** Parses a fixture file under fixtures/transcripts/. */
export function parseFixture(file: string, format: TranscriptFormat): { items: ParsedItem[]; parser: TranscriptParser } {
  return parseLines(format, readFileSync(`fixtures/transcripts/${file}`, 'utf8').split('\n'));
}

/** A compact signature of an item: kind, role and name. */
export function sig(it: ParsedItem): string {
  const b = it.body;
  return b.kind === 'message' ? `message:${b.role}${b.name ? `:${b.name}` : ''}` : b.kind;
}

/** JSON Lines from objects. */
export function jsonl(...objs: unknown[]): string[] {
  return objs.map((o) => JSON.stringify(o));
}
