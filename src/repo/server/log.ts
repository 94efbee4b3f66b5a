// The server's own record of what it did (`git session server status`): one JSON line per
// landing, conflict, refusal and refused push, under <git-dir>/session/server/log.jsonl.
// Local and informational (the sessions and verdict refs are the record); bounded: past
// MAX_BYTES the oldest half is dropped.
import { appendFile, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One line of the server log. */
export interface ServerLogEntry {
  at: string;
  kind: 'landed' | 'conflict' | 'refused' | 'push-refused';
  session?: string;
  target?: string;
  commit?: string;
  /** conflict: the paths; refused: why (one line). */
  paths?: string[];
  reason?: string;
  /** Who pushed (push-refused) or who asked (the request's claim). */
  by?: string;
  /** Milliseconds from the request to its verdict. */
  waitedMs?: number;
}

const MAX_BYTES = 1 << 20;

/** The log file of a server repository. */
export function logPath(serverDir: string): string {
  return join(serverDir, 'log.jsonl');
}

/** Appends entries (one write: lines of concurrent writers never interleave). */
export async function appendLog(serverDir: string, entries: ServerLogEntry[]): Promise<void> {
  if (!entries.length) return;
  const path = logPath(serverDir);
  await appendFile(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (size <= MAX_BYTES) return;
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, lines.slice(lines.length >> 1).join('\n') + '\n');
  await rename(tmp, path);
}

/** The last `n` entries, oldest first (lines that do not parse are skipped). */
export async function readLog(serverDir: string, n = 20): Promise<ServerLogEntry[]> {
  const text = await readFile(logPath(serverDir), 'utf8').catch(() => '');
  const out: ServerLogEntry[] = [];
  for (const line of text.split('\n').filter(Boolean).slice(-n)) {
    try {
      const e = JSON.parse(line) as ServerLogEntry;
      if (e && typeof e.at === 'string' && typeof e.kind === 'string') out.push(e);
    } catch {
      /* a torn line at rotation: skipped */
    }
  }
  return out;
}
