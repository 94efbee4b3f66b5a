import { constants as osConstants } from 'node:os';
import type { ArgsOf, Argv } from '../args.js';
import { isGsError, usage } from '../../core/errors.js';
import { runCheck } from '../../repo/check.js';
import { type CliEnv, jsonOption, openRepo, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { warnSecrets } from '../warnings.js';
import { shortOid } from '../../core/text.js';

/** `git session check [--name n] [--clean] -- <command...>`. */
export const spec = {
  command: 'check [cmd..]',
  describe: "run a command on the session's snapshot and record the result",
  builder: (y: Argv) =>
    y.positional('cmd', { type: 'string', array: true, describe: 'the command and its arguments (after --; one argument runs through sh -c)' }).options({
      name: { type: 'string', describe: 'what the check is called (session.requireCheck names it); default: its command line' },
      clean: { type: 'boolean', describe: "run in a fresh temporary worktree of the snapshot, even when the session's own equals it" },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'the command failed (the check is recorded either way), or the session is closed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `check`; exit 1 when the command failed (the check is recorded either way). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const command = [...(args.cmd ?? []), ...(args['--'] ?? [])].map(String);
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.session);
  // With --json the command's own output goes to stderr, keeping stdout one JSON document.
  const out = args.json ? env.stderr : env.stdout;
  if (args.name !== undefined && !args.name.trim()) throw usage('--name needs a name, e.g. --name test');
  let r;
  try {
    r = await runCheck(repo, id, command, { stdout: (b) => out.write(b), stderr: (b) => env.stderr.write(b) }, { name: args.name?.trim(), clean: args.clean });
  } catch (e) {
    // Stopped by a signal: it was passed on to the check's process group; exit as a shell would.
    if (!isGsError(e) || e.code !== 'interrupted') throw e;
    env.stderr.write(`git-session: ${e.message}\n`);
    return 128 + (osConstants.signals[(e.details as { signal: NodeJS.Signals }).signal] ?? 2);
  }
  if (r.snapshot?.event) warnSecrets(env, r.snapshot);
  const ok = r.event.exitCode === 0;
  if (r.signError) env.stderr.write(`warning: recorded unsigned: ${r.signError}\n`);
  if (args.json) printJson(env, { session: id, ok, event: r.event });
  else {
    const signed = r.event.attestation ? `, signed (attestation ${shortOid(r.event.attestation)})` : '';
    printLines(env, [`check ${ok ? 'passed' : `failed (exit ${r.event.exitCode})`} in ${r.event.durationMs} ms${r.event.workspace === 'clean' ? ' in a clean worktree' : ''}, recorded as ${r.event.id}${signed}`]);
  }
  return ok ? 0 : 1;
}
