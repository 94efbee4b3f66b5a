import type { Argv } from '../args.js';
import { reindex } from '../../repo/landed.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

interface Args extends CommonArgs {
  action: 'rebuild' | 'stats';
  onto?: string;
}

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

/** Runs `index`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const r = await reindex(openRepo(env), { onto: args.onto, rebuild: args.action === 'rebuild' });
  const doc = { action: args.action, ...r };
  const target = r.branch;
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
