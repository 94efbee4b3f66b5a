import { createInterface } from 'node:readline/promises';
import type { Argv } from '../args.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { type ChoosePolicy, initRepo } from '../../repo/adopt.js';
import { POLICIES, policyKey, type SessionsPolicy } from '../../repo/publish.js';

interface Args extends CommonArgs {
  publish?: SessionsPolicy;
}

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

/** Asks on the terminal, one remote at a time; nobody to ask (piped, CI) gives undefined. */
function terminalChooser(env: CliEnv): ChoosePolicy | undefined {
  if (!env.stdin?.isTTY || !env.stderr.isTTY) return undefined;
  return async (remote) => {
    const rl = createInterface({ input: env.stdin!, output: env.stderr as NodeJS.WritableStream });
    try {
      for (;;) {
        const a = (await rl.question(`Publish sessions (prompts, messages, decisions, tool output) when you push to ${remote}? [p]ush / [a]sk each time / [n]ever (default never): `)).trim().toLowerCase();
        const p = a === '' ? 'never' : POLICIES.find((x) => x.startsWith(a));
        if (p) return p;
      }
    } finally {
      rl.close();
    }
  };
}

/** Runs `init`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const ask = args.publish ? async () => args.publish : terminalChooser(env);
  const r = await initRepo(repo, ask);
  if (args.json) printJson(env, r);
  else {
    printLines(env, [r.changed.length ? `initialised git-session: ${r.changed.join('; ')}` : 'git-session already initialised: nothing to do']);
    const never = Object.entries(r.publish).filter(([, p]) => p === 'never').map(([n]) => n);
    if (!ask && never.length) env.stderr.write(`git-session: ${never.join(', ')} will receive no sessions (nobody to ask); to publish: git config ${policyKey(never[0])} push (or ask)\n`);
  }
  return 0;
}
