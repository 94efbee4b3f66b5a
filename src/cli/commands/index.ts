import type { ArgsOf, Argv } from '../args.js';
import { GsError } from '../../core/errors.js';
import { checkRefName } from '../../core/validate.js';
import { gitHistory } from '../../git/history.js';
import { withIndexDb } from '../../index/db.js';
import { LandedIndex } from '../../index/landed.js';
import { branchRef } from '../../repo/landed.js';
import { currentBranch } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';

/** `git session index rebuild|stats [--onto b]`. */
export const spec = {
  command: 'index <action>',
  describe: 'rebuild or inspect the bloom-filter tree of a target branch',
  builder: (y: Argv) =>
    y.positional('action', { choices: ['rebuild', 'stats'] as const }).options({
      onto: { type: 'string', describe: 'target branch (default: the current branch)' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `index`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const target = args.onto !== undefined ? checkRefName(args.onto) : currentBranch(repo);
  if (!target) throw new GsError('detached-head', 'HEAD is detached: name the branch with --onto <branch>');
  const ref = branchRef(target);
  const tip = await repo.store.objects.resolve(ref);
  if (!tip) throw new GsError('unknown-ref', `no branch '${target}'`);
  const history = gitHistory(repo.cwd);
  const t0 = performance.now();
  const line = progressLine(env, args);
  const doc = await withIndexDb(repo.paths.commonDir, async (db) => {
    const idx = await LandedIndex.open(db, ref);
    const added = args.action === 'rebuild' ? (await idx.rebuild(tip, history, line.onProgress)).added : (await idx.catchUp(tip, history, line.onProgress)).added;
    return { action: args.action, branch: target, indexed: added, ms: Math.round(performance.now() - t0), stats: await idx.stats() };
  }).finally(() => line.done());
  if (args.json) {
    printJson(env, doc);
    return 0;
  }
  const st = doc.stats;
  const lines = [
    ...(args.action === 'rebuild' ? [`rebuilt the index of ${target}: ${doc.indexed} changes in ${doc.ms} ms`] : []),
    `target ${target} at ${st.tip}: ${st.changes} changes, ${st.nodes} nodes, ${st.bytes} bytes (fanout ${st.fanout}, design fp rate ${st.fpRate})`,
    'level  nodes      bytes   fill  measured-fp',
    ...st.levels.map((l) => `${String(l.level).padStart(5)} ${String(l.nodes).padStart(6)} ${String(l.bytes).padStart(10)} ${l.fill.toFixed(3).padStart(6)}  ${l.measuredFpRate.toFixed(4)}`),
  ];
  printLines(env, lines);
  return 0;
}
