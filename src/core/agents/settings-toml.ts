// Codex's config.toml, edited in place. The TOML editing libraries on npm were tried and
// lost data (toml-patch dropped a user's [[hooks.Stop.hooks]] when our group beside it
// was removed; toml-edit-js panicked adding a new array of tables), so the edits here
// are textual and small: our hook groups are appended as [[hooks.<Event>]] tables at
// the end, `notify` goes in before the first statement, and uninstall cuts exactly those
// lines. smol-toml reads the file before and after every edit, and the result is kept
// only when it reads back as the original data plus (or minus) our entries.
import { parse, TomlError } from 'smol-toml';
import { GsError } from '../errors.js';
import { isOurCommand } from './ours.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The comment lines above what we add, so a reader of config.toml knows where it came from. */
export const TOML_MARK = '# git-session live capture (`git session hooks uninstall codex` removes the entries below it)';
const NOTIFY_MARK = '# git-session live capture of each turn (`git session hooks uninstall codex` removes it)';

/** A Codex hook entry to install. */
export interface TomlHook {
  event: string;
  command: string;
  timeout: number;
}

/** Parses config.toml; bad input naming the file when it is not TOML. */
export function parseToml(text: string, file: string): Obj {
  try {
    return parse(text) as Obj;
  } catch (e) {
    const why = e instanceof TomlError ? e.message.split('\n')[0] : String(e);
    throw new GsError('bad-input', `${file} is not valid TOML (${why}); fix it and run this again`);
  }
}

/** Codex's hooks are switched off in this file (`[features] hooks = false`, or the older `codex_hooks`). */
export function hooksDisabled(v: Obj): boolean {
  const f = isObj(v.features) ? v.features : {};
  return f.hooks === false || f.codex_hooks === false;
}

/** Our hook commands by event, and whose `notify` this is. */
export function ourCodex(v: Obj): { hooks: Map<string, string[]>; notify?: 'ours' | 'theirs' } {
  const hooks = new Map<string, string[]>();
  for (const [event, groups] of Object.entries(isObj(v.hooks) ? v.hooks : {})) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      for (const h of isObj(g) && Array.isArray(g.hooks) ? g.hooks : []) {
        if (isObj(h) && typeof h.command === 'string' && isOurCommand(h.command, 'codex')) hooks.set(event, [...(hooks.get(event) ?? []), h.command]);
      }
    }
  }
  const n = v.notify;
  const notify = n === undefined ? undefined : Array.isArray(n) && n.every((x) => typeof x === 'string') && isOurCommand(n as string[], 'codex') ? 'ours' : 'theirs';
  return { hooks, notify };
}

/** What installing did to `notify`. */
export type NotifyOutcome = 'added' | 'present' | 'theirs' | 'none';

/**
 * Adds our hook groups (unless the same are there: idempotent) and our `notify` (unless
 * the user has their own: it is left alone and reported). `notify` undefined: not wanted.
 */
export function installToml(text: string, file: string, wanted: TomlHook[], notify?: string[]): { text: string; notify: NotifyOutcome } {
  const before = parseToml(text, file);
  const mine = ourCodex(before);
  let out = text;
  const same = wanted.every((w) => mine.hooks.get(w.event)?.includes(w.command)) && [...mine.hooks.keys()].every((e) => wanted.some((w) => w.event === e));
  if (!same) {
    if (mine.hooks.size) out = removeHookGroups(out);
    if (wanted.length) out = appendHooks(out, wanted);
  }
  let outcome: NotifyOutcome = 'none';
  if (notify) {
    const current = before.notify;
    if (mine.notify === 'theirs') outcome = 'theirs';
    else if (mine.notify === 'ours' && JSON.stringify(current) === JSON.stringify(notify)) outcome = 'present';
    else {
      if (mine.notify === 'ours') out = removeNotify(out);
      out = insertNotify(out, notify);
      outcome = 'added';
    }
  }
  const after = parseToml(out, file);
  const ok = wanted.every((w) => ourCodex(after).hooks.get(w.event)?.includes(w.command)) && sameData(withoutOurs(after), withoutOurs(before));
  if (!ok) throw new GsError('bad-input', `${file}: could not add our entries safely (does it define hooks inline?); nothing was written`);
  return { text: out, notify: outcome };
}

/** Removes our hook groups and our `notify`, leaving every other line as it was. */
export function uninstallToml(text: string, file: string): string {
  const before = parseToml(text, file);
  const mine = ourCodex(before);
  let out = text;
  if (mine.hooks.size) out = removeHookGroups(out);
  if (mine.notify === 'ours') out = removeNotify(out);
  // Our comment lines go too, the one above our tables with the blank line we put before it.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = out.split(eol).filter((l) => l !== NOTIFY_MARK);
  for (let i = lines.indexOf(TOML_MARK); i >= 0; i = lines.indexOf(TOML_MARK)) lines.splice(i > 0 && lines[i - 1].trim() === '' ? i - 1 : i, i > 0 && lines[i - 1].trim() === '' ? 2 : 1);
  out = lines.join(eol);
  const after = parseToml(out, file);
  const left = ourCodex(after);
  if (left.hooks.size || left.notify === 'ours' || !sameData(after, withoutOurs(before))) {
    throw new GsError('bad-input', `${file}: could not remove our entries safely (edited by hand?); nothing was written — remove the git-session hook entries yourself`);
  }
  return out;
}

