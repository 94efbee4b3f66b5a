import type { Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { abandonSession } from '../../repo/sessions.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

interface Args extends CommonArgs {
  id: string;
  reason?: string;
}

/** `git session abandon <id>`. */
export const spec = {
  command: 'abandon <id>',
  describe: 'close a session without landing it (nothing is deleted)',
  builder: (y: Argv) =>
    y.positional('id', { type: 'string', describe: 'session id or prefix' }).options({
      reason: { type: 'string', describe: 'why it was abandoned' },
      ...jsonOption,
    }),
};

/** Runs `abandon`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(String(args.id));
  const r = await abandonSession(repo, id, args.reason);
  if (args.json) printJson(env, { session: r.summary, changed: r.changed });
  else printLines(env, [r.changed ? `abandoned ${shortId(id)}: ${r.summary.goal}` : `${shortId(id)} was already abandoned`]);
  return 0;
}
