// Bench fixtures: many sessions written in-process and published in one ref transaction
// (creating them through the CLI would take minutes and measure nothing useful).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldEvents } from '../src/core/fold.js';
import { metaRef } from '../src/core/layout.js';
import { transact } from '../src/git/refs.js';
import type { Repo } from '../src/repo/repo.js';

/** Environment with a fixed identity and no user config, for every bench git call. */
export const BENCH_ENV: Record<string, string | undefined> = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** A scratch repository on `main` with one commit. */
export function scratchRepo(prefix = 'gs-bench-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '-m', 'init'], { cwd: dir, env: BENCH_ENV });
  return dir;
}

/** Writes `n` one-event sessions on `main` and publishes them in one transaction; returns their ids. */
export async function makeSessions(repo: Repo, n: number): Promise<string[]> {
  const base = (await repo.store.objects.resolve('refs/heads/main'))!;
  const ident = await repo.ident();
  const o = repo.store.objects;
  const updates: { ref: string; new: string }[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const sid = repo.newId();
    const start = repo.event({ kind: 'start', goal: `session number ${i}`, target: 'main', base, author: 'Bench <bench@example.com>' });
    const chunk = await o.writeText(JSON.stringify(start) + '\n');
    const d = await o.writeTree([{ mode: '100644', path: '000000.jsonl', oid: chunk, type: 'blob' }]);
    const ev = await o.writeTree([{ mode: '040000', path: '0000', oid: d, type: 'tree' }]);
    const sj = await o.writeText(JSON.stringify(foldEvents(sid, [start]), null, 2) + '\n');
    const tree = await o.writeTree([
      { mode: '040000', path: 'events', oid: ev, type: 'tree' },
      { mode: '100644', path: 'session.json', oid: sj, type: 'blob' },
    ]);
    updates.push({ ref: metaRef(sid), new: await o.writeCommit({ tree, parent: [], message: 'start\n', author: ident }) });
    ids.push(sid);
  }
  await transact(repo.cwd, updates);
  return ids;
}
