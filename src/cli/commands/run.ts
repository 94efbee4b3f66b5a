import { createInterface } from 'node:readline/promises';
import { constants as osConstants } from 'node:os';
import type { ArgsOf, Argv } from '../args.js';
import { GsError, usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { plural, shortOid } from '../../core/text.js';
import { execAgent, openRun, planRun, type RunPlan, uncapturedAgents } from '../../repo/request-run.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines, warn } from '../output.js';
import { warnSecrets } from '../warnings.js';

/** `git session run <request> [--worktree [dir]] [--exec "<command>"]`. */
export const spec = {
  command: 'run <id>',
  describe: 'open an accepted prompt request as a working session in its own worktree, and run an agent on its prompt (--exec)',
  builder: (y: Argv) =>
    y.positional('id', { type: 'string', demandOption: true, describe: 'the accepted request: id or unique prefix' }).options({
      worktree: { type: 'string', describe: "the session's worktree at [dir] (default .git/session/worktrees/<id12>), at the target's tip" },
      exec: { type: 'string', describe: 'agent command run there through sh -c, the prompt on its stdin, GIT_SESSION set (e.g. "claude -p", "codex exec -")' },
      yes: { type: 'boolean', describe: 'run the --exec agent without asking (needed when not on a terminal)' },
      agent: { type: 'string', describe: 'name of the agent doing the work' },
      model: { type: 'string', describe: 'model the agent runs' },
      ...jsonOption,
    }),
  exits: { 1: 'the request is not accepted (pending, rejected, withdrawn, changed since it was accepted) or was already run elsewhere, the confirmation was declined, or the agent exited non-zero (its work is snapshotted and its exit recorded)', 3: 'git worktree add failed: nothing was opened' },
};

type Args = ArgsOf<typeof spec>;

/** Whether a person can be asked (stdin and stderr on a terminal). */
function onTerminal(env: CliEnv): boolean {
  return Boolean(env.stdin?.isTTY && env.stderr.isTTY);
}

/** Asks yes/no on the terminal; anything but y/yes (or end of input) is no. */
async function confirm(env: CliEnv, question: string): Promise<boolean> {
  const rl = createInterface({ input: env.stdin!, terminal: false });
  try {
    env.stderr.write(`${question} [y/N] `);
    const next = await rl[Symbol.asyncIterator]().next();
    return !next.done && /^y(es)?$/i.test(next.value.trim());
  } finally {
    rl.close();
  }
}

/** The request as the maintainer must see it before anything runs: who asked, who accepted, the prompt. */
function promptBlock(plan: RunPlan): string[] {
  const v = plan.request;
  const it = plan.prompt;
  const lines = [
    `prompt request ${shortId(plan.id)} by ${v.author}: ${plan.summary.goal}`,
    plan.again ? `run again (it was run by ${v.ran?.by ?? '?'})` : `accepted by ${v.reviewer ?? '?'} (iteration ${it.n} of ${v.iterations.length})`,
    `target ${plan.summary.target} at ${shortOid(plan.base)}; worktree ${plan.dir}`,
    'prompt:',
    ...it.text.replace(/\s+$/, '').split('\n').map((l) => `  > ${l}`),
  ];
  if (v.context.length) lines.push(`files it refers to: ${v.context.join(', ')}`);
  return lines;
}

/** Runs `run`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const exec = args.exec === undefined ? undefined : String(args.exec);
  const ask = exec !== undefined && !args.yes;
  if (ask && !onTerminal(env)) throw usage('not on a terminal, so nobody can be asked: add --yes to run the agent on this prompt');
  const repo = openRepo(env);
  const id = await repo.resolveSession(String(args.id));
  const opts = { worktree: args.worktree, exec, agent: args.agent, model: args.model };
  const plan = await planRun(repo, id, opts);
  // Shown before anything runs; with --json it goes to stderr, keeping stdout one document.
  const say = args.json ? env.stderr : env.stdout;
  say.write(promptBlock(plan).join('\n') + '\n');
  if (ask && !(await confirm(env, `run \`${exec}\` on this prompt in ${plan.dir}?`))) {
    throw new GsError('policy', 'not run: nothing was written');
  }
  const summary = plan.again ? plan.summary : await openRun(repo, plan, opts);
  if (!plan.again) say.write(`opened ${shortId(id)} as a working session in ${plan.dir} (GIT_SESSION=${id})\n`);
  if (exec === undefined) {
    if (args.json) printJson(env, { session: summary, worktree: plan.dir, prompt: plan.prompt, input: plan.input, exec: null });
    else printLines(env, [`next: work there (agent hooks capture into it), then git session land ${shortId(id)}`]);
    return 0;
  }
  for (const u of await uncapturedAgents(repo, plan)) {
    warn(env, `${u.agent} hooks are installed in ${u.file}, not in this worktree: the agent's own prompts and tool calls will not be captured (git session hooks install ${u.agent} --user, or commit that file)`);
  }
  const out = args.json ? env.stderr : env.stdout;
  const r = await execAgent(repo, plan, exec, { stdout: (b) => out.write(b), stderr: (b) => env.stderr.write(b) });
  if (r.snapshot?.event) warnSecrets(env, r.snapshot);
  const snap = r.snapshot?.event?.kind === 'snapshot' ? r.snapshot.event : undefined;
  if (args.json) printJson(env, { session: r.summary, worktree: plan.dir, prompt: plan.prompt, input: plan.input, exec: r.event, snapshot: snap ?? null });
  else {
    printLines(env, [
      `agent ${r.exit.exitCode === 0 ? 'exited 0' : `failed (exit ${r.exit.exitCode})`} after ${(r.exit.durationMs / 1000).toFixed(1)} s; ${snap ? `snapshot ${shortOid(snap.commit)} (${plural(snap.files.length, 'file')} changed)` : 'nothing changed'}`,
      `next: git session show ${shortId(id)}, then git session land ${shortId(id)}`,
    ]);
  }
  if (r.exit.stoppedBy) return 128 + (osConstants.signals[r.exit.stoppedBy] ?? 2);
  return r.exit.exitCode === 0 ? 0 : 1;
}
