import { shortId } from '../core/ids.js';
import { plural } from '../core/text.js';
import type { PushResult } from '../repo/exchange.js';

/** Human-readable size. */
function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Lines describing what a (dry-run) push carries: each session, its events, the size, and what is held back. */
export function describePush(r: PushResult): string[] {
  const lines = (r.details ?? []).map((s) => `${shortId(s.id)} ${s.state} ${plural(s.events, 'event')}: ${s.goal}`);
  if (r.refs) lines.push(`${plural(r.refs.length, 'ref')} under refs/sessions/, ${size(r.bytes ?? 0)} of objects ${r.remote} lacks`);
  if (r.shards?.length) lines.push(`archive shards: ${r.shards.join(', ')}`);
  if (r.pruned?.length) lines.push(`refs to delete on ${r.remote} (its archive holds them whole): ${plural(r.pruned.length, 'session')}`);
  if (r.withheld?.length) lines.push(`held back (private): ${r.withheld.map(shortId).join(', ')}`);
  return lines;
}
