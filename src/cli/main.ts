import { type CliEnv, processEnv } from './env.js';
import { COMMANDS } from './commands.js';
import { dispatch } from './dispatch.js';
import { findCommand, registerCommands } from './registry.js';

registerCommands(COMMANDS);

export { COMMANDS } from './commands.js';
export { VERSION } from './registry.js';

/** Runs one command line with every command loaded (tests and the man page use this entry; bin/git-session uses lazy-main). */
export function main(argv: string[], given: CliEnv = processEnv()): Promise<number> {
  return dispatch(argv, given, { find: findCommand, registerAll: () => undefined });
}
