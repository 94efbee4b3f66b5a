// yargs over the command definitions: help (global and per command), validation with
// its messages, "did you mean", and every command line fastParse leaves to it. Loaded
// only on those paths (a lazy chunk of the bundle), never for a plain `record`/`status`.
import yargs from 'yargs';
import { GsError, usage } from '../core/errors.js';
import { declare, exitLines, markStdin, unmarkStdin } from './args.js';
import type { CommandFile } from './command.js';
import type { CliEnv } from './env.js';
import { commandList, INTRO, VERSION } from './registry.js';

const EXIT_NOTE = 'Exit status: 0 ok, 2 bad input or usage (one line on stderr, nothing written)';

function oneLine(msg: string): string {
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}

/** The closest of `names` to a mistyped `name` (edit distance ≤ 2). */
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

/** Turns a yargs complaint into our one line, with a pointer to the command's help. */
function complaint(msg: string, argv: string[]): GsError {
  const file = commandList().find((c) => c.spec.command.split(' ')[0] === argv[0]);
  const where = file ? `git session ${argv[0]} --help` : 'git session --help';
  if (!file) {
    const m = /^Did you mean (.+)\?$/.exec(msg) ?? /^Unknown argument: (.+)$/.exec(msg);
    if (argv[0] !== undefined && !argv[0].startsWith('-') && m) {
      const near = closest(argv[0], commandList().filter((c) => c.spec.describe !== false).map((c) => c.spec.command.split(' ')[0]));
      return usage(`unknown command '${argv[0]}'${near ? ` (did you mean ${near}?)` : ''}; ${where} lists them`);
    }
    return usage(`${oneLine(msg)} (${where})`);
  }
  const d = declare(file.spec);
  if (/^Not enough non-option arguments/.test(msg)) {
    const need = d.positionals.filter((p) => p.required).map((p) => `<${p.name}>`).join(' ');
    return usage(`missing ${need}: git session ${d.usage}`);
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const first = unknown[1].split(', ')[0];
    const shown = argv.find((a) => a.replace(/^-+/, '').split('=')[0] === first) ?? first;
    const near = shown.startsWith('--') ? closest(first, [...d.options.keys()]) : undefined;
    return usage(`unknown option or argument '${shown}'${near ? ` (did you mean --${near}?)` : ''}; ${where}`);
  }
  const invalid = /^Invalid values:\s+Argument: ([\w-]+), Given: (.*), Choices: (.*)$/.exec(oneLine(msg));
  if (invalid) {
    const [, name, given, choices] = invalid;
    const what = d.options.has(name) ? `--${name}` : `<${name}>`;
    return usage(`${what} ${given.replace(/^"(.*)"$/, "'$1'")} is not one of: ${choices.replace(/"/g, '')} (${where})`);
  }
  return usage(`${oneLine(msg)} (${where})`);
}

function width(env: CliEnv): number {
  const cols = env.stdout.isTTY ? (env.stdout as { columns?: number }).columns : undefined;
  return Math.min(100, cols ?? 80);
}

/** A yargs instance over every command; `onRun` receives the command a line selected. */
function parser(env: CliEnv, argv: string[], onRun: (c: CommandFile, args: Record<string, unknown>) => Promise<void>) {
  const y = yargs()
    .scriptName('git session')
    // Our one-line messages are built from yargs' English ones (and the rest of the CLI is English).
    .locale('en')
    .usage(`$0 <command> [options]\n\n${INTRO}`)
    .parserConfiguration({ 'populate--': true, 'greedy-arrays': false, 'short-option-groups': false, 'parse-numbers': false, 'parse-positional-numbers': false })
    .strict()
    .demandCommand(1, 'say which command to run')
    .recommendCommands()
    .version(VERSION)
    .alias('V', 'version')
    .help()
    .alias('h', 'help')
    .wrap(width(env))
    .epilog(`Every command takes --help; data commands take --json (one JSON document on stdout). ${EXIT_NOTE}; 1 and 3 per command (see its --help). git help session shows the manual.`)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err instanceof GsError) throw err;
      throw complaint(msg ?? err?.message ?? 'bad command line', argv);
    });
  for (const c of commandList()) {
    y.command({
      command: c.spec.command,
      describe: c.spec.describe,
      builder: (b) => {
        const r = c.spec.builder(b as never);
        // Numbers must be numbers; an option given twice keeps its last value (as git
        // does), except repeatable ones. (yargs' duplicate-arguments-array cannot be off:
        // it fills variadic positionals through it.)
        for (const [k, s] of declare(c.spec).options) {
          if (s.array) continue;
          r.coerce(k, (v: unknown) => {
            const last = Array.isArray(v) ? v.at(-1) : v;
            if (s.type === 'number' && (typeof last !== 'number' || !Number.isFinite(last))) throw usage(`--${k} takes a number`);
            return last;
          });
        }
        return r.epilog(`Exit status: ${exitLines(c.spec).join('; ')}.`);
      },
      handler: (a) => onRun(c, a as Record<string, unknown>),
    });
  }
  return y;
}

/** Parses `argv` with yargs; runs the command it names, or prints help/version. */
export async function runYargs(argv: string[], env: CliEnv): Promise<number> {
  let code = 0;
  let output = '';
  const y = parser(env, argv, async (c, a) => {
    const args = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, unmarkStdin(v)]));
    code = await c.run(args, env);
  });
  await y.parseAsync(markStdin(argv), {}, (_err, _a, out) => {
    output = out;
  });
  if (output) env.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return code;
}

/** The help text of one command, or the global help when `name` is undefined. */
export async function helpText(env: CliEnv, name?: string): Promise<string> {
  let output = '';
  await parser(env, name ? [name] : [], async () => {}).parseAsync(name ? [name, '--help'] : ['--help'], {}, (_e, _a, out) => {
    output = out;
  });
  return output.endsWith('\n') ? output : `${output}\n`;
}

/**
 * What yargs makes of a command line, without running the command (undefined: help or
 * version would print). Throws the GsError a user would see. For the parity test.
 */
export async function yargsArgs(argv: string[]): Promise<Record<string, unknown> | undefined> {
  let got: Record<string, unknown> | undefined;
  const quiet: CliEnv = { cwd: '.', stdout: { write: () => true }, stderr: { write: () => true }, clock: Date.now, env: {} };
  await parser(quiet, argv, async (_c, a) => {
    got = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, unmarkStdin(v)]));
  }).parseAsync(markStdin(argv), {}, () => {});
  return got;
}
