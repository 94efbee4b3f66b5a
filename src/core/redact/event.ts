import { redactText } from './index.js';
import type { EventBody } from '../types.js';

/**
 * Runs every free-text field of an event body through the redactor before it can reach
 * the object store; returns the safe body and the kinds of secret replaced.
 */
export function redactBody<B extends EventBody>(body: B): { body: B; kinds: string[] } {
  const kinds = new Set<string>();
  const clean = (s: string): string => {
    const r = redactText(s);
    r.kinds.forEach((k) => kinds.add(k));
    return r.text;
  };
  const out: Record<string, unknown> = { ...body };
  for (const key of ['text', 'goal', 'chosen', 'rationale', 'output', 'reason', 'detail', 'name'] as const) {
    if (typeof out[key] === 'string') out[key] = clean(out[key] as string);
  }
  if (Array.isArray(out.rejected)) {
    out.rejected = (out.rejected as { option: string; reason: string }[]).map((r) => ({ option: clean(r.option), reason: clean(r.reason) }));
  }
  if (Array.isArray(out.command)) out.command = (out.command as string[]).map(clean);
  return { body: out as B, kinds: [...kinds].sort() };
}
