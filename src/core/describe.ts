import type { ForeignEvent, StoredEvent, ToolCall } from './types.js';
import { commandLine, plural, shortOid } from './text.js';

// How much of an unreadable event's stored value is shown.
const FOREIGN_CHARS = 200;

/** An event this version does not obey, shown generically: why, then what was stored. */
export function describeForeign(ev: ForeignEvent): string {
  const raw = JSON.stringify(ev.data) ?? String(ev.data);
  const shown = raw.length > FOREIGN_CHARS ? `${raw.slice(0, FOREIGN_CHARS)}…` : raw;
  return ev.invalid ? `invalid ${ev.type || 'event'} (${ev.reason}): ${shown}` : `${ev.reason}: ${shown}`;
}

/** A one-line human description of an event (timeline rows, commit bodies, PR text). */
export function describeEvent(ev: StoredEvent): string {
  switch (ev.kind) {
    case 'foreign':
      return describeForeign(ev);
    case 'start':
      return `started "${ev.goal}" on ${ev.target} at ${shortOid(ev.base)}${ev.agent ? ` (agent ${ev.agent.name}${ev.agent.model ? `/${ev.agent.model}` : ''})` : ''}`;
    case 'prompt':
      return ev.text;
    case 'message':
      return `${ev.role}${ev.name ? `:${ev.name}` : ''}: ${ev.text}${ev.tool ? toolOutcome(ev.tool) : ''}`;
    case 'decision':
      return `chose ${ev.chosen}${ev.rationale ? ` because ${ev.rationale}` : ''}${ev.rejected.map((r) => `; rejected ${r.option} (${r.reason})`).join('')}${ev.agent ? ` (by ${ev.agent.name})` : ''}`;
    case 'note':
      return ev.text;
    case 'feedback':
      return `${ev.file ? `${ev.file}${ev.line ? `:${ev.line}` : ''}: ` : ''}${ev.text}`;
    case 'check':
      return `${ev.exitCode === 0 ? 'passed' : `failed (exit ${ev.exitCode})`}: ${commandLine(ev.command)} in ${ev.durationMs} ms on tree ${shortOid(ev.tree)}`;
    case 'snapshot':
      return `${shortOid(ev.commit)} ${ev.message} (${plural(ev.files.length, 'file')})`;
    case 'conflict': {
      const more = (ev.count ?? ev.commits.length) - ev.commits.length;
      const with_ = ev.commits.length ? ` with ${ev.commits.map((c) => shortOid(c)).join(', ')}${more > 0 ? ` and ${more} more` : ''}` : '';
      return `conflict during ${ev.during} on ${ev.files.join(', ')}${with_}${ev.work ? ': markers written, the session is conflicted' : ''}`;
    }
    case 'resolution':
      return `resolved ${ev.paths.map((p) => `${p.path} (${ev.reused ? 'reused, ' : ''}${p.how})`).join(', ')}${ev.remaining.length ? `; still conflicted: ${ev.remaining.join(', ')}` : ''}`;
    case 'undo':
      return `undid the ${ev.op} ${shortOid(ev.of)}: state ${ev.restore.state}, base ${shortOid(ev.restore.base)}${ev.target ? `, ${ev.target.ref.replace(/^refs\/heads\//, '')} back to ${shortOid(ev.target.to)}` : ''}`;
    case 'land':
      return `landed on ${ev.target} as ${shortOid(ev.commit)} (${ev.strategy}${ev.via ? `; found by ${ev.via}` : ''})`;
    case 'landing':
      return `${ev.via === 'rewrite' && ev.from ? `rewritten: ${shortOid(ev.from)} is now ${shortOid(ev.commit)}` : `also in ${shortOid(ev.commit)}${ev.via === 'cherry-pick' ? ' (cherry-picked)' : ` (found by ${ev.via})`}`}${ev.branch ? ` on ${ev.branch}` : ''}`;
    case 'export':
      return `exported to branch ${ev.branch} at ${shortOid(ev.tip)} (on ${shortOid(ev.base)})`;
    case 'import':
      return `imported ${plural(ev.count, 'item')} from ${ev.source}${ev.format ? ` (${ev.format})` : ''}`;
    case 'sync':
      return `synced base ${shortOid(ev.from)} -> ${shortOid(ev.to)}`;
    case 'abandon':
      return `abandoned${ev.reason ? `: ${ev.reason}` : ''}`;
    case 'private':
      return ev.private ? 'marked private: never published' : 'marked public again';
  }
}

/** How a captured tool call ended, for its one-line description: " -> failed, 12 kB of output". */
export function toolOutcome(t: ToolCall): string {
  const size = t.bytes ?? (t.output ? Buffer.byteLength(t.output) : 0);
  const parts = [t.error ? 'failed' : 'ok', ...(t.files?.length ? [`edited ${t.files.join(', ')}`] : []), ...(size ? [`${size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} kB`} of output${t.cut ? ', cut' : ''}`] : [])];
  return ` -> ${parts.join(', ')}`;
}
