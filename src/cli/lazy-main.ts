// The entry bin/git-session loads: only the command named on the command line is loaded
// (its file and what it imports), not the whole table. Loading every command costs about
// as much as node's own start-up (`npm run bench -- cli`), more than the hot commands'
// budget leaves. help, completion and yargs need the whole table: it loads for them.
import type { CommandFile } from './command.js';
import { dispatch } from './dispatch.js';
import { type CliEnv, processEnv } from './env.js';
import { findCommand, registerCommands } from './registry.js';

type Loader = () => Promise<CommandFile>;

/** Commands loadable on their own, by the first word of their declaration (a test keeps it equal to commands.ts). */
export const LAZY: Record<string, Loader> = {
  abandon: () => import('./commands/abandon.js'),
  check: () => import('./commands/check.js'),
  conflicts: () => import('./commands/conflicts.js'),
  decide: () => import('./commands/decide.js'),
  eject: () => import('./commands/eject.js'),
  export: () => import('./commands/export.js'),
  gc: () => import('./commands/gc.js'),
  hook: () => import('./commands/hook.js'),
  hooks: () => import('./commands/hooks.js'),
  import: () => import('./commands/import.js'),
  index: () => import('./commands/index.js'),
  init: () => import('./commands/init.js'),
  land: () => import('./commands/land.js'),
  list: () => import('./commands/list.js'),
  log: () => import('./commands/log.js'),
  op: () => import('./commands/op.js'),
  private: () => import('./commands/private.js'),
  pull: () => import('./commands/pull.js'),
  push: () => import('./commands/push.js'),
  reconcile: () => import('./commands/reconcile.js'),
  record: () => import('./commands/record.js'),
  resolve: () => import('./commands/resolve.js'),
  server: () => import('./commands/server.js'),
  'server-hook': () => import('./commands/server-hook.js'),
  show: () => import('./commands/show.js'),
  snapshot: () => import('./commands/snapshot.js'),
  start: () => import('./commands/start.js'),
  status: () => import('./commands/status.js'),
  sync: () => import('./commands/sync.js'),
  tui: () => import('./commands/tui.js'),
  undo: () => import('./commands/undo.js'),
  verify: () => import('./commands/verify.js'),
  why: () => import('./commands/why.js'),
};

/** Loads and registers the whole command table (help, completion, yargs and unknown words need it). */
async function registerAll(): Promise<void> {
  const { COMMANDS } = await import('./commands.js');
  registerCommands(COMMANDS);
}

async function find(name: string): Promise<CommandFile | undefined> {
  if (Object.hasOwn(LAZY, name)) return LAZY[name]();
  await registerAll();
  return findCommand(name);
}

/** Runs one command line, loading only that command. */
export function main(argv: string[], given: CliEnv = processEnv()): Promise<number> {
  return dispatch(argv, given, { find, registerAll });
}
