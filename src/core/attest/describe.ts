// One wording for a judged check on every surface (show, verify, the browser, the PR body,
// notes): "✓ npm test, signed by ada@example.com on tree 1a2b3c4d5e6f" or why not.
import { shortOid } from '../text.js';
import type { CheckVerdict } from './verify.js';

/** The mark a verdict leads with: ✓ a valid pass, ✗ a failure or an invalid attestation, ! stale, · unsigned. */
export function verdictMark(v: CheckVerdict): string {
  if (v.status === 'invalid') return '✗';
  if (v.status === 'unsigned') return '·';
  if (v.status === 'stale') return v.superseded ? '·' : '!';
  return v.passed ? '✓' : '✗';
}

/** The verdict as one line (without the mark). */
export function verdictText(v: CheckVerdict): string {
  const result = v.passed ? '' : ` failed (exit ${v.exitCode})`;
  const on = `on ${v.merged ? 'merged ' : ''}tree ${shortOid(v.tree)}`;
  switch (v.status) {
    case 'valid':
      return `${v.name}${result}, signed by ${v.signer} ${on}`;
    case 'stale':
      return `${v.name}${result || ' passed'}, signed by ${v.signer} ${on}: ${v.superseded ? 'superseded' : 'stale'} (${v.reason})`;
    case 'invalid':
      return `${v.name}${result || ' passed'} ${on}: attestation INVALID: ${v.reason}`;
    case 'unsigned':
      return `${v.name}${result || ' passed'} ${on}, unsigned`;
  }
}

/** Mark and text. */
export function verdictLine(v: CheckVerdict): string {
  return `${verdictMark(v)} ${verdictText(v)}`;
}
