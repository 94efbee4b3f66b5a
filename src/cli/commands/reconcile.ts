import type { ArgsOf, Argv } from '../args.js';
import { plural } from '../../core/text.js';
import { reconcile } from '../../repo/reconcile.js';
import { reconcileLines } from '../reconcile-text.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';

/** `git session reconcile [--onto <branch>] [--dry-run] [--rescan]`. */
export const spec = {
  command: 'reconcile',
  describe: "link commits made outside land (a forge's squash merge, a rebase, a cherry-pick) to their sessions: trailer, then tree, then patch-id; never a guess",
  builder: (y: Argv) =>
    y.options({
      onto: { type: 'string', describe: "branch to walk, with its remotes' copies (default: every open session's target)" },
      'dry-run': { type: 'boolean', describe: 'say what would be linked; record nothing' },
      rescan: { type: 'boolean', describe: 'walk again from the sessions’ bases, not from where the last run stopped' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `reconcile`: exit 0 whatever it found (ambiguous and near matches are reported, not errors). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const line = progressLine(env, args);
  const r = await reconcile(repo, { onto: args.onto, dryRun: args.dryRun, rescan: args.rescan, onProgress: line.onProgress }).finally(() => line.done());
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const walked = r.branches.map((b) => `${b.branch} (${plural(b.walked, 'new commit')})`).join(', ') || 'no branch';
  printLines(env, [`reconciled ${walked}${r.dryRun ? ' (dry run: nothing recorded)' : ''}`, ...reconcileLines(r)]);
  return 0;
}
