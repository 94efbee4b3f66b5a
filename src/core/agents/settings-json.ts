// Claude Code's and Gemini CLI's settings.json, edited in place with jsonc-parser: every
// key, comment and order we did not add stays as it was, byte for byte. jsonc-parser
// computes minimal edits; we format only the text we insert (its own formatter would
// re-indent the neighbouring value too). Every result is parsed again and compared
// with what the edit meant to do before it is handed back.
import { type Edit, type Node, applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { GsError } from '../errors.js';
import type { AgentName } from './agents.js';
import { isOurCommand } from './ours.js';

/** One hook entry to install: the event and the entry as the agent's settings hold it. */
export interface JsonHook {
  event: string;
  entry: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses settings text (JSON with comments); bad input naming the file when it is not an object. */
export function parseSettings(text: string, file: string): { tree: Node | undefined; value: Obj } {
  const errors: ParseError[] = [];
  const tree = parseTree(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) throw new GsError('bad-input', `${file} is not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}); fix it and run this again`);
  if (tree && tree.type !== 'object') throw new GsError('bad-input', `${file} does not hold a JSON object`);
  return { tree, value: tree ? (nodeValue(tree) as Obj) : {} };
}

/** Our hook commands for `agent` in parsed settings, by event. */
export function ourHooks(value: Obj, agent?: AgentName): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const hooks = isObj(value.hooks) ? value.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      if (!isObj(g) || !Array.isArray(g.hooks)) continue;
      for (const h of g.hooks) {
        if (isObj(h) && typeof h.command === 'string' && isOurCommand(h.command, agent)) out.set(event, [...(out.get(event) ?? []), h.command]);
      }
    }
  }
  return out;
}

/**
 * Adds one group per wanted hook, after the user's own groups, unless the same command
 * is there already (idempotent); an entry of ours for the event with another command
 * (git-session moved) is removed first.
 */
export function installJson(text: string, file: string, agent: AgentName, wanted: JsonHook[]): string {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  let out = text.slice(bom.length).trim() ? text.slice(bom.length) : '{\n}\n';
  const present = ourHooks(parseSettings(out, file).value, agent);
  const stale = wanted.filter((w) => present.has(w.event) && !present.get(w.event)!.includes(w.entry.command as string));
  if (stale.length) out = uninstallJson(out, file, agent, new Set(stale.map((x) => x.event)));
  for (const w of wanted) {
    const { tree } = parseSettings(out, file);
    if (ourHooks(nodeValue(tree) as Obj, agent).get(w.event)?.includes(w.entry.command as string)) continue;
    const arr = tree && findNodeAtLocation(tree, ['hooks', w.event]);
    const group = { hooks: [w.entry] };
    if (arr && arr.type === 'array') out = insert(out, ['hooks', w.event, arr.children?.length ?? 0], group, true);
    else if (arr) throw new GsError('bad-input', `${file}: hooks.${w.event} is not a list; fix it and run this again`);
    else if (tree && findNodeAtLocation(tree, ['hooks'])) out = insert(out, ['hooks', w.event], [group], false);
    else out = insert(out, ['hooks'], { [w.event]: [group] }, false);
  }
  verify(out, file, (v) => wanted.every((w) => ourHooks(v, agent).get(w.event)?.includes(w.entry.command as string)));
  return bom + out;
}

/**
 * Removes our hook entries for `agent` (of `events`, default all), then the groups that
 * left with no hook, the event lists left empty and a `hooks` object left empty.
 */
export function uninstallJson(text: string, file: string, agent: AgentName, events?: ReadonlySet<string>): string {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  let out = text.slice(bom.length);
  const before = parseSettings(out, file).value;
  for (let path = firstOurs(before, agent, events); path; path = firstOurs(parseSettings(out, file).value, agent, events)) {
    out = remove(out, path);
    const [, event, gi] = path as [string, string, number];
    const hooks = () => parseSettings(out, file).value.hooks as Record<string, Obj[]>;
    if ((hooks()[event][gi].hooks as unknown[]).length > 0) continue;
    out = remove(out, ['hooks', event, gi]);
    if (hooks()[event].length > 0) continue;
    out = remove(out, ['hooks', event]);
    if (Object.keys(hooks()).length === 0) out = remove(out, ['hooks']);
  }
  // Everything but our entries must read back exactly as it was.
  const expect = structuredClone(before);
  pruneOurs(expect, agent, events);
  verify(out, file, () => true, () => expect);
  return bom + out;
}

function firstOurs(value: Obj, agent: AgentName, events?: ReadonlySet<string>): (string | number)[] | undefined {
  const hooks = isObj(value.hooks) ? value.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups) || (events && !events.has(event))) continue;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      if (!isObj(g) || !Array.isArray(g.hooks)) continue;
      const hi = g.hooks.findIndex((h) => isObj(h) && typeof h.command === 'string' && isOurCommand(h.command, agent));
      if (hi >= 0) return ['hooks', event, gi, 'hooks', hi];
    }
  }
  return undefined;
}

