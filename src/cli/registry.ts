// The list of commands, registered once by the entry point (main.ts, or the man page
// generator) from commands.ts. Modules that need the list — help, completion, yargs —
// read it here rather than import every command file, which would import them back.
import type { CommandFile } from './command.js';

let registered: CommandFile[] = [];

/** Sets the command list (the entry point does, from commands.ts). */
export function registerCommands(list: CommandFile[]): void {
  registered = list;
}

/** Every command, in the order `--help` lists them. */
export function commandList(): CommandFile[] {
  return registered;
}

/** The command file named `name` (first word of its declaration). */
export function findCommand(name: string): CommandFile | undefined {
  return registered.find((c) => c.spec.command.split(' ')[0] === name);
}

/** Package version printed by `--version` and the man page. */
export const VERSION = '0.1.0';

/** One line on what git-session is, for help and the man page. */
export const INTRO = 'Sessions as the unit of contribution: goal, conversation, decisions, checks and code.';
