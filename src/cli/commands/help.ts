import { usage } from '../../core/errors.js';
import type { ArgsOf, Argv } from '../args.js';
import type { CliEnv } from '../env.js';
import { commandList, findCommand } from '../registry.js';

/** `git session help [command]`. */
export const spec = {
  command: 'help [command]',
  describe: 'help on one command, or list them all (git help session opens the manual)',
  builder: (y: Argv) => y.positional('command', { type: 'string', describe: 'the command to explain' }),
};

/** Runs `help`: the same text as `--help`, rendered by yargs (loaded only here). */
export async function run(args: ArgsOf<typeof spec>, env: CliEnv): Promise<number> {
  const { helpText, closest } = await import('../yargs.js');
  if (args.command !== undefined && !findCommand(args.command)) {
    const near = closest(args.command, commandList().filter((c) => c.spec.describe !== false).map((c) => c.spec.command.split(' ')[0]));
    throw usage(`unknown command '${args.command}'${near ? ` (did you mean ${near}?)` : ''}; git session help lists them`);
  }
  env.stdout.write(await helpText(env, args.command));
  return 0;
}
