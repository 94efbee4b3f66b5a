import { createInterface } from 'node:readline/promises';
import type { ArgsOf, Argv } from '../args.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { type ChoosePolicy, initRepo } from '../../repo/adopt.js';
import { POLICIES, policyKey, type SessionsPolicy } from '../../repo/publish.js';

/** `git session init [--publish push|ask|never]`: adopt sessions in this repository (idempotent). */
export const spec = {
  command: 'init',
  describe: 'adopt sessions in this repo: refspecs, what each remote receives, git hooks, local index (idempotent)',
  builder: (y: Argv) =>
    y.options({
      publish: { choices: POLICIES, describe: 'what remotes without a choice yet receive (default: ask on a terminal, else never)' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Asks on the terminal, one remote at a time (one reader for all); undefined when nobody can be asked (piped, CI). */
function terminalChooser(env: CliEnv): { choose: ChoosePolicy; close: () => void } | undefined {
  if (!env.stdin?.isTTY || !env.stderr.isTTY) return undefined;
  let rl: ReturnType<typeof createInterface> | undefined;
  let lines: AsyncIterator<string> | undefined;
  const choose: ChoosePolicy = async (remote) => {
    // One line iterator for all questions: it buffers, so answers typed ahead are not lost.
    rl ??= createInterface({ input: env.stdin!, terminal: false });
    lines ??= rl[Symbol.asyncIterator]();
    for (;;) {
      env.stderr.write(`Publish sessions (prompts, messages, decisions, tool output) when you push to ${remote}? [p]ush / [a]sk each time / [n]ever (default never): `);
      const next = await lines.next();
      // End of input (Ctrl-D) answers like nobody to ask: never.
      if (next.done) return undefined;
      const a = next.value.trim().toLowerCase();
      const p = a === '' ? 'never' : POLICIES.find((x) => x.startsWith(a));
      if (p) return p;
    }
  };
  return { choose, close: () => rl?.close() };
}

/** Runs `init`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const terminal = args.publish ? undefined : terminalChooser(env);
  const ask = args.publish ? async () => args.publish : terminal?.choose;
  let r;
  try {
    r = await initRepo(repo, ask);
  } finally {
    terminal?.close();
  }
  if (args.json) printJson(env, r);
  else {
    printLines(env, [r.changed.length ? `initialised git-session: ${r.changed.join('; ')}` : 'git-session already initialised: nothing to do']);
    const never = Object.entries(r.publish).filter(([, p]) => p === 'never').map(([n]) => n);
    if (!ask && never.length) env.stderr.write(`git-session: ${never.join(', ')} will receive no sessions (nobody to ask); to publish: git config ${policyKey(never[0])} push (or ask)\n`);
  }
  return 0;
}
