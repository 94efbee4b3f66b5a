// Local line files the hooks append to (the hook log, the links list): read whole, one
// record a line, a line that does not parse skipped (torn by a crash, or written by another
// version), and an absent file read as empty, since both are caches or logs, never records.
import { readFile } from 'node:fs/promises';

/** The records of the file at `path`: `parse` of each line, those it returns undefined for left out. */
export async function readLineFile<T>(path: string, parse: (line: string) => T | undefined): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    const v = parse(line);
    if (v !== undefined) out.push(v);
  }
  return out;
}
