import type { ArgsOf, Argv } from '../args.js';
import { checkText, parseRejected } from '../../core/validate.js';
import { decisionAgent } from '../../repo/capture/attribution.js';
import { recordEvent } from '../../repo/record.js';
import { type CliEnv, jsonOption, openRepo, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session decide <chosen> --because <why> [--rejected "<option>: <why>"]...`. */
export const spec = {
  command: 'decide <chosen>',
  describe: 'record a decision with the alternatives rejected and why',
  builder: (y: Argv) =>
    y
      .positional('chosen', { type: 'string', describe: 'the option taken' })
      .options({
        because: { type: 'string', demandOption: true, describe: 'the rationale' },
        rejected: { type: 'string', array: true, describe: '"<option>: <why>" (repeatable)' },
        ...sessionOption,
        ...jsonOption,
      }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `decide`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const chosen = checkText('the chosen option', String(args.chosen ?? ''));
  const rationale = checkText('--because', args.because);
  const rejected = (args.rejected ?? []).map((r) => parseRejected(String(r)));
  const id = await repo.resolveSession(args.session);
  const agent = await decisionAgent(repo, id);
  const { event } = await recordEvent(repo, id, { kind: 'decision', chosen, rejected, rationale, ...(agent ? { agent } : {}) });
  if (args.json) printJson(env, { session: id, event });
  else if (event.kind === 'decision') {
    // Echo what was stored (redacted), never the raw arguments.
    printLines(env, [`recorded decision ${event.id}: ${event.chosen}${event.rejected.length ? ` (over ${event.rejected.map((r) => r.option).join(', ')})` : ''}${event.redacted ? ` (redacted: ${event.redacted.join(', ')})` : ''}`]);
  }
  return 0;
}
