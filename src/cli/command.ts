import type { Argv } from 'yargs';
import type { CliEnv } from './env.js';

/**
 * The shape of every file under src/cli/commands: a yargs module (without handler, so
 * it stays declarative) and a `run` that takes parsed args and an injected env and
 * returns the exit status. main.ts binds the two.
 */
export interface CommandFile<A = any> {
  spec: { command: string | string[]; describe: string; builder?: (y: Argv) => Argv<any> };
  run: (args: A, env: CliEnv) => Promise<number>;
}
