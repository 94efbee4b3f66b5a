import { isGsError, usage } from '../core/errors.js';
import { closest, commandHelp, declare, globalHelp, parseCommand } from './args.js';
import type { CommandFile } from './command.js';
import { exitCode, INTERNAL_EXIT } from './exit.js';
import { type CliEnv, processEnv } from './env.js';
import { safeEnv } from './output.js';
import { sanitizeLine } from '../core/sanitize.js';
import * as abandon from './commands/abandon.js';
import * as check from './commands/check.js';
import * as conflicts from './commands/conflicts.js';
import * as decide from './commands/decide.js';
import * as exportCmd from './commands/export.js';
import * as importCmd from './commands/import.js';
import * as index from './commands/index.js';
import * as eject from './commands/eject.js';
import * as hook from './commands/hook.js';
import * as init from './commands/init.js';
import * as land from './commands/land.js';
import * as list from './commands/list.js';
import * as log from './commands/log.js';
import * as pull from './commands/pull.js';
import * as push from './commands/push.js';
import * as record from './commands/record.js';
import * as show from './commands/show.js';
import * as snapshot from './commands/snapshot.js';
import * as start from './commands/start.js';
import * as status from './commands/status.js';
import * as sync from './commands/sync.js';
import * as why from './commands/why.js';
import * as tui from './commands/tui.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CommandFile[] = [init, start, record, decide, snapshot, check, status, list, show, log, conflicts, land, sync, abandon, exportCmd, importCmd, why, push, pull, eject, index, tui, hook];

/** Package version printed by `--version`. */
export const VERSION = '0.1.0';

const INTRO = 'Sessions as the unit of contribution: goal, conversation, decisions, checks and code.';

/**
 * Parses argv, runs one command, and maps every error to the spec's exit codes: the
 * one place that turns a GsError into a line on stderr (no stack trace) and a status.
 */
export async function main(argv: string[], given: CliEnv = processEnv()): Promise<number> {
  // Every byte of text a command prints goes through the one sanitizer (src/cli/output.ts).
  const env = safeEnv(given);
  try {
    const first = argv[0];
    const declared = COMMANDS.map((c) => ({ file: c, decl: declare(c.spec) }));
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      if (first === undefined) throw usage('say which command to run (git session --help lists them)');
      env.stdout.write(globalHelp(declared.map((d) => d.decl), INTRO));
      return 0;
    }
    if (first === '--version' || first === '-V') {
      env.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const hit = declared.find((d) => d.decl.name === first);
    if (!hit) {
      const near = closest(first, declared.filter((d) => d.decl.describe !== false).map((d) => d.decl.name));
      throw usage(`Unknown command: ${first}${near ? ` (did you mean ${near}?)` : ''}; git session --help lists them`);
    }
    const rest = argv.slice(1);
    const dd = rest.indexOf('--');
    if ((dd < 0 ? rest : rest.slice(0, dd)).some((a) => a === '--help' || a === '-h')) {
      env.stdout.write(commandHelp(hit.decl));
      return 0;
    }
    return await hit.file.run(parseCommand(hit.decl, rest), env);
  } catch (e) {
    return report(e, env);
  }
}

function report(e: unknown, env: CliEnv): number {
  if (isGsError(e)) {
    env.stderr.write(`git-session: ${sanitizeLine(e.message)}\n`);
    return exitCode(e.code);
  }
  const err = e as Error;
  env.stderr.write(`git-session: internal error: ${sanitizeLine(err?.message ?? String(e))}\n`);
  if (env.env.GIT_SESSION_DEBUG) env.stderr.write(`${err?.stack}\n`);
  return INTERNAL_EXIT;
}
