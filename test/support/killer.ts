// kill -9 at a chosen git call, without a test seam in product code: a `git` wrapper put
// first on PATH for a spawned bin/git-session counts the git invocations made by that
// process (not by git's own children, nor by the test) and, at call N, kills it with
// SIGKILL, before or after running the real git.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Run, spawnBin } from './repo.js';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

const SCRIPT = `#!/bin/sh
case "$(tr '\\000' ' ' < /proc/$PPID/cmdline 2>/dev/null)" in
  *git-session*) ;;
  *) exec "$GS_REAL_GIT" "$@" ;;
esac
n=$(flock "$GS_KILL_DIR/lock" sh -c 'n=$(( $(cat "$1/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$1/count"; echo $n' sh "$GS_KILL_DIR")
printf '%s %s\\n' "$n" "$*" >> "$GS_KILL_DIR/log"
# GS_KILL_MATCH: the call is named by how its arguments start (parallel calls come in any order).
if [ -n "$GS_KILL_MATCH" ]; then case "$*" in "$GS_KILL_MATCH"*) GS_KILL_AT=$n ;; *) GS_KILL_AT=0 ;; esac; fi
if [ "$n" = "$GS_KILL_AT" ] && [ "$GS_KILL_WHEN" = before ]; then kill -9 $PPID; exit 137; fi
"$GS_REAL_GIT" "$@"
rc=$?
if [ "$n" = "$GS_KILL_AT" ]; then kill -9 $PPID; fi
exit $rc
`;

/** A directory holding the wrapper; `run` spawns the binary with it first on PATH. */
export class GitKiller {
  readonly dir = mkdtempSync(join(tmpdir(), 'gs-killer-'));

  constructor() {
    writeFileSync(join(this.dir, 'git'), SCRIPT);
    chmodSync(join(this.dir, 'git'), 0o755);
  }

  /** Runs bin/git-session, killing it at git call `at` (a number, or the first call whose arguments start with that text) `when` the real git runs, or before; 0 counts only. */
  async run(cwd: string, args: string[], at: number | string = 0, when: 'before' | 'after' = 'after'): Promise<Run & { calls: string[] }> {
    rmSync(join(this.dir, 'count'), { force: true });
    rmSync(join(this.dir, 'log'), { force: true });
    const r = await spawnBin(cwd, args, {
      env: { PATH: `${this.dir}:${process.env.PATH}`, GS_REAL_GIT: REAL_GIT, GS_KILL_DIR: this.dir, GS_KILL_AT: typeof at === 'number' ? String(at) : '0', GS_KILL_MATCH: typeof at === 'string' ? at : '', GS_KILL_WHEN: when },
    });
    // git children of a killed process may still be finishing (a transaction, a checkout).
    if (at) await new Promise((res) => setTimeout(res, 100));
    const calls = (existsSync(join(this.dir, 'log')) ? readFileSync(join(this.dir, 'log'), 'utf8') : '').split('\n').filter(Boolean).map((l) => l.replace(/^\d+ /, ''));
    return { ...r, calls };
  }

  /** Removes the wrapper's directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
