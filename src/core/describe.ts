import type { SessionEvent } from './types.js';

/** A one-line human description of an event (timeline rows, commit bodies, PR text). */
export function describeEvent(ev: SessionEvent): string {
  switch (ev.kind) {
    case 'start':
      return `started "${ev.goal}" on ${ev.target} at ${ev.base.slice(0, 12)}${ev.agent ? ` (agent ${ev.agent.name}${ev.agent.model ? `/${ev.agent.model}` : ''})` : ''}`;
    case 'prompt':
      return ev.text;
    case 'message':
      return `${ev.role}${ev.name ? `:${ev.name}` : ''}: ${ev.text}`;
    case 'decision':
      return `chose ${ev.chosen}${ev.rationale ? ` because ${ev.rationale}` : ''}${ev.rejected.map((r) => `; rejected ${r.option} (${r.reason})`).join('')}`;
    case 'note':
      return ev.text;
    case 'feedback':
      return `${ev.file ? `${ev.file}${ev.line ? `:${ev.line}` : ''}: ` : ''}${ev.text}`;
    case 'check':
      return `${ev.exitCode === 0 ? 'passed' : `failed (exit ${ev.exitCode})`}: ${ev.command.join(' ')} in ${ev.durationMs} ms on tree ${ev.tree.slice(0, 12)}`;
    case 'snapshot':
      return `${ev.commit.slice(0, 12)} ${ev.message} (${ev.files.length} file${ev.files.length === 1 ? '' : 's'})`;
    case 'conflict':
      return `conflict during ${ev.during} on ${ev.files.join(', ')}${ev.commits.length ? ` with ${ev.commits.map((c) => c.slice(0, 12)).join(', ')}` : ''}`;
    case 'land':
      return `landed on ${ev.target} as ${ev.commit.slice(0, 12)} (${ev.strategy})`;
    case 'import':
      return `imported ${ev.count} item${ev.count === 1 ? '' : 's'} from ${ev.source}${ev.format ? ` (${ev.format})` : ''}`;
    case 'sync':
      return `synced base ${ev.from.slice(0, 12)} -> ${ev.to.slice(0, 12)}`;
    case 'abandon':
      return `abandoned${ev.reason ? `: ${ev.reason}` : ''}`;
  }
}
