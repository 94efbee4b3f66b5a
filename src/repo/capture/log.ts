// The agent hook never speaks (its output would reach the agent or the model): what
// went wrong goes to <common-dir>/session/hooks.log, one JSON line per error, kept under
// a bounded size, and `git session status` says how many there were since when.
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../../core/redact/index.js';
import { readLineFile } from '../line-file.js';

/** Past this size the log keeps its newer half. */
export const HOOK_LOG_MAX = 256 * 1024;

/** One logged hook failure. */
export interface HookLogEntry {
  ts: string;
  agent: string;
  event: string;
  error: string;
}

/** Where the log is. */
export function hookLogPath(commonDir: string): string {
  return join(commonDir, 'session', 'hooks.log');
}

/** Appends one error (its text redacted and cut: it may quote a payload). Never throws. */
export async function logHookError(commonDir: string, e: Omit<HookLogEntry, 'ts' | 'error'> & { error: unknown }, now: number): Promise<void> {
  try {
    const text = e.error instanceof Error ? e.error.message : String(e.error);
    const error = redactText(text.replace(/\s+/g, ' ').slice(0, 400)).text;
    const file = hookLogPath(commonDir);
    await mkdir(join(commonDir, 'session'), { recursive: true });
    await appendFile(file, JSON.stringify({ ts: new Date(now).toISOString(), agent: e.agent, event: e.event, error }) + '\n');
    const st = await stat(file);
    if (st.size > HOOK_LOG_MAX) {
      const all = await readFile(file, 'utf8');
      const keep = all.slice(all.length - HOOK_LOG_MAX / 2);
      await writeFile(file, keep.slice(keep.indexOf('\n') + 1));
    }
  } catch {
    /* nowhere left to report to */
  }
}

/** The errors logged so far (the log's readable lines). */
export async function readHookLog(commonDir: string): Promise<HookLogEntry[]> {
  return readLineFile(hookLogPath(commonDir), (line) => {
    try {
      const v = JSON.parse(line) as HookLogEntry;
      return typeof v.ts === 'string' && typeof v.error === 'string' ? v : undefined;
    } catch {
      return undefined; // a torn or foreign line
    }
  });
}

/** "N hook errors since <time>" data for status: undefined when there are none. */
export async function hookErrorSummary(commonDir: string): Promise<{ count: number; since: string } | undefined> {
  const all = await readHookLog(commonDir);
  return all.length ? { count: all.length, since: all[0].ts } : undefined;
}
