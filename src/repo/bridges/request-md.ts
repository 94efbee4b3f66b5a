// `export --request <id>`: a prompt request as Markdown for an issue tracker (a GitHub or
// GitLab issue): the goal, who asked, where it stands, the prompt it stands for, the files
// it refers to, and every iteration and review in order; the footer says how to review and
// run it, and names the session. Leaves git-session, so it passes the one sanitizer.
import { shortId } from '../../core/ids.js';
import { type RequestView, requestPrompt } from '../../core/request.js';
import { sanitize } from '../../core/sanitize.js';
import type { SessionSummary } from '../../core/types.js';
import { code, inline, nameOf, quote } from './markdown.js';

/** Where the request stands, in words for an issue. */
function standingText(v: RequestView): string {
  if (v.ran) return `run by ${inline(nameOf(v.ran.by))}; the session is ${v.state}`;
  if (v.status === 'rejected') return `rejected by ${inline(nameOf(v.reviewer ?? '?'))}${v.reason ? `: ${inline(v.reason)}` : ''}`;
  if (v.status === 'accepted') return `accepted by ${inline(nameOf(v.reviewer ?? '?'))}`;
  return v.state === 'abandoned' ? 'withdrawn' : 'awaiting review';
}

/** The Markdown of one request (see the file header). */
export function requestMarkdown(s: SessionSummary, v: RequestView): string {
  const asked = requestPrompt(v);
  const out = [`## ${inline(s.goal)}`, '', `_A prompt request by **${inline(nameOf(v.author))}** for ${code(v.target)}: ${standingText(v)}._`, ''];
  out.push(`### Prompt${asked ? ` (iteration ${asked.n} of ${v.iterations.length})` : ''}`, '', asked ? quote(asked.text) : '_No prompt recorded._', '');
  if (v.context.length) {
    out.push('### Files it refers to', '');
    for (const p of v.context) out.push(`- ${code(p)}`);
    out.push('');
  }
  if (v.history.length > 1) {
    out.push('### History', '');
    for (const h of v.history) {
      if (h.kind === 'iteration') {
        const it = v.iterations[h.n - 1];
        out.push(`- **Iteration ${it.n}** (${inline(it.ts)}${it.author && it.author !== v.author ? `, by ${inline(nameOf(it.author))}` : ''}):`, '', quote(it.text).split('\n').map((l) => `  ${l}`).join('\n'), '');
      } else {
        const verb = h.verdict === 'accept' ? 'Accepted' : h.verdict === 'reject' ? 'Rejected' : 'Comment';
        out.push(`- **${verb}** by ${inline(nameOf(h.reviewer))} (${inline(h.ts)}${h.iteration ? `, on iteration ${h.iteration}` : ''})${h.reason ? `: ${inline(h.reason)}` : ''}`, '');
      }
    }
  }
  const id = shortId(s.id);
  out.push(
    '---',
    '',
    `<sub>Recorded with git-session. Fetch it with ${code('git session pull')}, read it with ${code(`git session show ${id}`)}, review it with ${code(`git session review ${id} --accept`)} (or ${code('--reject "<why>"')}, ${code('--comment "<text>"')}), and run it with ${code(`git session run ${id} --exec "<agent command>"`)}.</sub>`,
    '',
    `Session-Id: ${s.id}`,
  );
  return sanitize(out.join('\n') + '\n');
}
