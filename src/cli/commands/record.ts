import type { ArgsOf, Argv } from '../args.js';
import { usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { EventBody, Role } from '../../core/types.js';
import { checkRepoPath, checkText } from '../../core/validate.js';
import { recordEvent } from '../../repo/record.js';
import { type CliEnv, jsonOption, openRepo, readStdinText, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

const KINDS = ['prompt', 'message', 'note', 'feedback'] as const;
const ROLES: Role[] = ['user', 'agent', 'tool', 'system'];

/** `git session record <kind> [text|-]`. */
export const spec = {
  command: 'record <kind> [text]',
  describe: 'append a prompt, message, note or feedback (text, or - for stdin)',
  builder: (y: Argv) =>
    y
      .positional('kind', { choices: KINDS, demandOption: true, describe: 'what to record' })
      .positional('text', { type: 'string', describe: "the text, or '-' to read stdin" })
      .options({
        role: { choices: ROLES, describe: 'who spoke (message only; default user)' },
        name: { type: 'string', describe: 'tool name (message --role tool)' },
        file: { type: 'string', describe: 'file the feedback is about' },
        line: { type: 'number', describe: 'line the feedback is about' },
        ...sessionOption,
        ...jsonOption,
      }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `record`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const raw = args.text === '-' ? await readStdinText(env) : args.text;
  if (raw === undefined) throw usage(`record ${args.kind} needs text (or - to read it from stdin)`);
  const text = checkText(`the ${args.kind} text`, raw);
  if (args.role && args.kind !== 'message') throw usage('--role goes with record message');
  if ((args.file || args.line !== undefined) && args.kind !== 'feedback') throw usage('--file/--line go with record feedback');
  let body: EventBody;
  switch (args.kind) {
    case 'message':
      body = { kind: 'message', role: args.role ?? 'user', text, ...(args.name ? { name: args.name } : {}) };
      break;
    case 'feedback':
      body = {
        kind: 'feedback',
        text,
        ...(args.file ? { file: checkRepoPath(args.file, 'feedback file') } : {}),
        ...(args.line !== undefined ? { line: args.line } : {}),
      };
      break;
    default:
      body = { kind: args.kind, text };
  }
  const id = await repo.resolveSession(args.session);
  const { event, summary } = await recordEvent(repo, id, body);
  if (args.json) printJson(env, { session: id, event, events: summary.events });
  else printLines(env, [`recorded ${args.kind} ${event.id} in ${shortId(id)}${event.redacted ? ` (redacted: ${event.redacted.join(', ')})` : ''}`]);
  return 0;
}
