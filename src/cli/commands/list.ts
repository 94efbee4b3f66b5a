import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import type { DamagedSession, SessionState, SessionSummary } from '../../core/types.js';
import { listAll } from '../../repo/sessions.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { age, clip, painter, printJson, printLines, type Paint, warn } from '../output.js';

/** Rows `list` prints without --all (the newest; --json is always complete). */
export const LIST_PAGE = 50;

/** `git session list [--state s] [--all]`. */
export const spec = {
  command: 'list',
  describe: `list sessions, newest first (the newest ${LIST_PAGE} unless --all; damaged ones with the reason)`,
  builder: (y: Argv) =>
    y.options({
      state: { choices: ['open', 'conflicted', 'landed', 'abandoned', 'damaged'] as const, describe: 'only sessions in this state' },
      all: { type: 'boolean', describe: `every session, not just the newest ${LIST_PAGE} (--json always lists every one)` },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** One row of the session table (shared by `list` and `status`). */
export function sessionRow(s: SessionSummary, now: number, paint: Paint, current?: string): string {
  const colour = s.state === 'open' ? 'green' : s.state === 'conflicted' ? 'red' : s.state === 'landed' ? 'blue' : 'dim';
  const who = s.agent ? ` [${clip(s.agent.name, 30)}${s.agent.model ? `/${clip(s.agent.model, 30)}` : ''}]` : '';
  const flagged = s.flagged?.length ? paint('red', ` (${s.flagged.length} not obeyed)`) : '';
  return `${s.id === current ? '*' : ' '} ${paint('yellow', shortId(s.id))}  ${paint(colour, s.state.padEnd(9))} ${age(s.updatedAt, now).padStart(4)}  ${String(s.events).padStart(5)} ev ${String(s.files).padStart(4)} ${s.files === 1 ? 'file ' : 'files'}  ${clip(s.goal, 60)}${who}${flagged}`;
}

/** One row for a session that cannot be read: its id and why. */
export function damagedRow(d: DamagedSession, paint: Paint, current?: string): string {
  return `${d.id === current ? '*' : ' '} ${paint('yellow', shortId(d.id))}  ${paint('red', 'damaged'.padEnd(9))} ${clip(d.reason, 100)}`;
}

/** Warns (stderr) about refs under refs/sessions/ that every command ignores. */
export function warnIgnored(env: CliEnv, refs: string[]): void {
  for (const r of refs.slice(0, 10)) warn(env, `ignoring ${clip(r, 120)}: not a session ref (refs/sessions/<ULID>/meta or /work)`);
  if (refs.length > 10) warn(env, `… and ${refs.length - 10} more refs under refs/sessions/ that are not sessions`);
}

/** Runs `list`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const page = args.json || args.all || args.state === 'damaged' ? undefined : LIST_PAGE;
  const all = await listAll(repo, args.state === 'damaged' ? undefined : args.state, { limit: page });
  const rows = args.state === 'damaged' ? [] : all.sessions;
  if (args.json) {
    printJson(env, { sessions: rows, damaged: all.damaged, ignoredRefs: all.ignored });
    return 0;
  }
  warnIgnored(env, all.ignored);
  const cur = await repo.current();
  const paint = painter(env);
  const now = env.clock();
  const lines = [...rows.map((s) => sessionRow(s, now, paint, cur)), ...all.damaged.map((d) => damagedRow(d, paint, cur))];
  if (all.more) lines.push(paint('dim', `… ${all.more.toLocaleString('en')} more (git session list --all)`));
  printLines(env, lines.length ? lines : [args.state ? `no ${args.state} sessions` : 'no sessions yet: git session start "<goal>"']);
  return 0;
}
