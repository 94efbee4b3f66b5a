import type { ArgsOf, Argv } from '../args.js';
import { isGsError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { syncSession } from '../../repo/sync.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { shortOid } from '../../core/text.js';

/** `git session sync [<id>]`. */
export const spec = {
  command: 'sync [id]',
  describe: "move the session's base to the target's tip, rebasing its work",
  builder: (y: Argv) => y.positional('id', idPositional).options({ ...sessionOption, ...jsonOption }),
  exits: { 1: 'a conflict, or the session is closed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `sync`: exit 0 synced (or already current), 1 conflict. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  try {
    const r = await syncSession(repo, id);
    if (args.json) printJson(env, r);
    else printLines(env, [r.changed ? `synced ${shortId(id)}: base ${shortOid(r.from)} -> ${shortOid(r.to)}` : `${shortId(id)} is already based on the tip of its target`]);
    return 0;
  } catch (e) {
    if (isGsError(e) && e.code === 'conflict' && args.json) {
      printJson(env, e.details);
      return 1;
    }
    throw e;
  }
}
