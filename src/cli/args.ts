// The command-line layer: each command file declares its arguments through a small
// yargs-shaped builder (`positional`, `options`), and argv is parsed with Node's own
// `util.parseArgs`. Why not yargs: measured on this project's 2-core machine, loading
// yargs 18 cost 55–75 ms of every invocation even bundled (node itself starts in ~75 ms)
// against ~5 ms for util.parseArgs, and that one import broke the start-up budgets of
// `record` (150 ms), `list` (300 ms) and `conflicts` (3x git log). The behaviour users
// rely on is kept: per-command and global --help, --version, choices, required options,
// repeatable options, short aliases, `--` pass-through, strict unknown-option errors
// and "did you mean" for commands. Every error is a GsError('usage') (exit 2).
import { parseArgs } from 'node:util';
import { usage } from '../core/errors.js';

/** One option or positional, declared as yargs would. */
export interface OptionSpec {
  type?: 'string' | 'boolean' | 'number';
  alias?: string;
  describe?: string;
  choices?: readonly string[];
  default?: unknown;
  demandOption?: boolean;
  array?: boolean;
}

/** What a command's builder receives: declare positionals and options, chainably. */
export interface Argv {
  positional(name: string, spec: OptionSpec): Argv;
  options(specs: Record<string, OptionSpec>): Argv;
}

/** A command's declaration, as each file under commands/ exports it in `spec`. */
export interface CommandSpec {
  command: string;
  describe: string | false;
  builder?: (y: Argv) => Argv;
}

interface Positional {
  name: string;
  required: boolean;
  variadic: boolean;
  spec: OptionSpec;
}

/** A declaration with its command line parsed: name, positionals, options. */
export interface Declared {
  name: string;
  usage: string;
  describe: string | false;
  positionals: Positional[];
  options: Map<string, OptionSpec>;
}

/** Records a command's declaration by running its builder on a recorder. */
export function declare(spec: CommandSpec): Declared {
  const [name, ...words] = spec.command.split(/\s+/);
  const positionals: Positional[] = words.map((w) => {
    const m = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(w);
    if (!m) throw new Error(`bad command declaration: ${spec.command}`);
    return { name: m[2], required: m[1] === '<', variadic: Boolean(m[3]), spec: {} };
  });
  const options = new Map<string, OptionSpec>();
  const recorder: Argv = {
    positional(n, s) {
      const p = positionals.find((x) => x.name === n);
      if (p) p.spec = s;
      return recorder;
    },
    options(specs) {
      for (const [k, s] of Object.entries(specs)) options.set(k, s);
      return recorder;
    },
  };
  spec.builder?.(recorder);
  return { name, usage: spec.command, describe: spec.describe, positionals, options };
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function checkChoice(what: string, value: unknown, choices?: readonly string[]): void {
  if (!choices || value === undefined) return;
  for (const v of Array.isArray(value) ? value : [value]) {
    if (!choices.includes(String(v))) throw usage(`Invalid values: ${what} '${v}' (choices: ${choices.join(', ')})`);
  }
}

/**
 * Parses the arguments after the command name against its declaration: returns the
 * args object a command's `run` receives (dashed names also camel-cased, `--` rest
 * under '--'). Throws a one-line usage error for anything off.
 */
export function parseCommand(d: Declared, argv: string[]): Record<string, unknown> {
  const dd = argv.indexOf('--');
  const before = dd < 0 ? argv : argv.slice(0, dd);
  const rest = dd < 0 ? [] : argv.slice(dd + 1);
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [k, s] of d.options) {
    options[k] = { type: s.type === 'boolean' ? 'boolean' : 'string', ...(s.array ? { multiple: true } : {}), ...(s.alias?.length === 1 ? { short: s.alias } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: before, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage(`${(e as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '')} (git session ${d.name} --help)`);
  }
  const out: Record<string, unknown> = { '--': rest };
  const pos = parsed.positionals;
  let i = 0;
  for (const p of d.positionals) {
    if (p.variadic) {
      out[p.name] = pos.slice(i);
      i = pos.length;
    } else if (i < pos.length) out[p.name] = pos[i++];
    else if (p.required) throw usage(`missing <${p.name}>: git session ${d.usage}`);
    else if (p.spec.default !== undefined) out[p.name] = p.spec.default;
    checkChoice(`<${p.name}>`, out[p.name], p.spec.choices);
  }
  if (i < pos.length) throw usage(`Unknown argument: ${pos[i]} (git session ${d.name} --help)`);
  for (const [k, s] of d.options) {
    let v: unknown = parsed.values[k];
    if (v === undefined) {
      if (s.demandOption) throw usage(`Missing required argument: --${k}`);
      v = s.default;
    } else if (s.type === 'number') {
      v = Number(v);
      if (!Number.isFinite(v)) throw usage(`--${k} takes a number, got '${parsed.values[k]}'`);
    }
    checkChoice(`--${k}`, v, s.choices);
    if (v !== undefined) {
      out[k] = v;
      out[camel(k)] = v;
    }
  }
  return out;
}

function optionLine(flag: string, s: OptionSpec): string {
  const extra = [s.choices ? `choices: ${s.choices.join(', ')}` : '', s.default !== undefined ? `default: ${String(s.default)}` : '', s.array ? 'repeatable' : ''].filter(Boolean);
  return `  ${flag.padEnd(22)} ${s.describe ?? ''}${extra.length ? ` [${extra.join('; ')}]` : ''}`;
}

/** `git session <command> --help`. */
export function commandHelp(d: Declared): string {
  const lines = [`git session ${d.usage}`, '', String(d.describe || '')];
  const pos = d.positionals.filter((p) => p.spec.describe || p.spec.choices);
  if (pos.length) lines.push('', 'Arguments:', ...pos.map((p) => optionLine(p.name, p.spec)));
  lines.push('', 'Options:');
  for (const [k, s] of d.options) lines.push(optionLine(`--${k}${s.alias ? `, -${s.alias}` : ''}`, s));
  lines.push(optionLine('--help, -h', { describe: 'show this help' }));
  return lines.join('\n') + '\n';
}

/** `git session --help`: every visible command with its one-line description. */
export function globalHelp(all: Declared[], intro: string): string {
  const shown = all.filter((d) => d.describe !== false);
  const width = Math.max(...shown.map((d) => d.usage.length)) + 2;
  return [
    'Usage: git session <command> [options]',
    '',
    intro,
    '',
    'Commands:',
    ...shown.map((d) => `  ${d.usage.padEnd(width)} ${d.describe}`),
    '',
    'Every command takes --help; data commands take --json. Exit codes: 0 ok, 1 conflict/failed check/refusal, 2 bad input.',
  ].join('\n') + '\n';
}

/** The command closest to a mistyped name (edit distance ≤ 2), for "did you mean". */
export function closest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = distance(name, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
