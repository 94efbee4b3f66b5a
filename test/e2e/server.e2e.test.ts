// Landing through a server (issue 17): a bare repository set up with `server init`,
// served by a real `git daemon` on 127.0.0.1, clones landing with `land --remote`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { GitKiller } from '../support/killer.js';
import { allowedSigners, makeKey, useSigning } from '../support/keys.js';
import { cli, git, spawnBin, writeFile } from '../support/repo.js';

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
});

afterAll(() => {
  daemon?.stop();
});

/** A bare repository under the daemon with main holding a.txt and b.txt, set up as a landing server. */
async function server(name: string, setup?: (dir: string) => void): Promise<{ url: string; dir: string }> {
  const url = daemon.remote(name);
  const dir = daemon.dir(name);
  const seed = realpathSync(mkdtempSync(join(tmpdir(), 'gs-seed-')));
  git(seed, 'clone', '-q', dir, '.');
  writeFile(seed, 'a.txt', 'a1\na2\na3\n');
  writeFile(seed, 'b.txt', 'b1\nb2\nb3\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'initial');
  git(seed, 'push', '-q', 'origin', 'main');
  setup?.(dir);
  const init = await spawnBin(dir, ['server', 'init']);
  expect(init.code, init.stderr).toBe(0);
  return { url, dir };
}

async function clone(url: string): Promise<string> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-clone-')));
  git(dir, 'clone', '-q', url, '.');
  expect((await cli(dir, ['init', '--publish', 'push'])).code).toBe(0);
  return dir;
}

/** Starts a session in `dir` and changes `file` (appending `line`). */
async function session(dir: string, goal: string, file: string, text: string): Promise<string> {
  const id = (await cli(dir, ['start', goal, '--json'])).json().id as string;
  writeFile(dir, file, text);
  return id;
}

/** The kinds of a session's events as the server stores them, in order (show --json in the bare repository). */
async function serverKinds(dir: string, id: string): Promise<string[]> {
  const r = await spawnBin(dir, ['show', id, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (r.json().events as { kind: string }[]).map((e) => e.kind);
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        if (f !== 'objects' && f !== 'refs' && f !== 'logs') walk(p);
      } else out.set(relative(dir, p), readFileSync(p, 'latin1') + ` mode ${statSync(p).mode}`);
    }
  };
  walk(dir);
  return out;
}

