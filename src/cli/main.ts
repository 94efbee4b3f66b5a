import { GsError, isGsError, usage } from '../core/errors.js';
import type { CommandFile } from './command.js';
import { STDIN_ARG } from './stdin.js';
import { type CliEnv, processEnv } from './env.js';
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

/**
 * Parses argv, runs one command, and maps every error to the spec's exit codes: the
 * one place that turns a GsError into a line on stderr (no stack trace) and a status.
 */
export async function main(argv: string[], env: CliEnv = processEnv()): Promise<number> {
  let code = 0;
  try {
    const { default: yargs } = await import('yargs');
    const y = yargs(markStdin(argv))
      .scriptName('git session')
      .parserConfiguration({ 'populate--': true })
      .usage('$0 <command> [options]\n\nSessions as the unit of contribution: goal, conversation, decisions, checks and code.')
      .strict()
      .demandCommand(1, 'say which command to run (git session --help lists them)')
      .recommendCommands()
      .version(VERSION)
      .help()
      .wrap(Math.min(100, (env.stdout.isTTY && process.stdout.columns) || 100))
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? usage(msg.split('\n')[0]);
      });
    for (const c of COMMANDS) {
      y.command({
        ...c.spec,
        builder: c.spec.builder ?? ((b) => b),
        handler: async (args) => {
          code = await c.run(args, env);
        },
      });
    }
    await y.parseAsync();
  } catch (e) {
    return report(e, env);
  }
  return code;
}

function markStdin(argv: string[]): string[] {
  const dd = argv.indexOf('--');
  return argv.map((a, i) => (a === '-' && (dd < 0 || i < dd) ? STDIN_ARG : a));
}

function report(e: unknown, env: CliEnv): number {
  if (isGsError(e)) {
    env.stderr.write(`git-session: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  if (err && err.name === 'YError') {
    env.stderr.write(`git-session: ${err.message.split('\n')[0]}\n`);
    return 2;
  }
  env.stderr.write(`git-session: internal error: ${err?.message ?? String(e)}\n`);
  if (env.env.GIT_SESSION_DEBUG) env.stderr.write(`${err?.stack}\n`);
  return 70;
}

/** Re-exported so commands can throw the usual error without another import path. */
export { GsError };
