import type { CommandSpec } from './args.js';
import type { CliEnv } from './env.js';

/**
 * The shape of every file under src/cli/commands: a declaration (`spec`: a yargs
 * command module — command line, description, builder of positionals and options) and
 * a `run` that takes the parsed args and an injected env and returns the exit status.
 */
export interface CommandFile<A = any> {
  spec: CommandSpec;
  run: (args: A, env: CliEnv) => Promise<number>;
}
