import type { Argv } from '../args.js';
import { pullProblems, pullSessions } from '../../repo/pull.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { warnIgnored } from './list.js';

interface Args extends CommonArgs {
  remote: string;
}

/** `git session pull [remote]`. */
export const spec = {
  command: 'pull [remote]',
  describe: "fetch the remote's sessions and merge them (append-only: union of events, nothing lost); exit 1 when a session was refused or skipped, or an event is not obeyed",
  builder: (y: Argv) => y.positional('remote', { type: 'string', default: 'origin' }).options(jsonOption),
};

/** Runs `pull`: every session that can move moves; exit 1 when one was refused or skipped (as git fetch does for a ref). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await pullSessions(repo, args.remote);
  if (args.json) printJson(env, r);
  else {
    warnIgnored(env, r.ignored);
    printLines(env, [`from ${r.remote}: ${r.created.length} new, ${r.fastForwarded.length} updated, ${r.merged.length} merged, ${r.unchanged} unchanged`, ...pullProblems(r)]);
  }
  return r.refused.length || r.skipped.length || r.flagged.length ? 1 : 0;
}
