// A prompt request for people (show, run): who asked, where it stands, and its history —
// each iteration of the prompt and the reviews between them, in order.
import { type RequestView } from '../core/request.js';
import type { Paint } from './output.js';

/** "pending review", "accepted by Bob (iteration 2 of 2)", "rejected by Bob: why", "run by Bob". */
export function standing(v: RequestView): string {
  if (v.ran) return `run by ${v.ran.by} at ${v.ran.at}${v.ran.iteration ? ` (iteration ${v.ran.iteration.n} of ${v.iterations.length})` : ''}`;
  if (v.status === 'rejected') return `rejected by ${v.reviewer ?? '?'}${v.reason ? `: ${v.reason}` : ''}`;
  if (v.status === 'accepted') return `accepted by ${v.reviewer ?? '?'} (iteration ${v.accepted?.n ?? '?'} of ${v.iterations.length})`;
  if (v.accepted) return `pending review: iteration ${v.iterations.length} came after the one accepted (${v.accepted.n})`;
  return v.state === 'abandoned' ? 'withdrawn' : 'pending review';
}

/** The request section of `show`: heading, standing, context, then iterations and reviews in order. */
export function requestLines(v: RequestView, paint: Paint): string[] {
  const lines = [`${paint('bold', v.ran ? 'from a prompt request' : 'prompt request')} by ${v.author} on ${v.target}: ${standing(v)}`];
  if (v.context.length) lines.push(`  files it refers to: ${v.context.join(', ')}`);
  for (const h of v.history) {
    if (h.kind === 'iteration') {
      const it = v.iterations[h.n - 1];
      lines.push(`  ${paint('cyan', `iteration ${it.n}`)} · ${it.ts}${it.author && it.author !== v.author ? ` by ${it.author}` : ''}`);
      lines.push(...it.text.replace(/\s+$/, '').split('\n').map((l) => `    > ${l}`));
    } else {
      const verb = h.verdict === 'accept' ? paint('green', 'accepted') : h.verdict === 'reject' ? paint('red', 'rejected') : paint('yellow', 'comment');
      lines.push(`  ${verb} by ${h.reviewer} · ${h.ts}${h.iteration ? ` (iteration ${h.iteration})` : ''}${h.reason ? ':' : ''}`);
      if (h.reason) lines.push(...h.reason.replace(/\s+$/, '').split('\n').map((l) => `    ${l}`));
    }
  }
  return lines;
}
