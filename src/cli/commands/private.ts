import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { setPrivate } from '../../repo/publish.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session private [<id>] [--off]`. */
export const spec = {
  command: 'private [id]',
  describe: 'mark a session private: no command or hook ever pushes it (--off makes it publishable again)',
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      off: { type: 'boolean', describe: 'make the session publishable again' },
      ...sessionOption,
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `private`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const on = !args.off;
  const r = await setPrivate(repo, id, on);
  if (args.json) printJson(env, { session: id, private: on, changed: r.changed, ...(r.archived ? { archived: r.archived } : {}) });
  else {
    const lines = [`${shortId(id)} is ${on ? 'private: no command or hook will push it' : 'publishable again'}${r.changed ? '' : ' (it already was)'}`];
    if (r.archived === 'withdrawn') lines.push('its archived copy was taken out of the archive (no remote had it)');
    if (r.archived === 'published') lines.push('its archived copy had already been pushed: it stays in that remote\'s archive (and goes wherever that archive goes)');
    printLines(env, lines);
  }
  return 0;
}
