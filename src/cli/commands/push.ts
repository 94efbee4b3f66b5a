import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { pushSessions } from '../../repo/exchange.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { describePush } from '../publish-text.js';
import { plural } from '../../core/text.js';
import { progressLine } from '../progress.js';

/** `git session push [remote] [--dry-run]`. */
export const spec = {
  command: 'push [remote]',
  describe: 'push session refs the remote lacks (never to a `never` remote, never a private session; pull-merge and retry on divergence); --dry-run shows what would go',
  builder: (y: Argv) =>
    y.positional('remote', { type: 'string', default: 'origin' }).options({
      'dry-run': { type: 'boolean', describe: 'print exactly what would be pushed (sessions, events, refs, size) and push nothing' },
      ...jsonOption,
    }),
  exits: { 1: 'the remote receives no sessions (remote.<name>.sessions = never), or a session was skipped (the remote refused it, or its copy cannot be merged), named; every other session was pushed', 3: 'git could not push (remote unreachable, refused)' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `push`: every session the remote takes is pushed; exit 1 when one was skipped (as git push does for a ref). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  if (args.dryRun) {
    const r = await pushSessions(repo, args.remote, undefined, { dryRun: true });
    if (args.json) printJson(env, r);
    else printLines(env, r.refs?.length || r.pruned?.length ? [`would push to ${r.remote}:`, ...describePush(r).map((l) => `  ${l}`)] : [`nothing to push: ${r.remote} already has every session it may receive`, ...describePush(r).filter((l) => l.startsWith('held back'))]);
    return 0;
  }
  const line = progressLine(env, args);
  const r = await pushSessions(repo, args.remote, undefined, { onProgress: line.onProgress }).finally(() => line.done());
  if (args.json) printJson(env, r);
  else {
    const held = r.withheld?.length ? `; held back ${plural(r.withheld.length, 'private session')}` : '';
    const shards = r.shards?.length ? `${r.pushed ? ' and' : 'pushed'} ${plural(r.shards.length, 'archive shard')} (${r.shards.join(', ')})` : '';
    const head = r.pushed ? `pushed ${plural(r.sessions.length, 'session')} (${plural(r.pushed, 'ref')})${shards} to ${r.remote}${r.retried ? ' after merging theirs' : ''}` : shards ? `${shards.trim()} to ${r.remote}` : r.skipped.length ? `pushed nothing to ${r.remote}` : `${r.remote} already has every session`;
    const pruned = r.pruned?.length ? [`${r.remote} keeps ${plural(r.pruned.length, 'session')} in its archive only now (their refs deleted there)`] : [];
    printLines(env, [head + held, ...pruned, ...r.skipped.map((s) => `skipped ${s.id.startsWith('refs/') ? s.id : shortId(s.id)}: ${s.reason}`)]);
  }
  return r.skipped.length ? 1 : 0;
}
