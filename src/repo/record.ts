import type { EventBody, SessionEvent, SessionSummary } from '../core/types.js';
import type { Repo } from './repo.js';

/**
 * Appends one user-supplied event (the path `record` and `decide` share). A prompt on a
 * prompt request not yet run is its next iteration, and keeps who wrote it.
 */
export async function recordEvent(repo: Repo, id: string, body: EventBody): Promise<{ event: SessionEvent; summary: SessionSummary }> {
  if (body.kind !== 'prompt') {
    const event = repo.event(body);
    return { event, summary: await repo.append(id, [event]) };
  }
  const author = await repo.author();
  let event!: SessionEvent;
  const summary = await repo.store.append(id, await repo.ident(), (cur) => {
    event = cur.request && !cur.request.ran ? repo.event({ ...body, author }) : repo.event(body);
    return { events: [event] };
  });
  return { event, summary };
}
