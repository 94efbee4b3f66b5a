import type { ArgsOf, Argv } from '../args.js';
import { usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { Verdict } from '../../core/types.js';
import { reviewRequest } from '../../repo/requests.js';
import { type CliEnv, jsonOption, openRepo, readStdinText } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session review <id> --accept | --reject <reason> | --comment <text>`. */
export const spec = {
  command: 'review <id>',
  describe: 'review a prompt request: accept it (so it can be run), reject it with a reason (closing it), or comment on it',
  builder: (y: Argv) =>
    y.positional('id', { type: 'string', demandOption: true, describe: 'the request: id or unique prefix' }).options({
      accept: { type: 'boolean', describe: 'accept its latest iteration: git session run may run it' },
      reject: { type: 'string', describe: "reject it, saying why (closes the request; '-' reads the reason from stdin)" },
      comment: { type: 'string', describe: "comment on it (the contributor's next `record prompt` is the next iteration; '-' reads stdin)" },
      reason: { type: 'string', describe: 'with --accept: a note on why' },
      ...jsonOption,
    }),
  exits: { 1: 'the request was already run, has landed, or is closed (rejected or withdrawn)' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `review`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const given = [args.accept ? 'accept' : undefined, args.reject !== undefined ? 'reject' : undefined, args.comment !== undefined ? 'comment' : undefined].filter(Boolean) as Verdict[];
  if (given.length !== 1) throw usage('review takes one of --accept, --reject "<reason>" or --comment "<text>"');
  const verdict = given[0];
  if (args.reason !== undefined && verdict !== 'accept') throw usage('--reason goes with --accept (--reject and --comment carry their own text)');
  const raw = verdict === 'reject' ? args.reject : verdict === 'comment' ? args.comment : args.reason;
  const text = raw === '-' ? await readStdinText(env) : raw;
  const repo = openRepo(env);
  const id = await repo.resolveSession(String(args.id));
  const r = await reviewRequest(repo, id, verdict, text);
  if (args.json) {
    printJson(env, { session: id, event: r.event ?? null, request: r.summary.request, state: r.summary.state });
    return 0;
  }
  const s = shortId(id);
  if (!r.event) printLines(env, [`${s} is already accepted: git session run ${s}`]);
  else if (verdict === 'accept') printLines(env, [`accepted ${s}: run it with git session run ${s} [--exec "<agent command>"]`]);
  else if (verdict === 'reject') printLines(env, [`rejected ${s}: the request is closed`]);
  else printLines(env, [`commented on ${s}; share it with git session push`]);
  return 0;
}
