import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { GsError } from '../core/errors.js';

/** Where a repository's pieces are, found from a working directory. */
export interface RepoPaths {
  /** Top of the worktree; undefined for a bare repository. */
  top?: string;
  /** This worktree's git dir (per-worktree state such as HEAD and the current-session pointer). */
  gitDir: string;
  /** The shared git dir (objects, refs, config, the session index). */
  commonDir: string;
}

/**
 * Finds the repository containing `cwd` in-process (no git spawn, it sits on every
 * command's start-up path). Honours GIT_DIR / GIT_WORK_TREE as git does (hooks set them).
 */
export function discoverRepo(cwd: string, env: Record<string, string | undefined> = process.env): RepoPaths {
  if (env.GIT_DIR) {
    const gitDir = resolve(cwd, env.GIT_DIR);
    const top = env.GIT_WORK_TREE ? resolve(cwd, env.GIT_WORK_TREE) : isBareDir(gitDir) ? undefined : findTop(cwd);
    return { top, gitDir, commonDir: commonOf(gitDir) };
  }
  let dir = resolve(cwd);
  for (;;) {
    const dotgit = join(dir, '.git');
    if (existsSync(dotgit)) {
      const st = statSync(dotgit);
      const gitDir = st.isDirectory() ? dotgit : readGitFile(dotgit);
      return { top: dir, gitDir, commonDir: commonOf(gitDir) };
    }
    if (looksLikeGitDir(dir)) {
      // Inside a bare repository (or inside .git itself): no worktree here.
      return { top: undefined, gitDir: dir, commonDir: commonOf(dir) };
    }
    const up = dirname(dir);
    if (up === dir) throw new GsError('not-a-repo', 'not a git repository (or any parent up to /)');
    dir = up;
  }
}

function findTop(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(cwd);
    dir = up;
  }
}

function readGitFile(path: string): string {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(path, 'utf8'));
  if (!m) throw new GsError('not-a-repo', `malformed .git file at ${path}`);
  return isAbsolute(m[1]) ? m[1] : resolve(dirname(path), m[1]);
}

function commonOf(gitDir: string): string {
  const f = join(gitDir, 'commondir');
  if (!existsSync(f)) return gitDir;
  const rel = readFileSync(f, 'utf8').trim();
  return isAbsolute(rel) ? rel : resolve(gitDir, rel);
}

function looksLikeGitDir(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs'));
}

function isBareDir(gitDir: string): boolean {
  try {
    return /^\s*bare\s*=\s*true\s*$/m.test(readFileSync(join(gitDir, 'config'), 'utf8'));
  } catch {
    return false;
  }
}

/** The worktree top, or a `bare-repo` error for commands that need files on disk. */
export function requireWorktree(p: RepoPaths): string {
  if (!p.top) throw new GsError('bare-repo', 'this is a bare repository: this command needs a worktree');
  return p.top;
}
