// The record of what `hooks install` wrote into an agent's settings file: the file's
// bytes before our first write, a hash of what we wrote, the directories we created.
// Project installs keep it in the repository (<common-dir>/session/agent-settings.json,
// so `eject` finds every worktree's files), `--user` installs in the user's state dir.
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What we changed in one settings file. */
export interface FileRecord {
  /** The file's text before our write (base64), or null when it did not exist. */
  before: string | null;
  /** sha1 of the text we wrote. */
  after: string;
  /** Directories our write created, deepest first. */
  dirs: string[];
}

/** Where the records of one scope live. */
export function recordFile(user: boolean, p: { commonDir?: string; home: string; env: Record<string, string | undefined> }): string {
  if (!user && p.commonDir) return projectRecordFile(p.commonDir);
  const state = p.env.XDG_STATE_HOME || join(p.home, '.local', 'state');
  return join(state, 'git-session', 'agent-settings.json');
}

/** The project-scope records of a repository. */
export function projectRecordFile(commonDir: string): string {
  return join(commonDir, 'session', 'agent-settings.json');
}

/** Every record of a records file, keyed by the settings file's path. */
export async function readRecords(file: string): Promise<Record<string, FileRecord>> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { files?: Record<string, FileRecord> };
    return v.files ?? {};
  } catch {
    return {};
  }
}

async function saveRecords(file: string, files: Record<string, FileRecord>): Promise<void> {
  if (Object.keys(files).length === 0) return void (await rm(file, { force: true }));
  await mkdir(dirname(file), { recursive: true });
  await writeAtomic(file, JSON.stringify({ files }, null, 2) + '\n');
}

/** Drops the record of `file`. */
export async function forget(records: string, file: string): Promise<void> {
  const all = await readRecords(records);
  if (!(file in all)) return;
  delete all[file];
  await saveRecords(records, all);
}

/** Writes our version of a settings file, recording what it replaced. */
export async function writeTracked(file: string, before: Buffer | undefined, next: string, records: string): Promise<void> {
  const all = await readRecords(records);
  const prev = all[file];
  const dirs: string[] = [];
  for (let d = dirname(file); !existsSync(d); d = dirname(d)) dirs.push(d);
  await mkdir(dirname(file), { recursive: true });
  await writeAtomic(file, next);
  // The bytes to give back are those before our last write, unless that write was ours on an untouched file.
  const untouched = prev && before !== undefined && sha1(before) === prev.after;
  all[file] = untouched ? { ...prev, after: sha1(next) } : { before: before === undefined ? null : before.toString('base64'), after: sha1(next), dirs };
  await saveRecords(records, all);
}

/** A file's bytes, or undefined when it does not exist. */
export async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Replaces a file atomically, keeping its mode; a symlinked settings file is written where it points. */
export async function writeAtomic(file: string, text: string | Buffer): Promise<void> {
  const target = existsSync(file) ? realpathSync(file) : file;
  const mode = (await stat(target).catch(() => undefined))?.mode;
  const tmp = `${target}.git-session-${process.pid}.tmp`;
  await writeFile(tmp, text);
  if (mode !== undefined) await chmod(tmp, mode & 0o7777);
  await rename(tmp, target);
}

/** The hash records compare a file's bytes with. */
export function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}
