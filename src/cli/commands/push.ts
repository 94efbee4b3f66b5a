import type { Argv } from '../args.js';
import { pushSessions } from '../../repo/exchange.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { describePush } from '../publish-text.js';
import { plural } from '../../core/text.js';

interface Args extends CommonArgs {
  remote: string;
  dryRun?: boolean;
}

/** `git session push [remote] [--dry-run]`. */
export const spec = {
  command: 'push [remote]',
  describe: 'push session refs the remote lacks, in one push (never to a `never` remote, never a private session); --dry-run shows what would go',
  builder: (y: Argv) =>
    y.positional('remote', { type: 'string', default: 'origin' }).options({
      'dry-run': { type: 'boolean', describe: 'print exactly what would be pushed (sessions, events, refs, size) and push nothing' },
      ...jsonOption,
    }),
};

/** Runs `push`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await pushSessions(repo, args.remote, undefined, { dryRun: args.dryRun });
  if (args.json) printJson(env, r);
  else if (r.dryRun) printLines(env, r.refs?.length ? [`would push to ${r.remote}:`, ...describePush(r).map((l) => `  ${l}`)] : [`nothing to push: ${r.remote} already has every session it may receive`, ...describePush(r).filter((l) => l.startsWith('held back'))]);
  else {
    const held = r.withheld?.length ? `; held back ${plural(r.withheld.length, 'private session')}` : '';
    printLines(env, [(r.pushed ? `pushed ${plural(r.sessions.length, 'session')} (${r.pushed} refs) to ${r.remote}${r.retried ? ' after merging theirs' : ''}` : `${r.remote} already has every session`) + held]);
  }
  return 0;
}
