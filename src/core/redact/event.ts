import { redactText } from './index.js';
import type { EventBody } from '../types.js';

/**
 * Fields that are never free text: object ids, ref and branch names, enums, numbers, and
 * the paths of a snapshot's files (they name entries of a tree that is stored anyway).
 * Everything else an event carries, at any depth, is redacted: a new free-text field is
 * covered without anyone remembering to add it here.
 */
const STRUCTURAL: ReadonlySet<string> = new Set([
  'kind', 'role', 'commit', 'parent', 'tree', 'target', 'base', 'strategy', 'previousTip', 'from', 'to', 'work',
  'format', 'during', 'files', 'commits', 'private', 'exitCode', 'durationMs', 'count', 'line', 'key', 'lines', 'digest', 'src',
  'attestation', 'workspace', 'mergedWith', 'patchId', 'via', 'branch', 'tip',
]);

/**
 * Runs every free-text field of an event body (goal, text, name, model, agent, file,
 * message, output, command, decisions, source, reason, detail, ...) through the redactor
 * before it can reach the object store; returns the safe body and the kinds replaced.
 */
export function redactBody<B extends EventBody>(body: B): { body: B; kinds: string[] } {
  const kinds = new Set<string>();
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = redactText(v);
      r.kinds.forEach((k) => kinds.add(k));
      return r.text;
    }
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = STRUCTURAL.has(k) ? x : clean(x);
      return o;
    }
    return v;
  };
  const out = clean(body) as B;
  return { body: out, kinds: [...kinds].sort() };
}
