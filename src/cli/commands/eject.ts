import { homedir } from 'node:os';
import type { ArgsOf, Argv } from '../args.js';
import { eject } from '../../repo/bridges/eject.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';

/** `git session eject [--notes] [--purge] [--dry-run]`. */
export const spec = {
  command: 'eject',
  describe: 'walk back to plain Git: undo every change git-session made here (--notes keeps reasoning as git notes, --purge deletes refs/sessions/)',
  builder: (y: Argv) =>
    y.options({
      notes: { type: 'boolean', describe: "first write each landed session's reasoning as git notes (refs/notes/sessions)" },
      purge: { type: 'boolean', describe: 'also delete every ref under refs/sessions/ (sessions, requests, archive)' },
      'dry-run': { type: 'boolean', describe: 'list exactly what it would remove or restore, change nothing' },
      ...jsonOption,
    }),
  exits: { 1: 'a session worktree holds changes removing it would lose, eject was run inside one, or this is a landing server (server eject first)' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `eject`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const notes = args.notes ? (await import('../../repo/bridges/notes.js')).writeSessionNotes : undefined;
  const r = await eject(repo, { notes, purge: args.purge, dryRun: args.dryRun, home: env.env.HOME || homedir() });
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const lines = r.changed.length ? [...r.changed] : [r.dryRun ? 'would change nothing: git-session is not set up here' : 'nothing to eject: git-session was not set up here'];
  for (const k of r.kept) lines.push(`left: ${k.what}: ${k.reason}${k.command ? ` (to remove it: ${k.command})` : ''}`);
  printLines(env, lines);
  return 0;
}
