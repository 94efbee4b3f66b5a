// The one top-level handler every entry shares (main.ts with the whole command table,
// lazy-main.ts loading one command's file): parses argv, runs one command, and maps
// every error to the spec's exit codes.
import { isGsError } from '../core/errors.js';
import { sanitizeLine } from '../core/sanitize.js';
import { declare, fastParse } from './args.js';
import type { CommandFile } from './command.js';
import { BROKEN_PIPE, exitCode, INTERNAL_EXIT } from './exit.js';
import { type CliEnv } from './env.js';
import { safeEnv } from './output.js';
import { VERSION } from './registry.js';

/** How an entry finds commands: one by name, and the whole table (registered) before yargs runs. */
export interface CommandSource {
  find: (name: string) => CommandFile | undefined | Promise<CommandFile | undefined>;
  registerAll: () => void | Promise<void>;
}

/**
 * Parses argv, runs one command, and maps every error to the spec's exit codes: the
 * one place that turns a GsError into a line on stderr (no stack trace) and a status.
 * A plain command line is parsed from the command's declarations without loading yargs;
 * help, errors and anything unusual go to yargs (src/cli/yargs.ts), loaded then.
 */
export async function dispatch(argv: string[], given: CliEnv, source: CommandSource): Promise<number> {
  // Every byte of text a command prints goes through the one sanitizer (src/cli/output.ts).
  const env = safeEnv(given);
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      env.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const rest = argv.slice(1);
    const dd = rest.indexOf('--');
    const wantsHelp = (dd < 0 ? rest : rest.slice(0, dd)).some((a) => a === '--help' || a === '-h');
    const file = argv[0] === undefined || wantsHelp ? undefined : await source.find(argv[0]);
    const args = file ? fastParse(declare(file.spec), rest) : undefined;
    if (file && args) return await file.run(args, env);
    await source.registerAll();
    const { runYargs } = await import('./yargs.js');
    return await runYargs(argv, env);
  } catch (e) {
    return report(e, env);
  }
}

function report(e: unknown, env: CliEnv): number {
  if (env.pipeClosed?.()) return BROKEN_PIPE;
  if (isGsError(e)) {
    env.stderr.write(`git-session: ${sanitizeLine(e.message)}\n`);
    return exitCode(e.code);
  }
  const err = e as Error;
  env.stderr.write(`git-session: internal error: ${sanitizeLine(err?.message ?? String(e))}\n`);
  if (env.env.GIT_SESSION_DEBUG) env.stderr.write(`${err?.stack}\n`);
  return INTERNAL_EXIT;
}
