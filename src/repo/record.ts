import type { EventBody, SessionEvent, SessionSummary } from '../core/types.js';
import type { Repo } from './repo.js';

/** Appends one user-supplied event (the path `record` and `decide` share). */
export async function recordEvent(repo: Repo, id: string, body: EventBody): Promise<{ event: SessionEvent; summary: SessionSummary }> {
  const event = repo.event(body);
  const summary = await repo.append(id, [event]);
  return { event, summary };
}
