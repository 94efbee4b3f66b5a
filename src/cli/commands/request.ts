import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArgsOf, Argv } from '../args.js';
import { GsError, usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { plural } from '../../core/text.js';
import { checkFsPath } from '../../core/validate.js';
import { createRequest } from '../../repo/requests.js';
import { type CliEnv, jsonOption, openRepo, readStdinText } from '../env.js';
import { printJson, printLines } from '../output.js';

// A prompt file larger than this is not a prompt.
const MAX_PROMPT_BYTES = 1024 * 1024;

/** `git session request "<prompt>"`. */
export const spec = {
  command: 'request [prompt]',
  describe: 'contribute a prompt instead of code: a session in state requested, for a maintainer to review and run',
  builder: (y: Argv) =>
    y.positional('prompt', { type: 'string', describe: "the prompt, or '-' to read it from stdin" }).options({
      goal: { type: 'string', describe: "what it is for (default: the prompt's first line)" },
      onto: { type: 'string', describe: 'target branch (default: the current branch)' },
      context: { type: 'string', array: true, describe: 'a file or directory the prompt refers to (repeatable; must be on the target)' },
      'from-file': { type: 'string', describe: "read the prompt from a Markdown file (its first heading is the default goal)" },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** The prompt given by the positional, stdin or --from-file (exactly one). */
async function promptOf(args: Args, env: CliEnv): Promise<string> {
  if (args.fromFile !== undefined && args.prompt !== undefined) throw usage('give the prompt as an argument or with --from-file, not both');
  if (args.fromFile === undefined) {
    if (args.prompt === undefined) throw usage('request needs the prompt: git session request "<prompt>" (or --from-file <md>, or - for stdin)');
    return args.prompt === '-' ? readStdinText(env) : args.prompt;
  }
  const file = resolve(env.cwd, checkFsPath(String(args.fromFile), '--from-file'));
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new GsError('bad-input', `--from-file: no file ${file}`);
  if (st.size > MAX_PROMPT_BYTES) throw new GsError('bad-input', `--from-file: ${file} is larger than ${MAX_PROMPT_BYTES} bytes: a prompt, not a document`);
  return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
}

/** Runs `request`: prints the new request's id (stdout) and what it holds (stderr). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const prompt = await promptOf(args, env);
  const s = await createRequest(repo, { prompt, goal: args.goal, onto: args.onto, context: (args.context ?? []).map(String), cwd: env.cwd });
  if (args.json) printJson(env, { id: s.id, session: s });
  else {
    printLines(env, [s.id]);
    const ctx = s.request?.context.length ? `, ${plural(s.request.context.length, 'context path')}` : '';
    env.stderr.write(`requested ${shortId(s.id)} on ${s.target}${ctx}: ${s.goal}\n`);
    env.stderr.write(`share it with git session push; a maintainer reviews it with git session review ${shortId(s.id)}\n`);
  }
  return 0;
}
