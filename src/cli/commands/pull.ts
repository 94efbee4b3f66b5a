import type { ArgsOf, Argv } from '../args.js';
import { autoGc } from '../../repo/archive.js';
import { pullProblems, pullSessions } from '../../repo/pull.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';
import { warnIgnored } from './list.js';
import { reconcileAfterPull } from '../../repo/reconcile-pull.js';
import { reconcileLines } from '../reconcile-text.js';

/** `git session pull [remote]`. */
export const spec = {
  command: 'pull [remote]',
  describe: "fetch the remote's sessions and merge them (append-only: union of events, nothing lost), then reconcile the open sessions' targets",
  builder: (y: Argv) => y.positional('remote', { type: 'string', default: 'origin' }).options(jsonOption),
  exits: {
    1: 'a session was refused (its copy dropped events: merged as a union), skipped (a damaged copy, a ref clash, refs moved meanwhile), or an event it brought is not obeyed, each named; every other session moved',
    3: 'git could not fetch',
  },
};

type Args = ArgsOf<typeof spec>;

/** Runs `pull`: every session that can move moves; exit 1 when one was refused or skipped (as git fetch does for a ref). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const line = progressLine(env, args);
  const r = await pullSessions(repo, args.remote, { onProgress: line.onProgress }).finally(() => line.done());
  // Like git's gc --auto: archives closed sessions only when many sessions have refs.
  await autoGc(repo);
  // Commits the target gained (a forge's squash merge fetched by anyone) are linked to their sessions.
  const rec = await reconcileAfterPull(repo, [...r.created, ...r.fastForwarded, ...r.merged]);
  if (args.json) printJson(env, { ...r, reconciled: rec.result ?? null, ...(rec.error ? { reconcileError: rec.error } : {}) });
  else {
    warnIgnored(env, r.ignored);
    const archived = r.archived.length ? `, ${r.archived.length} archived` : '';
    const linked = rec.result ? reconcileLines(rec.result) : [`warning: reconcile failed: ${rec.error}`];
    printLines(env, [`from ${r.remote}: ${r.created.length} new, ${r.fastForwarded.length} updated, ${r.merged.length} merged${archived}, ${r.unchanged} unchanged`, ...pullProblems(r), ...linked]);
  }
  return r.refused.length || r.skipped.length || r.flagged.length ? 1 : 0;
}
