import type { CommandSpec } from './args.js';
import type { CliEnv } from './env.js';

/**
 * The shape of every file under src/cli/commands: a declaration (`spec`: command line,
 * description, builder of positionals and options) and a `run` that takes the parsed
 * args and an injected env and returns the exit status. main.ts binds the two.
 */
export interface CommandFile<A = any> {
  spec: CommandSpec;
  run: (args: A, env: CliEnv) => Promise<number>;
}
