// Every command, in the order help, the man page and completion list them: the one place
// that imports every command file (main.ts and the man page generator register it).
import type { CommandFile } from './command.js';
import * as abandon from './commands/abandon.js';
import * as check from './commands/check.js';
import * as completion from './commands/completion.js';
import * as conflicts from './commands/conflicts.js';
import * as decide from './commands/decide.js';
import * as eject from './commands/eject.js';
import * as exportCmd from './commands/export.js';
import * as gc from './commands/gc.js';
import * as help from './commands/help.js';
import * as hook from './commands/hook.js';
import * as hooks from './commands/hooks.js';
import * as importCmd from './commands/import.js';
import * as index from './commands/index.js';
import * as init from './commands/init.js';
import * as land from './commands/land.js';
import * as list from './commands/list.js';
import * as log from './commands/log.js';
import * as privateCmd from './commands/private.js';
import * as pull from './commands/pull.js';
import * as push from './commands/push.js';
import * as op from './commands/op.js';
import * as reconcileCmd from './commands/reconcile.js';
import * as record from './commands/record.js';
import * as resolve from './commands/resolve.js';
import * as server from './commands/server.js';
import * as serverHook from './commands/server-hook.js';
import * as show from './commands/show.js';
import * as snapshot from './commands/snapshot.js';
import * as start from './commands/start.js';
import * as status from './commands/status.js';
import * as sync from './commands/sync.js';
import * as tui from './commands/tui.js';
import * as undo from './commands/undo.js';
import * as verify from './commands/verify.js';
import * as why from './commands/why.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CommandFile[] = [init, start, record, decide, snapshot, check, verify, status, list, show, log, conflicts, land, sync, resolve, undo, op, abandon, exportCmd, importCmd, reconcileCmd, why, push, privateCmd, pull, server, gc, eject, index, hooks, tui, help, completion, hook, serverHook];
