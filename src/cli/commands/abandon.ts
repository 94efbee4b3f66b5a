import type { ArgsOf, Argv } from '../args.js';
import { usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { abandonSession } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session abandon <id>` (or `--session <id>`: never the current session by default). */
export const spec = {
  command: 'abandon [id]',
  describe: 'close a session without landing it (nothing is deleted)',
  builder: (y: Argv) =>
    y.positional('id', { type: 'string', describe: 'the session to close: id or unique prefix (or --session; never the current one by default)' }).options({
      reason: { type: 'string', describe: 'why it was abandoned' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'the session has landed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `abandon`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const named = sessionArg(args);
  if (named === undefined) throw usage('abandon needs the session to close: git session abandon <id> (or --session <id>)');
  const repo = openRepo(env);
  const id = await repo.resolveSession(named);
  const r = await abandonSession(repo, id, args.reason);
  if (args.json) printJson(env, { session: r.summary, changed: r.changed });
  else printLines(env, [r.changed ? `abandoned ${shortId(id)}: ${r.summary.goal}` : `${shortId(id)} was already abandoned`]);
  return 0;
}
