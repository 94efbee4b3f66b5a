// The data seam of the TUI: everything the browser shows comes through this interface,
// so the views can be tested with an in-memory implementation and the CLI command can
// back it with the real repository.
import type { SessionSummary, SessionEvent, FileChange } from '../core/types.js';

export interface TuiData {
  /** every session's summary, newest first (cheap: from a catalog, no events) */
  listSessions(): Promise<SessionSummary[]>;
  /** full-text search over goals, prompts and messages; returns matching ids (may be slower; call on Enter) */
  search(query: string): Promise<Set<string>>;
  /** the whole event timeline of one session, loaded on demand */
  loadEvents(id: string): Promise<SessionEvent[]>;
  /** files the session's work changes vs its base */
  changedFiles(id: string): Promise<FileChange[]>;
  /** unified diff text (git diff output) of one file of the session's work */
  fileDiff(id: string, path: string): Promise<string>;
}

export { runTui, type RunTuiOptions } from './run.js';
