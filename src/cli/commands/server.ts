import { resolve } from 'node:path';
import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { serverEject, serverInit, serverStatus } from '../../repo/server/setup.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

const ACTIONS = ['init', 'status', 'eject'] as const;

/** `git session server init|status|eject [<bare-repo>]`. */
export const spec = {
  command: 'server <action> [repo]',
  describe: 'make a bare repository land sessions itself (receive hooks, its own index, protected branches); its queue and recent landings; undo it',
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ACTIONS, demandOption: true, describe: 'init, status or eject' })
      .positional('repo', { type: 'string', describe: 'the bare repository (default: the one here)' })
      .options({
        'hooks-dir': { type: 'string', describe: "init on a forge: put the hooks in <dir>/pre-receive.d/ and <dir>/post-receive.d/, which the forge runs (Gitea/Forgejo: the repository's hooks/; GitLab: its custom_hooks/)" },
        ...jsonOption,
      }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `server`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const here = args.repo ? { ...env, cwd: resolve(env.cwd, args.repo), env: { ...env.env, GIT_DIR: resolve(env.cwd, args.repo) } } : env;
  const repo = openRepo(here);
  if (args.action === 'init') {
    const r = await serverInit(repo, args.hooksDir !== undefined ? { hooksDir: resolve(env.cwd, args.hooksDir) } : {});
    if (args.json) printJson(env, r);
    else printLines(env, [...(r.changed.length ? r.changed : ['already set up: nothing changed']), `protected (changes only through git session land --remote): ${r.protect.join(', ') || 'nothing (session.protect names none and HEAD names no branch)'}`]);
    return 0;
  }
  if (args.action === 'eject') {
    const r = await serverEject(repo);
    if (args.json) printJson(env, r);
    else printLines(env, [...(r.changed.length ? r.changed : ['nothing to eject: server init was not run here']), ...(r.pending ? [`${r.pending} landing request${r.pending === 1 ? '' : 's'} left unanswered under refs/session-land/request/`] : [])]);
    return 0;
  }
  const s = await serverStatus(repo);
  if (args.json) {
    printJson(env, s);
    return 0;
  }
  const lines = [
    `receive hooks: ${s.hooks}${s.hooks === 'absent' ? ' (git session server init installs them)' : ''}`,
    `protected: ${s.protect.join(', ') || 'nothing'}; direct pushes allowed for: ${s.allowDirectPush.join(', ') || 'nobody'}; worker: ${s.worker}`,
    ...s.landing.map((l) => `landing on ${l.target} now (worker pid ${l.pid})`),
    `queue: ${s.pending.length ? `${s.pending.length} request${s.pending.length === 1 ? '' : 's'}` : 'empty'}`,
    ...s.pending.map((p) => `  ${shortId(p.session)}${p.problem ? `: unreadable (${p.problem})` : ` onto ${p.target}, asked by ${p.by} at ${p.at}`}`),
    `recent (oldest first):`,
    ...(s.recent.length ? s.recent.map((e) => `  ${e.at} ${e.kind}${e.session ? ` ${shortId(e.session)}` : ''}${e.target ? ` on ${e.target}` : ''}${e.commit ? ` as ${e.commit.slice(0, 12)}` : ''}${e.paths?.length ? `: ${e.paths.join(', ')}` : ''}${e.reason ? `: ${e.reason}` : ''}${e.by ? ` (${e.by})` : ''}`) : ['  nothing yet']),
  ];
  printLines(env, lines);
  return 0;
}
