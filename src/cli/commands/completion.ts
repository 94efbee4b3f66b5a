import type { ArgsOf, Argv } from '../args.js';
import { candidates, script } from '../complete.js';
import type { CliEnv } from '../env.js';
import { printLines } from '../output.js';

const SHELLS = ['bash', 'zsh'] as const;

/** `git session completion [bash|zsh]`. */
export const spec = {
  command: 'completion [shell]',
  describe: 'print the shell completion script: eval "$(git session completion bash)" (or zsh, after compinit)',
  builder: (y: Argv) =>
    y.positional('shell', { choices: SHELLS, default: 'bash' as const, describe: 'the shell to complete in' }).options({
      words: { type: 'boolean', hidden: true, describe: 'print the candidates for the words after --, one a line (what the scripts call)' },
      describe: { type: 'boolean', hidden: true, describe: 'with --words: add ":description" (zsh)' },
    }),
};

/** Runs `completion`: the script, or (from the script, on TAB) the candidates. */
export async function run(args: ArgsOf<typeof spec>, env: CliEnv): Promise<number> {
  if (args.words) printLines(env, candidates(args['--'] ?? [], env, Boolean(args.describe)));
  else env.stdout.write(script(args.shell));
  return 0;
}
