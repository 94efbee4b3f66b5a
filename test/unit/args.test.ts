import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declare, fastParse } from '../../src/cli/args.js';
import { COMMANDS } from '../../src/cli/main.js';
import { yargsArgs } from '../../src/cli/yargs.js';
import { exitCode } from '../../src/cli/exit.js';
import { GsError } from '../../src/core/errors.js';

const record = declare({
  command: 'record <kind> [text]',
  describe: 'append',
  builder: (y) =>
    y.positional('kind', { choices: ['note', 'prompt'] }).positional('text', { type: 'string' }).options({
      line: { type: 'number' },
      rejected: { type: 'string', array: true },
      session: { type: 'string', alias: 's' },
      'dry-run': { type: 'boolean' },
      strategy: { choices: ['squash', 'merge'], default: 'squash' },
      because: { type: 'string', demandOption: true },
    }),
});
const check = declare({ command: 'check [cmd..]', describe: 'run', builder: (y) => y.positional('cmd', { type: 'string', array: true }) });

describe('fastParse', () => {
  it('fills positionals, options, aliases, repeats, numbers, defaults and camel case', () => {
    const a = fastParse(record, ['note', 'hello', '--line', '3', '-s', 'abc', '--rejected', 'x: y', '--rejected', 'z: w', '--dry-run', '--because', 'b']);
    expect(a).toMatchObject({ kind: 'note', text: 'hello', line: 3, session: 'abc', s: 'abc', rejected: ['x: y', 'z: w'], 'dry-run': true, dryRun: true, strategy: 'squash', because: 'b' });
    expect(fastParse(record, ['note', '-', '--because', 'b'])?.text).toBe('-');
    expect(fastParse(record, ['note', 'x', '--because', 'b', '--session'])?.session).toBe('');
  });
  it('passes everything after -- through untouched, and collects variadics', () => {
    expect(fastParse(check, ['--', 'npm', 'test', '--', '-x'])).toMatchObject({ '--': ['npm', 'test', '--', '-x'] });
    expect(fastParse(check, ['a', 'b'])).toMatchObject({ cmd: ['a', 'b'] });
  });
  it('leaves to yargs whatever is not plain', () => {
    for (const argv of [['bogus', '--because', 'b'], ['--because', 'b'], ['note'], ['note', '--because', 'b', '--line', 'x'], ['note', '--because', 'b', '--bogus'], ['note', 'a', 'b', '--because', 'b'], ['note', '--because', 'b', '--strategy', 'rebase'], ['note', '-3', '--because', 'b'], ['note', '--because', 'b', '--no-dry-run']]) {
      expect(fastParse(record, argv), argv.join(' ')).toBeUndefined();
    }
  });
});

// Words a command line of any command might be made of.
function tokens(d: ReturnType<typeof declare>): string[] {
  const t = ['help', 'x', 'a b', '-', '', '12', '-3', '--', '-x', '--bogus', '=', 'a=b', 'origin', '--help-me'];
  for (const [k, s] of d.options) {
    t.push(`--${k}`, `--${k}=v`);
    if (typeof s.alias === 'string') t.push(`-${s.alias}`);
    if (Array.isArray(s.choices)) t.push(...s.choices.map(String));
  }
  for (const p of d.positionals) if (Array.isArray(p.spec.choices)) t.push(...p.spec.choices.map(String));
  return t;
}

describe('fastParse agrees with yargs', () => {
  it('wherever it answers, on every command (property)', async () => {
    // `help` is ours before yargs sees it (yargs reads a word `help` as --help).
    const visible = COMMANDS.map((c) => ({ c, d: declare(c.spec) })).filter((x) => x.d.name !== 'help');
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: visible.length - 1 }).chain((i) => fc.tuple(fc.constant(i), fc.array(fc.constantFrom(...tokens(visible[i].d)), { maxLength: 6 }))),
        async ([i, words]) => {
          const { d } = visible[i];
          const fast = fastParse(d, words);
          if (fast === undefined) return;
          answered++;
          const slow = await yargsArgs([d.name, ...words]);
          expect(slow, `${d.name} ${JSON.stringify(words)}`).toBeDefined();
          const keys = new Set(['_', '--', ...Object.keys(fast), ...Object.keys(slow!).filter((k) => k !== '$0')]);
          for (const k of keys) {
            const norm = (v: unknown) => (k === '--' && v === undefined ? [] : v);
            expect(norm(fast[k]), `${d.name} ${JSON.stringify(words)} [${k}]`).toEqual(norm(slow![k]));
          }
        },
      ),
      // Enough runs that plain lines (the ones fastParse answers) come up often, whatever the command count.
      { numRuns: 900 },
    );
    expect(answered).toBeGreaterThan(100);
  });

  it('and yargs refuses with a GsError (exit 2) what neither accepts', async () => {
    const e = await yargsArgs(['record', 'bogus', 'x']).catch((x) => x);
    expect(e).toBeInstanceOf(GsError);
    expect(exitCode((e as GsError).code)).toBe(2);
  });
});
