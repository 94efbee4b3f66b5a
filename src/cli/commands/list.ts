import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import type { SessionState, SessionSummary } from '../../core/types.js';
import { listSessions } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { age, clip, painter, printJson, printLines, type Paint } from '../output.js';

/** `git session list [--state s]`. */
export const spec = {
  command: 'list',
  describe: 'list sessions, newest first',
  builder: (y: Argv) =>
    y.options({
      state: { choices: ['open', 'landed', 'abandoned'] as const, describe: 'only sessions in this state' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** One row of the session table (shared by `list` and `status`). */
export function sessionRow(s: SessionSummary, now: number, paint: Paint, current?: string): string {
  const colour = s.state === 'open' ? 'green' : s.state === 'landed' ? 'blue' : 'dim';
  const who = s.agent ? ` [${s.agent.name}${s.agent.model ? `/${s.agent.model}` : ''}]` : '';
  return `${s.id === current ? '*' : ' '} ${paint('yellow', shortId(s.id))}  ${paint(colour, s.state.padEnd(9))} ${age(s.updatedAt, now).padStart(4)}  ${String(s.events).padStart(5)} ev ${String(s.files).padStart(4)} files  ${clip(s.goal, 60)}${who}`;
}

/** Runs `list`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const rows = await listSessions(repo, args.state);
  if (args.json) {
    printJson(env, { sessions: rows });
    return 0;
  }
  const cur = await repo.current();
  const paint = painter(env);
  const now = env.clock();
  printLines(env, rows.length ? rows.map((s) => sessionRow(s, now, paint, cur)) : [args.state ? `no ${args.state} sessions` : 'no sessions yet: git session start "<goal>"']);
  return 0;
}
