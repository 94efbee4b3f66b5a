import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { startSession } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo, readStdinText } from '../env.js';
import { printJson, printLines } from '../output.js';
import { shortOid } from '../../core/text.js';

/** `git session start <goal>`. */
export const spec = {
  command: 'start <goal>',
  describe: "start a session targeting a branch (base = this checkout's HEAD, or the branch's tip for --worktree) and make it current",
  builder: (y: Argv) =>
    y
      .positional('goal', { type: 'string', demandOption: true, describe: "what the session is for, or '-' to read it from stdin" })
      .options({
        onto: { type: 'string', describe: 'target branch (default: the current branch)' },
        agent: { type: 'string', describe: 'name of the coding agent doing the work' },
        model: { type: 'string', describe: 'model the agent runs' },
        worktree: { type: 'string', describe: 'give the session its own worktree, at [dir] if given (default .git/session/worktrees/<id>)' },
        ...jsonOption,
      }),
  exits: { 3: 'git worktree add failed (e.g. a post-checkout hook exited non-zero): no session was started' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `start`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await startSession(repo, {
    goal: args.goal === '-' ? await readStdinText(env) : args.goal,
    onto: args.onto,
    agent: args.agent,
    model: args.model,
    worktree: args.worktree,
  });
  if (args.json) printJson(env, { id: r.summary.id, session: r.summary, worktree: r.worktree ?? null });
  else {
    // stdout carries only the id so `id=$(git session start ...)` works; the rest is for people.
    printLines(env, [r.summary.id]);
    env.stderr.write(`started ${shortId(r.summary.id)} on ${r.summary.target} at ${shortOid(r.summary.base)}: ${r.summary.goal}\n`);
    if (r.worktree) env.stderr.write(`worktree: ${r.worktree}\n`);
  }
  return 0;
}
