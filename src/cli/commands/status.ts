import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { listSessions } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { painter, printJson, printLines } from '../output.js';
import { sessionRow } from './list.js';

/** `git session status`. */
export const spec = {
  command: 'status',
  describe: 'the current session and the open ones',
  builder: (y: Argv) => y.options(jsonOption),
};

type Args = ArgsOf<typeof spec>;

/** Runs `status`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  // $GIT_SESSION is checked as every command checks it (a bad one is an error); a
  // pointer to a session deleted since (eject --purge) just means "none".
  const pointer = env.env.GIT_SESSION ? await repo.resolveSession() : await repo.current();
  const currentId = pointer && (await repo.store.metaTip(pointer)) ? pointer : undefined;
  const current = currentId ? await repo.store.readSummary(currentId) : undefined;
  const open = await listSessions(repo, 'open');
  if (args.json) {
    printJson(env, { current: current ?? null, open });
    return 0;
  }
  const paint = painter(env);
  const lines: string[] = [];
  if (current) {
    lines.push(
      `current session ${paint('yellow', shortId(current.id))} (${current.state}): ${current.goal}`,
      `  target ${current.target}, base ${current.base.slice(0, 12)}${current.work ? `, work ${current.work.slice(0, 12)}` : ', no snapshot yet'}`,
      `  ${current.events} events, ${current.files} files changed${current.agent ? `, agent ${current.agent.name}${current.agent.model ? `/${current.agent.model}` : ''}` : ''}`,
    );
  } else lines.push('no current session in this worktree');
  lines.push('', `${open.length} open session${open.length === 1 ? '' : 's'}`);
  const now = env.clock();
  for (const s of open.slice(0, 20)) lines.push(sessionRow(s, now, paint, current?.id));
  if (open.length > 20) lines.push(`  … ${open.length - 20} more (git session list --state open)`);
  printLines(env, lines);
  return 0;
}