function pruneOurs(value: Obj, agent: AgentName, events?: ReadonlySet<string>): void {
  if (!isObj(value.hooks)) return;
  for (const [event, groups] of Object.entries(value.hooks)) {
    if (!Array.isArray(groups) || (events && !events.has(event))) continue;
    const kept = groups.filter((g) => {
      if (!isObj(g) || !Array.isArray(g.hooks)) return true;
      const list: unknown[] = g.hooks;
      const had = list.length;
      g.hooks = list.filter((h) => !(isObj(h) && typeof h.command === 'string' && isOurCommand(h.command, agent)));
      return !(had > 0 && (g.hooks as unknown[]).length === 0);
    });
    if (kept.length === 0 && groups.length > 0) delete value.hooks[event];
    else value.hooks[event] = kept;
  }
  if (Object.keys(value.hooks).length === 0) delete value.hooks;
}

function verify(text: string, file: string, ok: (v: Obj) => boolean, expected?: () => Obj): void {
  const v = parseSettings(text, file).value;
  if (!ok(v) || (expected && JSON.stringify(v) !== JSON.stringify(expected()))) {
    throw new GsError('bad-input', `${file}: could not edit it safely (the result did not read back as intended); nothing was written`);
  }
}

/**
 * Removes the node at `path` as the exact inverse of `insert`: with the separator before
 * it (a later sibling), or after it (the first of several), or the container's whole
 * inside (an only child).
 */
function remove(text: string, path: (string | number)[]): string {
  const root = parseSettings(text, '').tree!;
  const node = findNodeAtLocation(root, path);
  if (!node) return text;
  // A property's node is its value; the member to cut is the key-value pair around it.
  const member = node.parent?.type === 'property' ? node.parent : node;
  const container = member.parent!;
  const siblings = container.children!;
  const i = siblings.indexOf(member);
  const end = member.offset + member.length;
  let from: number;
  let to: number;
  if (i > 0) [from, to] = [siblings[i - 1].offset + siblings[i - 1].length, end];
  else if (siblings.length > 1) [from, to] = [member.offset, siblings[1].offset];
  else [from, to] = [container.offset + 1, container.offset + container.length - 1];
  return text.slice(0, from) + text.slice(to);
}

/** Inserts `value` at `path` (a new property, or an array element when `element`), indented like the file. */
function insert(text: string, path: (string | number)[], value: unknown, element: boolean): string {
  const edits: Edit[] = modify(text, path, value, element ? { isArrayInsertion: true } : {});
  if (edits.length !== 1 || edits[0].length !== 0) return applyEdits(text, edits);
  const e = edits[0];
  // A container written on one line gets the new item on that line too.
  const container = findNodeAtLocation(parseSettings(text, '').tree!, path.slice(0, -1));
  if (container && !text.slice(container.offset, container.offset + container.length).includes('\n')) {
    return applyEdits(text, [{ offset: e.offset, length: 0, content: e.content.replace(/^(,?)/, '$1 ') }]);
  }
  const { unit, eol } = style(text);
  const level = path.length;
  const pad = (n: number) => unit.repeat(n);
  const pretty = JSON.stringify(value, null, unit).split('\n').join(eol + pad(level));
  const body = element ? pretty : `${JSON.stringify(path[path.length - 1])}: ${pretty}`;
  const comma = e.content.startsWith(',');
  const closesOnNextLine = /^[ \t]*\r?\n/.test(text.slice(e.offset));
  const content = `${comma ? ',' : ''}${eol}${pad(level)}${body}${comma || closesOnNextLine ? '' : eol + pad(level - 1)}`;
  return applyEdits(text, [{ offset: e.offset, length: 0, content }]);
}

// The file's indent unit (its first indented line) and line ending; two spaces and \n by default.
function style(text: string): { unit: string; eol: string } {
  const m = /\n([ \t]+)\S/.exec(text);
  return { unit: m ? (m[1].startsWith('\t') ? '\t' : m[1]) : '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function nodeValue(n: Node | undefined): unknown {
  if (!n) return undefined;
  switch (n.type) {
    case 'object': {
      const o: Obj = {};
      for (const p of n.children ?? []) if (p.children?.[0]) o[p.children[0].value as string] = nodeValue(p.children[1]);
      return o;
    }
    case 'array':
      return (n.children ?? []).map(nodeValue);
    default:
      return n.value;
  }
}

/** The file switches the agent's hooks off (Claude Code's `disableAllHooks`, Gemini CLI's `hooksConfig.enabled: false`). */
export function jsonHooksOff(value: Obj): boolean {
  return value.disableAllHooks === true || (isObj(value.hooksConfig) && value.hooksConfig.enabled === false);
}
