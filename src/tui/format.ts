// Small pure formatters shared by the views.
import type { AgentInfo, SessionState } from '../core/types.js';
import type { StyleKey } from './theme.js';
import { oneLine } from './text.js';

/** "45s", "12m", "3h", "9d", "4mo", "2y" from an ISO date and the clock's now (ms). */
export function relativeAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '?';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 30) return `${d}d`;
  if (d < 365) return `${Math.floor(d / 30)}mo`;
  return `${Math.floor(d / 365)}y`;
}

/** "claude/opus-4" or "" when no agent did the work. */
export function agentLabel(agent: AgentInfo | undefined): string {
  if (!agent) return '';
  const name = oneLine(agent.name);
  return agent.model ? `${name}/${oneLine(agent.model)}` : name;
}

/** "Alice Example <alice@example.com>" → "Alice Example". */
export function authorName(author: string): string {
  const a = oneLine(author);
  const i = a.indexOf('<');
  const name = i > 0 ? a.slice(0, i).trim() : a;
  return name || a;
}

export function stateStyle(state: SessionState): StyleKey {
  return state;
}

export function stateGlyph(state: SessionState): string {
  return state === 'open' ? '●' : state === 'conflicted' ? '!' : state === 'landed' ? '✓' : '✗';
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "14:05" in local time. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--';
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "2025-03-04" in local time. */
export function day(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms % 60_000) / 1000)}s`;
}