function appendHooks(text: string, wanted: TomlHook[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const blocks = wanted.map((w) => [`[[hooks.${w.event}]]`, `[[hooks.${w.event}.hooks]]`, 'type = "command"', `command = ${JSON.stringify(w.command)}`, `timeout = ${w.timeout}`].join(eol));
  // One blank line before our comment (uninstall takes both away).
  const sep = text === '' ? '' : (text.endsWith('\n') ? '' : eol) + eol;
  return `${text}${sep}${TOML_MARK}${eol}${blocks.join(eol + eol)}${eol}`;
}

function insertNotify(text: string, argv: string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = `notify = [${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
  const lines = text.split(eol);
  // Before the first statement (keys before any table header are the root table's), above
  // the comment lines attached to it.
  let k = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (k < 0) return `${text}${text && !text.endsWith('\n') ? eol : ''}${NOTIFY_MARK}${eol}${line}${eol}`;
  while (k > 0 && lines[k - 1].trim().startsWith('#')) k--;
  lines.splice(k, 0, NOTIFY_MARK, line, '');
  return lines.join(eol);
}

function removeNotify(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const header = lines.findIndex((l) => /^\s*\[/.test(l));
  const i = lines.findIndex((l, n) => (header < 0 || n < header) && /^\s*notify\s*=/.test(l));
  if (i < 0) return text;
  // The value may span lines: up to the line where its brackets close.
  let depth = 0;
  let j = i;
  for (; j < lines.length; j++) {
    for (const c of lines[j].replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '')) depth += c === '[' ? 1 : c === ']' ? -1 : 0;
    if (depth <= 0) break;
  }
  // The blank line we put after it (not the file's final newline).
  const blankAfter = j + 2 < lines.length && lines[j + 1].trim() === '' && i > 0 && lines[i - 1] === NOTIFY_MARK;
  lines.splice(i, j - i + 1 + (blankAfter ? 1 : 0));
  return lines.join(eol);
}

// [[hooks.<Event>]] and [[hooks.<Event>.hooks]] headers (bare or quoted keys).
const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const keyParts = (k: string) => k.split('.').map((p) => p.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));

/** Cuts our handler tables, and the group tables they leave with no handler. */
function removeHookGroups(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const heads: { at: number; parts: string[]; array: boolean }[] = [];
  lines.forEach((l, at) => {
    const m = HEADER.exec(l);
    if (m) heads.push({ at, parts: keyParts(m[1]), array: l.trim().startsWith('[[') });
  });
  // A table runs to the next header, or to the end (the file's final newline kept).
  const last = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const end = (h: number) => (h + 1 < heads.length ? heads[h + 1].at : last);
  const drop = new Set<number>();
  for (let h = 0; h < heads.length; h++) {
    const g = heads[h];
    if (!g.array || g.parts.length !== 2 || g.parts[0] !== 'hooks') continue;
    const handlers: number[] = [];
    for (let k = h + 1; k < heads.length && heads[k].array && heads[k].parts.join('.') === `hooks.${g.parts[1]}.hooks`; k++) handlers.push(k);
    const ours = handlers.filter((k) => {
      const body = lines.slice(heads[k].at + 1, end(k)).join('\n');
      try {
        const v = parse(body);
        return typeof v.command === 'string' && isOurCommand(v.command, 'codex');
      } catch {
        return false;
      }
    });
    if (!ours.length) continue;
    const groupBody = lines.slice(g.at + 1, end(h)).filter((l) => l.trim() && !l.trim().startsWith('#'));
    const whole = ours.length === handlers.length && groupBody.every((l) => /^\s*matcher\s*=/.test(l));
    for (const k of whole ? [h, ...handlers] : ours) for (let i = heads[k].at; i < end(k); i++) drop.add(i);
  }
  return lines.filter((_, i) => !drop.has(i)).join(eol);
}

// A plain JSON copy (dates as their TOML text, big integers as strings): what comparisons use.
function plain(v: Obj): Obj {
  return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))) as Obj;
}

function withoutOurs(v: Obj): Obj {
  const c = plain(v);
  if (isObj(c.hooks)) {
    for (const [event, groups] of Object.entries(c.hooks)) {
      if (!Array.isArray(groups)) continue;
      const kept = groups.filter((g) => {
        if (!isObj(g) || !Array.isArray(g.hooks)) return true;
        const list: unknown[] = g.hooks;
        const had = list.length;
        g.hooks = list.filter((h) => !(isObj(h) && typeof h.command === 'string' && isOurCommand(h.command, 'codex')));
        return !(had > 0 && (g.hooks as unknown[]).length === 0);
      });
      if (kept.length) c.hooks[event] = kept;
      else delete c.hooks[event];
    }
    if (Object.keys(c.hooks).length === 0) delete c.hooks;
  }
  if (ourCodex(c).notify === 'ours') delete c.notify;
  return c;
}

// Compared as data, an empty `hooks` table counting as none (a user's bare [hooks] header stays).
function sameData(a: Obj, b: Obj): boolean {
  const n = (v: Obj) => {
    const c = plain(v);
    if (isObj(c.hooks) && Object.keys(c.hooks).length === 0) delete c.hooks;
    return JSON.stringify(c);
  };
  return n(a) === n(b);
}
