import type { Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { setPrivate } from '../../repo/publish.js';
import { type CommonArgs, type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

interface Args extends CommonArgs {
  id?: string;
  off?: boolean;
}

/** `git session private [<id>] [--off]`. */
export const spec = {
  command: 'private [id]',
  describe: 'mark a session private: no command or hook ever pushes it (--off makes it publishable again)',
  builder: (y: Argv) =>
    y.positional('id', { type: 'string', describe: 'session id or unique prefix (default: the current session)' }).options({
      off: { type: 'boolean', describe: 'make the session publishable again' },
      ...jsonOption,
    }),
};

/** Runs `private`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.id);
  const on = !args.off;
  const r = await setPrivate(repo, id, on);
  if (args.json) printJson(env, { session: id, private: on, changed: r.changed });
  else printLines(env, [`${shortId(id)} is ${on ? 'private: no command or hook will push it' : 'publishable again'}${r.changed ? '' : ' (it already was)'}`]);
  return 0;
}