describe('server init | status | eject on a bare repository', () => {
  it('chains the hook already there, shows status, and eject puts back every file byte for byte', async () => {
    const url = daemon.remote('setup');
    const dir = daemon.dir('setup');
    writeFileSync(join(dir, 'hooks/pre-receive'), '#!/bin/sh\necho "user hook ran" >&2\ncat > /dev/null\n[ -f "$GIT_DIR/block" ] && exit 1\nexit 0\n');
    chmodSync(join(dir, 'hooks/pre-receive'), 0o755);
    const before = files(dir);
    const init = await spawnBin(dir, ['server', 'init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json().changed[0]).toContain('installed the receive hooks');
    expect(git(dir, 'config', 'receive.advertisePushOptions')).toBe('true');
    expect((await spawnBin(dir, ['server', 'init', '--json'])).json().changed).toEqual([]);
    // The user's pre-receive still runs, and still decides.
    const c = realpathSync(mkdtempSync(join(tmpdir(), 'gs-clone-')));
    git(c, 'clone', '-q', url, '.');
    writeFile(c, 'x.txt', 'x\n');
    git(c, 'add', '-A');
    git(c, 'commit', '-q', '-m', 'first');
    const first = await spawnGit(c, ['push', 'origin', 'HEAD:topic']);
    expect(first.stderr).toContain('user hook ran');
    expect(first.code, first.stderr).toBe(0);
    // main (what HEAD names) is protected: the user's hook ran first, then ours refused.
    const main = await spawnGit(c, ['push', 'origin', 'HEAD:main']);
    expect(main.code).not.toBe(0);
    expect(main.stderr).toContain('user hook ran');
    expect(main.stderr).toContain('main changes only through landings here');
    writeFileSync(join(dir, 'block'), '');
    const blocked = await spawnGit(c, ['push', 'origin', 'HEAD:other']);
    expect(blocked.code).not.toBe(0);
    const st = await spawnBin(dir, ['server', 'status', '--json']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json()).toMatchObject({ hooks: 'installed', protect: ['main'], pending: [], worker: 'auto' });
    const human = await spawnBin(dir, ['server', 'status']);
    expect(human.stdout).toContain('queue: empty');
    // From elsewhere, naming the repository.
    expect((await spawnBin(tmpdir(), ['server', 'status', dir, '--json'])).json().hooks).toBe('installed');
    const ej = await spawnBin(dir, ['server', 'eject']);
    expect(ej.code, ej.stderr).toBe(0);
    const after = files(dir);
    after.delete('block');
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect(after.get(k), k).toBe(v);
    expect(existsSync(join(dir, 'session'))).toBe(false);
    // A bare repository only.
    const worktree = await clone(url);
    const refused = await spawnBin(worktree, ['server', 'init']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('server init --hooks-dir (a forge that runs <hook>.d/* itself)', () => {
  it('puts two scripts there, the forge runs them with its own, and eject removes exactly those', async () => {
    const { dir } = await server('forge-seed');
    // A second repository whose hooks are the forge's: hooks/<name> runs every script of hooks/<name>.d/.
    const forge = daemon.dir('forge');
    const forgeUrl = daemon.remote('forge');
    git(dir, 'push', '-q', forge, 'main');
    for (const name of ['pre-receive', 'post-receive']) {
      const runner = `#!/bin/sh\ni=$(cat)\nfor f in "$(dirname "$0")/${name}.d"/*; do [ -x "$f" ] || continue; printf '%s\\n' "$i" | "$f" || exit 1; done\nexit 0\n`;
      writeFileSync(join(forge, 'hooks', name), runner);
      chmodSync(join(forge, 'hooks', name), 0o755);
    }
    const before = files(forge);
    const init = await spawnBin(forge, ['server', 'init', '--hooks-dir', join(forge, 'hooks')]);
    expect(init.code, init.stderr).toBe(0);
    expect(spawnSyncGit(forge, ['config', '--get', 'core.hooksPath'])).toBe('');
    expect(existsSync(join(forge, 'hooks/pre-receive.d/git-session'))).toBe(true);
    const a = await clone(forgeUrl);
    await session(a, 'through the forge', 'a.txt', 'forge\n');
    const r = await cli(a, ['land', '--remote', 'origin']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(forge, 'show', 'main:a.txt')).toBe('forge');
    writeFile(a, 'direct.txt', 'd\n');
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'direct');
    const direct = await spawnGit(a, ['push', 'origin', 'HEAD:main']);
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toContain('git session land --remote');
    expect((await spawnBin(forge, ['server', 'status', '--json'])).json().hooks).toBe('installed');
    expect((await spawnBin(forge, ['server', 'eject'])).code).toBe(0);
    const after = files(forge);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, v] of before) expect(after.get(k), k).toBe(v);
  });
});

/** git's stdout, '' when it fails. */
function spawnSyncGit(cwd: string, args: string[]): string {
  try {
    return git(cwd, ...args);
  } catch {
    return '';
  }
}

/** Runs git, returning its status and output instead of throwing. */
function spawnGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((res) => {
        const child = spawn('git', args, { cwd, env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.stderr.on('data', (b) => (stderr += b));
        child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
      }),
  );
}

describe('land --remote through git daemon', () => {
  it('lands disjoint sessions from two clones; an overlapping one exits 1 and nothing moves; a direct push to main is refused', async () => {
    const { url, dir } = await server('land');
    const a = await clone(url);
    const b = await clone(url);
    const sa = await session(a, 'change a', 'a.txt', 'a1\nA2\na3\n');
    const sb = await session(b, 'change b', 'b.txt', 'b1\nB2\nb3\n');
    const ra = await cli(a, ['land', '--remote', 'origin']);
    expect(ra.code, ra.stderr).toBe(0);
    const landedA = git(dir, 'rev-parse', 'main');
    expect(ra.stdout).toContain(`landed ${sa.slice(0, 12)} on main as ${landedA} through origin`);
    expect(git(a, 'rev-parse', 'main')).toBe(landedA);
    expect(git(a, 'status', '--porcelain')).toBe('');
    // b's base is behind: the server lands it onto the new tip (disjoint paths).
    const rb = await cli(b, ['land', '--remote', 'origin', '--json']);
    expect(rb.code, rb.stderr).toBe(0);
    const vb = rb.json().verdict;
    expect(vb).toMatchObject({ outcome: 'landed', previousTip: landedA });
    expect(git(dir, 'rev-parse', 'main')).toBe(vb.commit);
    expect(git(dir, 'rev-parse', 'main^')).toBe(landedA);
    expect(git(dir, 'show', 'main:a.txt')).toBe('a1\nA2\na3');
    expect(git(dir, 'show', 'main:b.txt')).toBe('b1\nB2\nb3');
    expect(git(dir, 'log', '-1', '--format=%B', 'main')).toContain(`Session-Id: ${sb}`);
    expect(git(b, 'rev-parse', 'main')).toBe(vb.commit);
    expect(git(b, 'status', '--porcelain')).toBe('');
    expect((await cli(b, ['show', sb, '--json'])).json().session.state).toBe('landed');
    expect(await serverKinds(dir, sb)).toContain('land');

    // An overlapping change from a clone still at the first landing's base: a real conflict.
    const c = await clone(url);
    git(c, 'reset', '-q', '--hard', 'main~2');
    const sc = await session(c, 'clash on a', 'a.txt', 'a1\nCLASH\na3\n');
    const refsBefore = git(dir, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/');
    const rc = await cli(c, ['land', '--remote', 'origin']);
    expect(rc.code, rc.stderr + rc.stdout).toBe(1);
    expect(rc.stdout).toContain('found a conflict');
    expect(rc.stdout).toContain('a.txt');
    expect(rc.stdout).toContain(`overlaps ${landedA.slice(0, 12)} (session ${sa.slice(0, 12)}): a.txt`);
    expect(git(dir, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/')).toBe(refsBefore);
    expect((await serverKinds(dir, sc)).slice(-1)).toEqual(['conflict']);
    // The conflict event came back with the verdict: this clone has it.
    expect((await cli(c, ['show', sc, '--json'])).json().events.at(-1).kind).toBe('conflict');

    // A direct push to the protected branch: refused with one line naming land --remote.
    git(b, 'pull', '-q', '--ff-only', 'origin', 'main');
    writeFile(b, 'direct.txt', 'd\n');
    git(b, 'add', '-A');
    git(b, 'commit', '-q', '-m', 'direct');
    const direct = await spawnGit(b, ['push', 'origin', 'HEAD:main']);
    expect(direct.code).not.toBe(0);
    const lines = direct.stderr.split('\n').filter((l) => l.startsWith('remote: git-session'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('git session land --remote');
    expect(git(dir, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/')).toBe(refsBefore);
    // Other branches are free; session.allowDirectPush '*' lets anyone push main.
    expect((await spawnGit(b, ['push', 'origin', 'HEAD:topic'])).code).toBe(0);
    git(dir, 'config', 'session.allowDirectPush', '*');
    expect((await spawnGit(b, ['push', 'origin', 'HEAD:main'])).code).toBe(0);
    const status = await spawnBin(dir, ['server', 'status', '--json']);
    expect(status.json().recent.map((e: { kind: string }) => e.kind)).toEqual(['landed', 'landed', 'conflict', 'push-refused']);
  });

  it('--no-wait returns after the push, status shows the request pending, and a server policy refusal exits 1', async () => {
    const { url, dir } = await server('nowait', (d) => git(d, 'config', 'session.serverWorker', 'manual'));
    const a = await clone(url);
    const id = await session(a, 'queued', 'a.txt', 'queued\n');
    const r = await cli(a, ['land', '--remote', 'origin', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('asked origin to land');
    expect((await cli(a, ['status'])).stdout).toContain('landing requested on origin');
    const st = (await spawnBin(dir, ['server', 'status', '--json'])).json();
    expect(st.pending).toEqual([expect.objectContaining({ session: id, target: 'main' })]);
    const work = await spawnBin(dir, ['server-hook', 'work']);
    expect(work.code, work.stderr).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%B', 'main')).toContain(`Session-Id: ${id}`);
    expect((await spawnBin(dir, ['server', 'status', '--json'])).json().pending).toEqual([]);
    // A required check the server cannot find signed: refused by policy, exit 2, nothing moves.
    git(dir, 'config', 'session.serverWorker', 'auto');
    git(dir, 'config', 'session.requireCheck', 'test');
    const tip = git(dir, 'rev-parse', 'main');
    const b = await clone(url);
    await session(b, 'unchecked', 'b.txt', 'unchecked\n');
    const refused = await cli(b, ['land', '--remote', 'origin']);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toContain('refused to land');
    expect(refused.stderr).toContain('required check test');
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
  });
});

describe('land --remote over a local path (file transport)', () => {
  it('lands, and the pusher is the local account: session.allowDirectPush naming it lets a direct push through', async () => {
    const { dir } = await server('by-path');
    const a = realpathSync(mkdtempSync(join(tmpdir(), 'gs-clone-')));
    git(a, 'clone', '-q', dir, '.');
    expect((await cli(a, ['init', '--publish', 'push'])).code).toBe(0);
    const id = await session(a, 'by path', 'a.txt', 'by path\n');
    const r = await cli(a, ['land', '--remote', 'origin', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().verdict.commit).toBe(git(dir, 'rev-parse', 'main'));
    expect(git(dir, 'log', '-1', '--format=%B', 'main')).toContain(`Session-Id: ${id}`);
    writeFile(a, 'direct.txt', 'd\n');
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'direct');
    const as = (user: string) => spawnGit(a, ['push', 'origin', 'HEAD:main'], { USER: user, LOGNAME: user });
    git(dir, 'config', 'session.allowDirectPush', 'alice');
    expect((await as('mallory')).code).not.toBe(0);
    const ok = await as('alice');
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('trusted checks on the server (session.requireCheck in its config)', () => {
  it("lands a session whose check is signed by a key the server's allowed signers name; refuses (exit 1) one signed by another, nothing moving", async () => {
    const ada = makeKey();
    const eve = makeKey();
    const { url, dir } = await server('checks', (d) => {
      git(d, 'config', 'session.requireCheck', 'test');
      git(d, 'config', 'gpg.ssh.allowedSignersFile', allowedSigners([`ada@example.com ${ada.pub}`]));
    });
    const a = await clone(url);
    useSigning(a, ada, allowedSigners([`ada@example.com ${ada.pub}`]));
    await session(a, 'checked', 'a.txt', 'checked\n');
    expect((await cli(a, ['check', '--name', 'test', '--', 'true'])).code).toBe(0);
    const ok = await cli(a, ['land', '--remote', 'origin', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json().verdict.outcome).toBe('landed');
    // Eve's clone trusts Eve; the server does not.
    const e = await clone(url);
    useSigning(e, eve, allowedSigners([`ada@example.com ${eve.pub}`]));
    await session(e, 'signed by another key', 'b.txt', 'eve\n');
    expect((await cli(e, ['check', '--name', 'test', '--', 'true'])).code).toBe(0);
    const tip = git(dir, 'rev-parse', 'main');
    const refused = await cli(e, ['land', '--remote', 'origin']);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toContain('required check test: NOT met');
    expect(git(dir, 'rev-parse', 'main')).toBe(tip);
  });
});

describe('a landing worker killed with kill -9', () => {
  it('leaves the target and the session consistent, and the next request finishes the job', async () => {
    const { url, dir } = await server('kill', (d) => git(d, 'config', 'session.serverWorker', 'manual'));
    const a = await clone(url);
    const first = await session(a, 'first', 'a.txt', 'first\n');
    expect((await cli(a, ['land', '--remote', 'origin', '--no-wait'])).code).toBe(0);
    const killer = new GitKiller();
    try {
      const plain = await killer.run(dir, ['server-hook', 'work']);
      expect(plain.code, plain.stderr).toBe(0);
      // One transaction moves everything: the landing's only update-ref.
      expect(plain.calls.filter((c) => c.startsWith('update-ref --stdin'))).toHaveLength(1);
      expect(git(dir, 'log', '-1', '--format=%B', 'main')).toContain(`Session-Id: ${first}`);

      for (const when of ['before', 'after'] as const) {
        const b = await clone(url);
        const id = await session(b, `killed ${when}`, 'b.txt', `killed ${when}\n`);
        expect((await cli(b, ['land', '--remote', 'origin', '--no-wait'])).code).toBe(0);
        const tip = git(dir, 'rev-parse', 'main');
        const meta = git(dir, 'rev-parse', `refs/sessions/${id}/meta`);
        const killed = await killer.run(dir, ['server-hook', 'work'], 'update-ref --stdin', when);
        expect(killed.code).not.toBe(0);
        const moved = git(dir, 'rev-parse', 'main') !== tip;
        const metaMoved = git(dir, 'rev-parse', `refs/sessions/${id}/meta`) !== meta;
        // Consistent: the target and the session moved together, or neither did.
        expect(moved).toBe(when === 'after');
        expect(metaMoved).toBe(moved);
        const queued = git(dir, 'for-each-ref', '--format=%(refname)', 'refs/session-land/request/');
        expect(queued.includes(id)).toBe(!moved);
        if (moved) expect((await serverKinds(dir, id)).slice(-1)).toEqual(['land']);
        // The stale lock of the killed worker does not stop the next one: a new request lands, and the killed one with it.
        git(dir, 'config', 'session.serverWorker', 'auto');
        const c = await clone(url);
        const next = await session(c, `after ${when}`, `c-${when}.txt`, 'next\n');
        const r = await cli(c, ['land', '--remote', 'origin']);
        expect(r.code, r.stderr).toBe(0);
        const log = git(dir, 'log', '--format=%B', 'main');
        expect(log).toContain(`Session-Id: ${next}`);
        expect(log.split(`Session-Id: ${id}`).length - 1).toBe(1);
        expect((await serverKinds(dir, id)).filter((k) => k === 'land')).toHaveLength(1);
        expect(git(dir, 'for-each-ref', '--format=%(refname)', 'refs/session-land/request/')).toBe('');
        git(dir, 'config', 'session.serverWorker', 'manual');
      }
    } finally {
      killer.dispose();
    }
  });
});

describe('load: 24 sessions from 4 clones submitted at once', () => {
  it('each lands exactly once or gets a real conflict; the history is linear; no event is lost', async () => {
    const { url, dir } = await server('load', (d) => {
      // shared.txt on main: one session of each clone changes its first line (a real conflict for all but one).
      const seed = realpathSync(mkdtempSync(join(tmpdir(), 'gs-seed-')));
      git(seed, 'clone', '-q', d, '.');
      writeFile(seed, 'shared.txt', 'one\ntwo\n');
      git(seed, 'add', '-A');
      git(seed, 'commit', '-q', '-m', 'shared');
      git(seed, 'push', '-q', 'origin', 'main');
    });
    const base = git(dir, 'rev-parse', 'main');
    const jobs: { clone: number; id: string; wt: string; shared: boolean }[] = [];
    for (let c = 0; c < 4; c++) {
      const repo = await clone(url);
      for (let k = 0; k < 6; k++) {
        const r = (await cli(repo, ['start', `clone ${c} session ${k}`, '--worktree', '--json'])).json();
        const shared = k === 0;
        writeFile(r.worktree, shared ? 'shared.txt' : `f-${c}-${k}.txt`, shared ? `clone ${c}\ntwo\n` : `${c} ${k}\n`);
        jobs.push({ clone: c, id: r.id, wt: r.worktree, shared });
      }
    }
    const runs = await Promise.all(jobs.map((j) => spawnBin(j.wt, ['land', '--remote', 'origin', '-s', j.id, '--json'])));
    const landed: string[] = [];
    const conflicted: string[] = [];
    runs.forEach((r, i) => {
      const j = jobs[i];
      expect([0, 1], `${j.id}: ${r.stderr}`).toContain(r.code);
      const v = r.json().verdict;
      if (r.code === 0) {
        expect(v.outcome).toBe('landed');
        landed.push(j.id);
      } else {
        // Only the sessions that change shared.txt may conflict, and on it.
        expect(j.shared, `${j.id}: ${r.stdout}`).toBe(true);
        expect(v).toMatchObject({ outcome: 'conflict', conflicts: ['shared.txt'] });
        conflicted.push(j.id);
      }
    });
    expect(landed).toHaveLength(21);
    expect(conflicted).toHaveLength(3);
    // Linear: one parent each, every landing once, nothing else.
    expect(git(dir, 'rev-list', '--merges', 'main')).toBe('');
    expect(git(dir, 'rev-list', '--count', `${base}..main`)).toBe('21');
    const log = git(dir, 'log', '--format=%B', `${base}..main`);
    for (const id of landed) expect(log.split(`Session-Id: ${id}`).length - 1, id).toBe(1);
    for (const id of conflicted) expect(log).not.toContain(id);
    // No event lost: the server holds every event each clone recorded, plus exactly one verdict event.
    for (const [i, j] of jobs.entries()) {
      const kinds = await serverKinds(dir, j.id);
      expect(kinds.slice(0, 2), j.id).toEqual(['start', 'snapshot']);
      expect(kinds.filter((k) => k === 'land' || k === 'conflict'), j.id).toEqual([landed.includes(j.id) ? 'land' : 'conflict']);
      const client = (await cli(j.wt, ['show', j.id, '--json'])).json().events.map((e: { id: string }) => e.id);
      const server = (await spawnBin(dir, ['show', j.id, '--json'])).json().events.map((e: { id: string }) => e.id);
      expect(server, `job ${i}`).toEqual(client);
    }
    expect(git(dir, 'for-each-ref', 'refs/session-land/request/')).toBe('');
  }, 400_000);
});
