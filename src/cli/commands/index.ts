import type { ArgsOf, Argv } from '../args.js';
import { reindex } from '../../repo/landed.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';
import { plural } from '../../core/text.js';

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
  const line = progressLine(env, args);
  const r = await reindex(openRepo(env), { onto: args.onto, rebuild: args.action === 'rebuild', onProgress: line.onProgress }).finally(() => line.done());
  const doc = { action: args.action, ...r };
  const target = r.branch;
  if (args.json) {
    printJson(env, doc);
    return 0;
  }
  const st = doc.stats;
  const lines = [
    ...(args.action === 'rebuild' ? [`rebuilt the index of ${target}: ${plural(doc.indexed, 'change')} in ${doc.ms} ms`] : []),
    `target ${target} at ${st.tip}: ${plural(st.changes, 'change')}, ${plural(st.nodes, 'node')}, ${plural(st.bytes, 'byte')} (fanout ${st.fanout}, design fp rate ${st.fpRate})`,
    'level  nodes      bytes   fill  measured-fp',
    ...st.levels.map((l) => `${String(l.level).padStart(5)} ${String(l.nodes).padStart(6)} ${String(l.bytes).padStart(10)} ${l.fill.toFixed(3).padStart(6)}  ${l.measuredFpRate.toFixed(4)}`),
  ];
  printLines(env, lines);
  return 0;
}
