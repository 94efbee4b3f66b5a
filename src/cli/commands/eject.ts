import type { ArgsOf, Argv } from '../args.js';
import { eject } from '../../repo/bridges/eject.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session eject [--notes] [--purge]`. */
export const spec = {
  command: 'eject',
  describe: 'walk back to plain Git: remove hook, refspecs and index (--notes keeps reasoning as git notes, --purge deletes refs/sessions/)',
  builder: (y: Argv) =>
    y.options({
      notes: { type: 'boolean', describe: "first write each landed session's reasoning as git notes (refs/notes/sessions)" },
      purge: { type: 'boolean', describe: 'also delete every ref under refs/sessions/' },
      ...jsonOption,
    }),
  exits: { 1: 'a session worktree holds uncommitted changes' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `eject`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const notes = args.notes ? (await import('../../repo/bridges/notes.js')).writeSessionNotes : undefined;
  const r = await eject(repo, { notes, purge: args.purge });
  if (args.json) printJson(env, r);
  else printLines(env, r.changed.length ? r.changed : ['nothing to eject: git-session was not set up here']);
  return 0;
}
