// Adoption never breaks the user's hooks: husky v9 and v8 (their real npm packages),
// lefthook (its npm binary), the pre-commit framework (Debian's package), a global
// core.hooksPath, and plain .git/hooks keep running and deciding after `init`, and
// `eject` puts everything back byte for byte. The hook fails open when git-session cannot
// run, and an install path holding `$(...)` is never executed.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrapperScript } from '../../src/core/hookscript.js';
import { BIN, cli, git, HERMETIC, makeRepo, ROOT, spawnBin, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

function bare(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-remote-')));
  git(dir, 'init', '-q', '--bare', '-b', 'main');
  return dir;
}

/** A repo with a remote and the node_modules a JS project would have (husky etc. linked from ours). */
function project(): { dir: string; remote: string } {
  const dir = makeRepo();
  const remote = bare();
  git(dir, 'remote', 'add', 'origin', remote);
  mkdirSync(join(dir, 'node_modules'));
  writeFile(dir, '.gitignore', 'node_modules\n.block\n');
  git(dir, 'add', '.gitignore');
  git(dir, 'commit', '-q', '-m', 'ignore');
  return { dir, remote };
}

/** Every file under `dir` with its bytes and mode (for byte-for-byte comparisons). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${f}/`);
      else out[rel + f] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'base64')}`;
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** Lands a session with one change and returns its id. */
async function landOne(dir: string, name: string): Promise<string> {
  const id = (await cli(dir, ['start', `work ${name}`, '--json'])).json().id;
  writeFile(dir, `${name}.txt`, `${name}\n`);
  const r = await cli(dir, ['land']);
  expect(r.code, r.stderr).toBe(0);
  return id;
}

/** git push, returning its exit code and everything it printed (never throwing). */
function push(dir: string, env: Record<string, string> = {}, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('git', ['push', '-q', 'origin', ...(args.length ? args : ['main'])], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function remoteSessions(remote: string): string {
  return git(remote, 'for-each-ref', '--format=%(refname)', 'refs/sessions/');
}

describe('hooks of other tools keep running and deciding', () => {
  it('husky v9 (core.hooksPath=.husky/_): its pre-push still blocks, sessions go when it passes, eject restores it', async () => {
    const { dir, remote } = project();
    symlinkSync(join(ROOT, 'node_modules/husky'), join(dir, 'node_modules/husky'));
    execFileSync(process.execPath, ['--input-type=module', '-e', "import h from 'husky'; const m = h(); if (m) throw new Error(m)"], { cwd: dir, env: process.env });
    expect(git(dir, 'config', 'core.hooksPath')).toBe('.husky/_');
    writeFile(dir, '.husky/pre-push', 'echo husky-pre-push-ran >&2\ntest ! -f .block\n');
    const config = readFileSync(join(dir, '.git/config'), 'utf8');
    const husky = tree(join(dir, '.husky'));
    expect((await cli(dir, ['init', '--publish', 'push'])).code).toBe(0);
    expect(tree(join(dir, '.husky'))).toEqual(husky); // nothing of husky's renamed or touched
    const id = await landOne(dir, 'a');

    writeFileSync(join(dir, '.block'), '');
    const scrub = new Scrub({ repo: dir, remote });
    expect(scrub.run(push(dir))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "husky-pre-push-ran
      error: failed to push some refs to '<remote>'
      ",
        "stdout": "husky - pre-push script failed (code 1)
      ",
      }
    `);
    expect(remoteSessions(remote)).toBe('');
    expect(() => git(remote, 'rev-parse', '--verify', 'main')).toThrow();

    rmSync(join(dir, '.block'));
    const ok = push(dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);

    // husky's prepare runs again on every npm install and takes core.hooksPath back: its
    // hooks run (ours do not) until `init` chains it again.
    execFileSync(process.execPath, ['--input-type=module', '-e', "import h from 'husky'; h()"], { cwd: dir, env: process.env });
    expect(scrub.run(await cli(dir, ['status']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: another tool took over core.hooksPath since init, so sessions are not pushed by git push: run git session init to chain it
      ",
        "stdout": "no current session in this worktree

      0 open sessions
      ",
      }
    `);
    expect((await cli(dir, ['status', '--json'])).json().hooks).toBe('replaced');
    expect((await cli(dir, ['init', '--json'])).json().changed.join()).toContain('chaining core.hooksPath .husky/_');
    expect((await cli(dir, ['status', '--json'])).json().hooks).toBe('installed');

    expect((await cli(dir, ['eject'])).code).toBe(0);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(config);
    expect(tree(join(dir, '.husky'))).toEqual(husky);
  });

  it('husky v8 (core.hooksPath=.husky, hooks sourcing _/husky.sh) keeps blocking', async () => {
    const { dir, remote } = project();
    symlinkSync(join(ROOT, 'node_modules/husky8'), join(dir, 'node_modules/husky'));
    execFileSync(process.execPath, ['-e', "const h = require('husky'); h.install(); h.set('.husky/pre-push', 'test ! -f .block')"], { cwd: dir, env: process.env, stdio: 'ignore' });
    expect(git(dir, 'config', 'core.hooksPath')).toBe('.husky');
    const config = readFileSync(join(dir, '.git/config'), 'utf8');
    await cli(dir, ['init', '--publish', 'push']);
    const id = await landOne(dir, 'b');
    writeFileSync(join(dir, '.block'), '');
    expect(new Scrub({ repo: dir, remote }).run(push(dir))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "error: failed to push some refs to '<remote>'
      ",
        "stdout": "husky - pre-push hook exited with code 1 (error)
      ",
      }
    `);
    rmSync(join(dir, '.block'));
    expect(push(dir).code).toBe(0);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);
    await cli(dir, ['eject']);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(config);
  });

  it('lefthook (its npm binary) installed before init keeps running; installing it after init is refused by lefthook itself', async () => {
    const { dir, remote } = project();
    const lefthook = join(ROOT, 'node_modules/lefthook-linux-x64/bin/lefthook');
    writeFile(dir, 'lefthook.yml', 'pre-push:\n  commands:\n    deny:\n      run: test ! -f .block\npre-commit:\n  commands:\n    mark:\n      run: touch .git/lefthook-pre-commit-ran\n');
    execFileSync(lefthook, ['install'], { cwd: dir, env: process.env, stdio: 'ignore' });
    const hooks = tree(join(dir, '.git/hooks'));
    const config = readFileSync(join(dir, '.git/config'), 'utf8');
    await cli(dir, ['init', '--publish', 'push']);
    const id = await landOne(dir, 'c');
    writeFileSync(join(dir, '.block'), '');
    expect(push(dir).code).toBe(1);
    rmSync(join(dir, '.block'));
    expect(push(dir).code).toBe(0);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);
    writeFile(dir, 'x.txt', 'x\n');
    git(dir, 'add', 'x.txt');
    git(dir, 'commit', '-q', '-m', 'x'); // pre-commit passes through to lefthook's
    expect(existsSync(join(dir, '.git/lefthook-pre-commit-ran'))).toBe(true);
    expect(() => execFileSync(lefthook, ['install'], { cwd: dir, env: process.env, stdio: 'pipe' })).toThrow();
    await cli(dir, ['eject']);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(config);
    expect(tree(join(dir, '.git/hooks'))).toEqual(hooks);
  });

  it('the pre-commit framework (pre-commit install -t pre-push) keeps blocking', async () => {
    const { dir, remote } = project();
    writeFile(dir, '.pre-commit-config.yaml', 'repos:\n- repo: local\n  hooks:\n  - id: deny\n    name: deny\n    entry: sh -c "test ! -f .block"\n    language: system\n    stages: [push]\n    pass_filenames: false\n    always_run: true\n');
    git(dir, 'add', '.pre-commit-config.yaml');
    git(dir, 'commit', '-q', '-m', 'pre-commit config');
    execFileSync('pre-commit', ['install', '-t', 'pre-push'], { cwd: dir, env: process.env, stdio: 'ignore' });
    const hooks = tree(join(dir, '.git/hooks'));
    await cli(dir, ['init', '--publish', 'push']);
    const id = await landOne(dir, 'd');
    writeFileSync(join(dir, '.block'), '');
    const blocked = push(dir);
    expect(blocked.code).toBe(1);
    rmSync(join(dir, '.block'));
    const ok = push(dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);
    await cli(dir, ['eject']);
    expect(tree(join(dir, '.git/hooks'))).toEqual(hooks);
  });

  it('a global core.hooksPath is neither written nor unset; its hooks keep running in this repo and others', async () => {
    const globalHooks = realpathSync(mkdtempSync(join(tmpdir(), 'gs-global-hooks-')));
    writeFileSync(join(globalHooks, 'pre-push'), '#!/bin/sh\necho global-pre-push >&2\ntest ! -f .block\n', { mode: 0o755 });
    writeFileSync(join(globalHooks, 'pre-commit'), '#!/bin/sh\ntouch "$(git rev-parse --git-dir)/global-pre-commit-ran"\n', { mode: 0o755 });
    const globalConfig = join(globalHooks, '..', `${globalHooks.split('/').pop()}.gitconfig`);
    writeFileSync(globalConfig, `[core]\n\thooksPath = ${globalHooks}\n`);
    const env = { GIT_CONFIG_GLOBAL: globalConfig };
    const prev = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      const globalBefore = readFileSync(globalConfig, 'utf8');
      const hooksBefore = tree(globalHooks);
      const { dir, remote } = project();
      const other = makeRepo();
      const config = readFileSync(join(dir, '.git/config'), 'utf8');
      await cli(dir, ['init', '--publish', 'push'], { env });
      expect(readFileSync(globalConfig, 'utf8')).toBe(globalBefore);
      expect(tree(globalHooks)).toEqual(hooksBefore);
      const id = await landOne(dir, 'e');
      writeFileSync(join(dir, '.block'), '');
      expect(push(dir, env).code).toBe(1);
      rmSync(join(dir, '.block'));
      expect(push(dir, env).code).toBe(0);
      expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);
      rmSync(join(dir, '.git/global-pre-commit-ran'));
      writeFile(dir, 'z.txt', 'z\n');
      git(dir, 'add', 'z.txt');
      git(dir, 'commit', '-q', '-m', 'z');
      expect(existsSync(join(dir, '.git/global-pre-commit-ran'))).toBe(true); // passed through to the global hook
      writeFile(other, 'o.txt', 'o\n');
      git(other, 'add', 'o.txt');
      git(other, 'commit', '-q', '-m', 'o');
      expect(existsSync(join(other, '.git/global-pre-commit-ran'))).toBe(true);
      await cli(dir, ['eject'], { env });
      expect(readFileSync(globalConfig, 'utf8')).toBe(globalBefore);
      expect(tree(globalHooks)).toEqual(hooksBefore);
      expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(config);
    } finally {
      process.env.GIT_CONFIG_GLOBAL = prev;
    }
  });

  it('a plain .git/hooks pre-push and every other hook the user had keep running; eject restores .git/hooks byte for byte', async () => {
    const { dir } = project();
    writeFileSync(join(dir, '.git/hooks/commit-msg'), '#!/bin/sh\ngrep -q ok "$1"\n', { mode: 0o755 });
    const hooks = tree(join(dir, '.git/hooks'));
    const config = readFileSync(join(dir, '.git/config'), 'utf8');
    await cli(dir, ['init', '--publish', 'never']);
    writeFile(dir, 'y.txt', 'y\n');
    git(dir, 'add', 'y.txt');
    expect(() => git(dir, 'commit', '-q', '-m', 'bad message')).toThrow(); // commit-msg still decides
    git(dir, 'commit', '-q', '-m', 'ok message');
    await cli(dir, ['eject']);
    expect(tree(join(dir, '.git/hooks'))).toEqual(hooks);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).toBe(config);
  });
});

describe('an install by an older git-session', () => {
  it('is migrated: its pre-push leaves .git/hooks and the renamed user hook is back in place, chained', async () => {
    const { dir, remote } = project();
    const user = '#!/bin/sh\ntest ! -f .block\n';
    writeFileSync(join(dir, '.git/hooks/pre-push.pre-git-session'), user, { mode: 0o755 });
    writeFileSync(join(dir, '.git/hooks/pre-push'), '#!/bin/sh\n# git-session pre-push hook (installed by `git session init`)\nexit 0\n', { mode: 0o755 });
    const r = await cli(dir, ['init', '--publish', 'push', '--json']);
    expect(r.json().changed.join()).toContain('removed the pre-push hook of an older git-session');
    expect(readFileSync(join(dir, '.git/hooks/pre-push'), 'utf8')).toBe(user);
    expect(existsSync(join(dir, '.git/hooks/pre-push.pre-git-session'))).toBe(false);
    const id = await landOne(dir, 'm');
    writeFileSync(join(dir, '.block'), '');
    expect(push(dir).code).toBe(1);
    rmSync(join(dir, '.block'));
    expect(push(dir).code).toBe(0);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`);
  });
});

describe('the hook fails open', () => {
  /** A copy of the built install (bin + dist) at `dir`, as `npm install -g` would leave it. */
  function install(dir: string): string {
    mkdirSync(dir, { recursive: true });
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    return join(dir, 'bin', 'git-session');
  }

  it('dist missing, bin moved, node gone: one warning line, and the push goes on with the user hook\'s verdict', async () => {
    const { dir, remote } = project();
    writeFileSync(join(dir, '.git/hooks/pre-push'), '#!/bin/sh\necho user-hook-ran >&2\ntest ! -f .block\n', { mode: 0o755 });
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'gs-install-')));
    const bin = install(join(root, 'lib'));
    const r = await spawnBin(dir, ['init', '--publish', 'push'], {});
    expect(r.code).toBe(0);
    // Re-init from the copy, so the hook records that install's path.
    execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env: { ...process.env } });
    expect(readFileSync(join(dir, '.git/session/hooks/pre-push'), 'utf8')).toContain(bin);
    await landOne(dir, 'f');

    rmSync(join(root, 'lib', 'dist'), { recursive: true });
    const noDist = push(dir);
    expect(noDist.code).toBe(0);
    expect(noDist.stderr).toContain('user-hook-ran');
    const warnings = noDist.stderr.split('\n').filter((l) => l.includes('git-session'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^git-session: warning: git-session failed .*the push goes on$/);
    expect(remoteSessions(remote)).toBe('');

    writeFileSync(join(dir, '.block'), '');
    writeFile(dir, 'g.txt', 'g\n');
    git(dir, 'add', 'g.txt');
    git(dir, 'commit', '-q', '-m', 'g');
    expect(push(dir).code).toBe(1); // the user's hook still decides
    rmSync(join(dir, '.block'));

    rmSync(join(root, 'lib'), { recursive: true }); // moved away: not on PATH either
    expect(new Scrub({ repo: dir, remote }).run(push(dir, { PATH: '/usr/bin:/bin' }))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "user-hook-ran
      git-session: warning: git-session cannot run here (node or git-session not found); sessions not pushed, the push goes on
      ",
        "stdout": "",
      }
    `);
  });

  it('node starts only for a push carrying a Session-Id trailer or naming session refs (a broken install shows which)', async () => {
    const { dir, remote } = project();
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'gs-install-')));
    const bin = install(join(root, 'lib'));
    execFileSync(process.execPath, [bin, 'init', '--publish', 'push'], { cwd: dir, env: { ...process.env } });
    rmSync(join(root, 'lib', 'dist'), { recursive: true }); // node would now fail loudly, so every start shows
    const warned = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => l.includes('git-session failed'));
    writeFile(dir, 'plain.txt', 'plain\n');
    git(dir, 'add', 'plain.txt');
    git(dir, 'commit', '-q', '-m', 'plain');
    const plain = push(dir);
    expect(plain.code).toBe(0);
    expect(warned(plain)).toEqual([]);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(dir, 'rev-parse', 'main'));
    // A new branch (no remote sha): its commits not on any remote-tracking ref are read.
    git(dir, 'checkout', '-q', '-b', 'topic');
    writeFile(dir, 'trailer.txt', 'x\n');
    git(dir, 'add', 'trailer.txt');
    git(dir, 'commit', '-q', '-m', 'with a trailer\n\nSession-Id: 01jzzzzzzzzzzzzzzzzzzzzzzz');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'on top');
    const carrying = push(dir, {}, 'topic');
    expect(carrying.code).toBe(0);
    expect(warned(carrying)).toHaveLength(1);
    const deleting = push(dir, {}, '--delete', 'topic');
    expect(deleting.code).toBe(0);
    expect(warned(deleting)).toEqual([]);
    const naming = push(dir, {}, 'main:refs/sessions/x/meta');
    expect(warned(naming)).toHaveLength(1);
  });

  it('node not found: the wrapper warns once and the push goes on', () => {
    const { dir, remote } = project();
    const hooks = join(dir, '.git/gs-hooks');
    mkdirSync(hooks);
    const text = wrapperScript({ name: 'pre-push', previous: { inherited: true }, bin: BIN, node: '/nonexistent/node', defaultDir: join(dir, '.git/hooks'), self: hooks });
    writeFileSync(join(hooks, 'pre-push'), text, { mode: 0o755 });
    git(dir, 'config', 'core.hooksPath', hooks);
    // A PATH with git and the shell's tools but no node.
    const tools = realpathSync(mkdtempSync(join(tmpdir(), 'gs-path-')));
    for (const t of ['git', 'sh', 'cat', 'awk', 'head', 'cut', 'printf']) {
      const p = execFileSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim();
      if (p.startsWith('/')) symlinkSync(p, join(tools, t));
    }
    expect(new Scrub({ repo: dir, remote }).run(push(dir, { PATH: tools }))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: warning: git-session cannot run here (node or git-session not found); sessions not pushed, the push goes on
      ",
        "stdout": "",
      }
    `);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(dir, 'rev-parse', 'main'));
  });

  it('an install path holding $(...) and quotes is never executed', async () => {
    const { dir, remote } = project();
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'gs-install-')));
    const evil = join(root, `x$(touch ${root}/pwned)'y"\`touch ${root}/pwned2\``);
    const bin = install(evil);
    execFileSync(process.execPath, [bin, 'init', '--publish', 'push'], { cwd: dir, env: { ...process.env, ...HERMETIC } });
    const id = await landOne(dir, 'h');
    const r = push(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(existsSync(join(root, 'pwned2'))).toBe(false);
    expect(remoteSessions(remote)).toContain(`refs/sessions/${id}/meta`); // and the hook did run from there
    chmodSync(root, 0o755);
  });
});
