import { describe, expect, it } from 'vitest';
import { closest, commandHelp, declare, parseCommand } from '../../src/cli/args.js';
import { GsError } from '../../src/core/errors.js';
import { exitCode } from '../../src/cli/exit.js';

const record = declare({
  command: 'record <kind> [text]',
  describe: 'append',
  builder: (y) =>
    y.positional('kind', { choices: ['note', 'prompt'] }).options({
      line: { type: 'number' },
      rejected: { type: 'string', array: true },
      session: { type: 'string', alias: 's' },
      'dry-run': { type: 'boolean' },
      strategy: { choices: ['squash', 'merge'], default: 'squash' },
      because: { type: 'string', demandOption: true },
    }),
});
const check = declare({ command: 'check [cmd..]', describe: 'run' });

function fails(d: ReturnType<typeof declare>, argv: string[], re: RegExp): void {
  try {
    parseCommand(d, argv);
    expect.unreachable(argv.join(' '));
  } catch (e) {
    expect(e).toBeInstanceOf(GsError);
    expect(exitCode((e as GsError).code)).toBe(2);
    expect((e as GsError).message).toMatch(re);
  }
}

describe('argument parsing', () => {
  it('fills positionals, options, aliases, repeats, numbers, defaults and camel case', () => {
    const a = parseCommand(record, ['note', 'hello', '--line', '3', '-s', 'abc', '--rejected', 'x: y', '--rejected', 'z: w', '--dry-run', '--because', 'b']);
    expect(a).toMatchObject({ kind: 'note', text: 'hello', line: 3, session: 'abc', rejected: ['x: y', 'z: w'], 'dry-run': true, dryRun: true, strategy: 'squash', because: 'b' });
    expect(parseCommand(record, ['note', '-', '--because', 'b']).text).toBe('-');
  });
  it('passes everything after -- through untouched, and collects variadics', () => {
    expect(parseCommand(check, ['--', 'npm', 'test', '--', '-x'])).toMatchObject({ cmd: [], '--': ['npm', 'test', '--', '-x'] });
    expect(parseCommand(check, ['a', 'b'])).toMatchObject({ cmd: ['a', 'b'] });
  });
  it('refuses what is off with one clear line', () => {
    fails(record, ['bogus', '--because', 'b'], /Invalid values: <kind> 'bogus'/);
    fails(record, ['--because', 'b'], /missing <kind>/);
    fails(record, ['note'], /Missing required argument: --because/);
    fails(record, ['note', '--because', 'b', '--line', 'x'], /--line takes a number/);
    fails(record, ['note', '--because', 'b', '--bogus'], /Unknown option '--bogus'/);
    fails(record, ['note', 'a', 'b', '--because', 'b'], /Unknown argument: b/);
    fails(record, ['note', '--because', 'b', '--strategy', 'rebase'], /choices: squash, merge/);
  });
  it('suggests the closest command and documents every option', () => {
    expect(closest('recrod', ['record', 'start', 'land'])).toBe('record');
    expect(closest('zzzzzz', ['record', 'start'])).toBeUndefined();
    const help = commandHelp(record);
    for (const flag of ['--line', '--rejected', '--session, -s', '--dry-run', '--because', 'choices: note, prompt', 'default: squash']) expect(help).toContain(flag);
  });
});
