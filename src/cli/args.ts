// The one definition of every command: each file under commands/ exports a yargs
// command module (`command`, `describe`, `builder`). Two readers share it:
// - yargs itself (src/cli/yargs.ts, loaded lazily) for help, validation messages,
//   "did you mean", shell completion and anything unusual on the command line;
// - `fastParse` below, for the well-formed command lines of every day, so that `record`,
//   `status`, `show` or a hook never pay the ~50 ms yargs costs to load (bench: `npm run
//   bench -- cli`). It records the builder's declarations and parses with Node's
//   util.parseArgs; whenever it is not sure to agree with yargs it answers `undefined`
//   and yargs decides. A property test checks the two agree wherever fastParse answers.
import { parseArgs } from 'node:util';
import type { Argv as YArgv, ArgumentsCamelCase, Options, PositionalOptions } from 'yargs';

/** The yargs builder type command files declare against (types only: yargs loads lazily). */
export type Argv<T = {}> = YArgv<T>;

/** Exit statuses a command documents beyond 0 (ok) and 2 (bad input), for help and the man page. */
export type Exits = Partial<Record<1 | 3, string>>;

/** A command's declaration, as each file under commands/ exports it in `spec`. */
export interface CommandSpec<T = any> {
  command: string;
  describe: string | false;
  builder: (y: Argv) => Argv<T>;
  /** What exit 1 (and 3) mean for this command; absent = never. */
  exits?: Exits;
}

/** The exit statuses of one command, as its help, the man page and the README list them. */
export function exitLines(spec: Pick<CommandSpec, 'exits'>): string[] {
  const e = spec.exits ?? {};
  return ['0 ok', ...(e[1] ? [`1 ${e[1]}`] : []), '2 bad input or usage', ...(e[3] ? [`3 ${e[3]}`] : [])];
}

/** The parsed arguments of a command, derived from its builder's declarations. */
export type ArgsOf<S extends { builder: (y: Argv) => Argv<any> }> = S extends { builder: (y: Argv) => Argv<infer T> }
  ? ArgumentsCamelCase<T> & { '--'?: string[] }
  : never;

/** Stands for a lone `-` (stdin) while parsing: yargs would turn it into ''. */
export const STDIN_MARK = '\u0000stdin';

interface Positional {
  name: string;
  required: boolean;
  variadic: boolean;
  spec: PositionalOptions;
}

/** A command's declarations as recorded from its builder. */
export interface Declared {
  name: string;
  usage: string;
  describe: string | false;
  positionals: Positional[];
  options: Map<string, Options>;
}

/** Records a command's declarations by running its builder on a recorder. */
export function declare(spec: CommandSpec): Declared {
  const [name, ...words] = spec.command.split(/\s+/);
  const positionals: Positional[] = words.map((w) => {
    const m = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(w);
    if (!m) throw new Error(`bad command declaration: ${spec.command}`);
    return { name: m[2], required: m[1] === '<', variadic: Boolean(m[3]), spec: {} };
  });
  const options = new Map<string, Options>();
  const recorder = {
    positional(n: string, s: PositionalOptions) {
      const p = positionals.find((x) => x.name === n);
      if (!p) throw new Error(`${name}: positional ${n} is not in '${spec.command}'`);
      p.spec = s;
      return recorder;
    },
    options(specs: Record<string, Options>) {
      for (const [k, s] of Object.entries(specs)) options.set(k, s);
      return recorder;
    },
  };
  spec.builder(recorder as unknown as Argv);
  return { name, usage: spec.command, describe: spec.describe, positionals, options };
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Replaces each lone `-` before `--` with STDIN_MARK (see there). */
export function markStdin(argv: string[]): string[] {
  const dd = argv.indexOf('--');
  return argv.map((a, i) => (a === '-' && (dd < 0 || i < dd) ? STDIN_MARK : a));
}

/** Puts `-` back where markStdin marked it. */
export function unmarkStdin<T>(v: T): T {
  if (v === STDIN_MARK) return '-' as T;
  if (Array.isArray(v)) return v.map(unmarkStdin) as T;
  return v;
}

const inChoices = (s: { choices?: unknown }, v: unknown) => !Array.isArray(s.choices) || (Array.isArray(v) ? v : [v]).every((x) => (s.choices as unknown[]).includes(x));

/**
 * A string option given no value (`start g --worktree`, `--worktree --agent x`) is ''
 * for yargs; util.parseArgs would refuse it: spell it `--name=` first.
 */
function valueless(d: Declared, args: string[]): string[] {
  return args.map((a, i) => {
    const m = /^--?([\w-]+)$/.exec(a);
    if (!m) return a;
    const hit = [...d.options].find(([k, s]) => (a.startsWith('--') ? k === m[1] : s.alias === m[1]));
    if (!hit || hit[1].type !== 'string' || hit[1].array) return a;
    const next = args[i + 1];
    const none = next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next));
    return none ? `--${hit[0]}=` : a;
  });
}

/**
 * Parses what follows the command name, as yargs would, or returns `undefined` when the
 * line is anything but plain (an error, a negative number, `--no-x`, `--json=false`,
 * `-mvalue`, a word `help`...), leaving yargs to parse it or to say what is wrong.
 */
export function fastParse(d: Declared, argv: string[]): Record<string, unknown> | undefined {
  argv = markStdin(argv);
  const dd = argv.indexOf('--');
  const before = valueless(d, dd < 0 ? argv : argv.slice(0, dd));
  if (before.some((a) => /^-[^-]./.test(a))) return undefined;
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [k, s] of d.options) {
    config[k] = { type: s.type === 'boolean' ? 'boolean' : 'string', ...(s.array ? { multiple: true } : {}), ...(typeof s.alias === 'string' && s.alias.length === 1 ? { short: s.alias } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: before, options: config, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = { _: [d.name], $0: 'git session' };
  if (dd >= 0) out['--'] = argv.slice(dd + 1);
  const pos = parsed.positionals;
  // yargs gives a word `help` its own meaning (`git session record note help` is --help).
  if (d.name !== 'help' && pos.includes('help')) return undefined;
  let i = 0;
  for (const p of d.positionals) {
    let v: unknown;
    if (p.variadic) {
      v = pos.slice(i);
      i = pos.length;
      if (!(v as string[]).length && !p.spec.array) v = undefined;
    } else if (i < pos.length) v = pos[i++];
    else if (p.required) return undefined;
    else v = p.spec.default;
    if (p.spec.type !== 'string' && !p.spec.choices && v !== undefined) return undefined; // yargs would coerce numbers
    if (!inChoices(p.spec, v)) return undefined;
    if (v !== undefined) out[p.name] = out[camel(p.name)] = unmarkStdin(v);
  }
  if (i < pos.length) return undefined;
  for (const [k, s] of d.options) {
    let v: unknown = parsed.values[k];
    if (v === undefined) {
      if (s.demandOption) return undefined;
      v = s.default;
    } else if (s.type === 'number') {
      v = Number(v);
      if (!Number.isFinite(v)) return undefined;
    }
    if (v === undefined) continue;
    if (!inChoices(s, v)) return undefined;
    v = unmarkStdin(v);
    out[k] = out[camel(k)] = v;
    if (typeof s.alias === 'string') out[s.alias] = v;
  }
  return out;
}
