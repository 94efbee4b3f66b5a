// `npm run bench -- server`: landings per second through a landing server (a bare
// repository set up with `git session server init`, served by a loopback `git daemon`)
// against the baseline measured in the same run: each client lands locally (`git session
// land`) and pushes, and on a rejected push fetches, rebases and pushes again. 4 clones
// land 3 sessions each (disjoint files), the clones at once, each clone's sessions in turn.
// The sessions are made before the clock starts; only landing is timed.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon, type Daemon } from '../test/support/daemon.js';
import { report } from './harness.js';
import { BENCH_ENV } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const CLONES = 4;
const PER_CLONE = 3;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: BENCH_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function run(cwd: string, cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd, env: BENCH_ENV });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => res({ code: code ?? -1, out }));
  });
}

const gs = (cwd: string, ...args: string[]) => run(cwd, process.execPath, [BIN, ...args]);

/** A served bare repository with one commit, and `CLONES` clones each holding `PER_CLONE` sessions with a worktree and a new file. */
async function fixture(daemon: Daemon, name: string, asServer: boolean): Promise<{ dir: string; clones: { dir: string; ids: string[] }[] }> {
  const url = daemon.remote(name);
  const dir = daemon.dir(name);
  const seed = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-seed-')));
  git(seed, 'clone', '-q', dir, '.');
  writeFileSync(join(seed, 'README.md'), '# bench\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'init');
  git(seed, 'push', '-q', 'origin', 'main');
  if (asServer && (await gs(dir, 'server', 'init')).code !== 0) throw new Error('server init failed');
  const clones: { dir: string; ids: string[] }[] = [];
  for (let c = 0; c < CLONES; c++) {
    const d = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bench-clone-')));
    git(d, 'clone', '-q', url, '.');
    await gs(d, 'init', '--publish', 'push');
    const ids: string[] = [];
    for (let k = 0; k < PER_CLONE; k++) {
      const r = await gs(d, 'start', `clone ${c} session ${k}`, '--worktree', '--json');
      const { id, worktree } = JSON.parse(r.out) as { id: string; worktree: string };
      writeFileSync(join(worktree, `f-${c}-${k}.txt`), `${c} ${k}\n`);
      ids.push(id);
    }
    clones.push({ dir: d, ids });
  }
  return { dir, clones };
}

/** Lands every session of every clone (clones at once), returning landings per second and retries. */
async function landAll(clones: { dir: string; ids: string[] }[], land: (clone: string, id: string) => Promise<number>): Promise<{ perSecond: number; retries: number }> {
  let retries = 0;
  const t = performance.now();
  await Promise.all(
    clones.map(async (c) => {
      for (const id of c.ids) retries += await land(c.dir, id);
    }),
  );
  return { perSecond: (CLONES * PER_CLONE) / ((performance.now() - t) / 1000), retries };
}

/** Runs the benchmark. */
export async function run_(): Promise<void> {
  const daemon = await startDaemon();
  try {
    const srv = await fixture(daemon, 'server', true);
    const viaServer = await landAll(srv.clones, async (clone, id) => {
      const r = await gs(clone, 'land', '--remote', 'origin', '-s', id);
      if (r.code !== 0) throw new Error(`land --remote failed: ${r.out}`);
      return 0;
    });
    const landedServer = Number(git(srv.dir, 'rev-list', '--count', 'main')) - 1;

    const plain = await fixture(daemon, 'plain', false);
    const clientSide = await landAll(plain.clones, async (clone, id) => {
      const r = await gs(clone, 'land', '-s', id);
      if (r.code !== 0) throw new Error(`land failed: ${r.out}`);
      for (let tries = 0; ; tries++) {
        if ((await run(clone, 'git', ['push', '-q', 'origin', 'main'])).code === 0) return tries;
        const p = await run(clone, 'git', ['pull', '-q', '--rebase', 'origin', 'main']);
        if (p.code !== 0) throw new Error(`pull --rebase failed: ${p.out}`);
      }
    });
    const landedPlain = Number(git(plain.dir, 'rev-list', '--count', 'main')) - 1;
    if (landedServer !== CLONES * PER_CLONE || landedPlain !== CLONES * PER_CLONE) throw new Error(`landed ${landedServer} through the server, ${landedPlain} client-side: expected ${CLONES * PER_CLONE}`);
    report({
      name: `landings/s, ${CLONES} clones x ${PER_CLONE} sessions at once, through the server`,
      value: viaServer.perSecond,
      unit: 'landings/s',
      baseline: { name: `client-side land + git push, fetch-and-retry (${clientSide.retries} retries)`, value: clientSide.perSecond },
    });
  } finally {
    daemon.stop();
  }
}

export { run_ as run };
