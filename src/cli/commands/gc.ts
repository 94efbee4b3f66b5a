import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { plural } from '../../core/text.js';
import { gcSessions } from '../../repo/archive.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { clip, printJson, printLines } from '../output.js';
import { progressLine } from '../progress.js';

/** `git session gc [--dry-run]`. */
export const spec = {
  command: 'gc',
  describe: 'fold closed sessions quiet for session.archiveAfter (default 1d; 0: at once) into the archive, one ref per month; --dry-run lists them',
  builder: (y: Argv) =>
    y.options({
      'dry-run': { type: 'boolean', describe: 'list the sessions gc would archive and archive nothing' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `gc`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const line = progressLine(env, args);
  const r = await gcSessions(repo, { dryRun: args.dryRun, onProgress: line.onProgress }).finally(() => line.done());
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const kept = Object.entries(r.kept).map(([why, n]) => `${n} ${why}`).join(', ');
  const head = r.dryRun
    ? r.archived.length ? `would archive ${plural(r.archived.length, 'session')} (closed, quiet for ${r.after}):` : `nothing to archive (closed sessions quiet for ${r.after})`
    : r.archived.length ? `archived ${plural(r.archived.length, 'session')} into ${plural(new Set(r.archived.map((a) => a.shard)).size, 'shard')}` : `nothing to archive (closed sessions quiet for ${r.after})`;
  const lines = [head];
  if (r.dryRun) for (const a of r.archived) lines.push(`  ${shortId(a.id)}  ${a.state.padEnd(9)} ${a.shard}  ${clip(a.goal, 60)}`);
  if (kept) lines.push(`kept with their refs: ${kept}`);
  if (r.moved.length) lines.push(`left for the next gc (they changed meanwhile): ${r.moved.map(shortId).join(', ')}`);
  printLines(env, lines);
  return 0;
}
