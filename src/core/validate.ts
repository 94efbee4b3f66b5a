import { GsError, usage } from './errors.js';
import { printable } from './ids.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_WS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** A goal: one non-empty line without control characters. */
export function checkGoal(goal: string | undefined): string {
  const g = (goal ?? '').trim();
  if (!g) throw new GsError('empty-goal', 'the goal is empty: say what the session is for');
  if (CONTROL.test(g)) throw new GsError('bad-input', `the goal has a control character: '${printable(g)}'`);
  return g;
}

/** Free text (prompts, messages, notes): may span lines, must not be empty or hold NUL-like controls. */
export function checkText(what: string, text: string | undefined): string {
  const t = text ?? '';
  if (!t.trim()) throw usage(`${what} is empty`);
  if (CONTROL_BUT_WS.test(t)) throw new GsError('bad-input', `${what} has a control character`);
  return t;
}

/**
 * A branch or ref name as `git check-ref-format` would accept it, short form
 * (e.g. `main`, `feature/x`); anything that could escape the ref namespace is refused.
 */
export function checkRefName(name: string, what = 'branch'): string {
  const bad = (why: string) => new GsError('bad-name', `invalid ${what} name '${printable(name)}': ${why}`);
  if (!name) throw bad('empty');
  if (CONTROL.test(name)) throw bad('control character');
  if (/[ ~^:?*[\\]/.test(name)) throw bad("contains one of ' ~^:?*[\\'");
  if (name.includes('..')) throw bad("contains '..'");
  if (name.includes('@{') || name === '@') throw bad("contains '@{'");
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) throw bad('empty path component');
  if (name.startsWith('-')) throw bad("starts with '-'");
  if (name.endsWith('.') || name.endsWith('.lock')) throw bad("ends with '.' or '.lock'");
  if (name.split('/').some((c) => c.startsWith('.'))) throw bad("a component starts with '.'");
  return name;
}

/** A path that must stay inside the repository: relative, no `..` components, no controls. */
export function checkRepoPath(p: string, what = 'path'): string {
  if (!p) throw new GsError('bad-name', `${what} is empty`);
  if (CONTROL.test(p)) throw new GsError('bad-name', `${what} '${printable(p)}' has a control character`);
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) throw new GsError('bad-name', `${what} '${p}' is absolute; give it relative to the repository`);
  if (p.split(/[\\/]/).includes('..')) throw new GsError('bad-name', `${what} '${p}' escapes the repository ('..')`);
  return p;
}

/** A filesystem path given on the command line (worktree dir, output file): no control characters. */
export function checkFsPath(p: string, what = 'path'): string {
  if (!p) throw new GsError('bad-name', `${what} is empty`);
  if (CONTROL.test(p)) throw new GsError('bad-name', `${what} '${printable(p)}' has a control character`);
  return p;
}

/** Splits `option: why` as given to `decide --rejected`. */
export function parseRejected(s: string): { option: string; reason: string } {
  const i = s.indexOf(':');
  if (i <= 0 || !s.slice(i + 1).trim()) {
    throw usage(`--rejected takes "<option>: <why>", got '${printable(s)}'`);
  }
  return { option: s.slice(0, i).trim(), reason: s.slice(i + 1).trim() };
}
