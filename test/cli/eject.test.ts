// `eject` edge cases (the whole round trip is test/e2e/eject-roundtrip.e2e.test.ts):
// agent settings created, edited since, unrecorded, unreadable, in another worktree or
// in a session worktree; session worktrees outside .git, holding work, a secret file or
// a conflict; a user's own rr-cache; --dry-run refusing exactly as eject does.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';

async function ok(cwd: string, args: string[], env?: Record<string, string>) {
  const r = await cli(cwd, args, { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** Every file under `dir` (mode and bytes). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const f of readdirSync(d).sort()) {
      const st = statSync(join(d, f));
      if (st.isDirectory()) walk(join(d, f), `${rel}${f}/`);
      else out[rel + f] = `${(st.mode & 0o777).toString(8)} ${readFileSync(join(d, f), 'base64')}`;
    }
  };
  walk(dir, '');
  return out;
}

const tmp = (p: string) => realpathSync(mkdtempSync(join(tmpdir(), p)));

describe('eject: agent settings', () => {
  it('a file hooks install created goes with the directories it created, unless the user put something there since', async () => {
    const dir = makeRepo();
    await ok(dir, ['init', '--publish', 'never']);
    for (const a of ['claude-code', 'codex', 'gemini']) await ok(dir, ['hooks', 'install', a]);
    writeFile(dir, '.codex/notes.md', 'mine\n');
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.changed).toEqual(expect.arrayContaining(['deleted .claude/settings.json (created by hooks install, with .claude/ when left empty)']));
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    expect(existsSync(join(dir, '.gemini'))).toBe(false);
    expect(readdirSync(join(dir, '.codex'))).toEqual(['notes.md']);
    expect(git(dir, 'status', '--porcelain')).toBe('?? .codex/');
  });

  it('a file edited since keeps the edits and loses only our entries; an unrecorded one too; an unreadable one is named and left', async () => {
    const dir = makeRepo();
    writeFile(dir, '.claude/settings.json', '{\n  // mine\n  "model": "opus"\n}\n');
    writeFile(dir, '.gemini/settings.json', '{ "theme": "GitHub" }\n');
    await ok(dir, ['init', '--publish', 'never']);
    for (const a of ['claude-code', 'codex', 'gemini']) await ok(dir, ['hooks', 'install', a]);
    // Edited since install: a key added at the end.
    const claude = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    writeFile(dir, '.claude/settings.json', claude.replace(/\n}\n$/, ',\n  "theme": "dark"\n}\n'));
    // The record of the Gemini file lost (a copied repository): our entries are still found.
    const records = join(dir, '.git/session/agent-settings.json');
    const rec = JSON.parse(readFileSync(records, 'utf8'));
    delete rec.files[join(dir, '.gemini/settings.json')];
    writeFile(dir, '.git/session/agent-settings.json', JSON.stringify(rec));
    // Broken by hand: not ours to guess at.
    writeFile(dir, '.codex/config.toml', readFileSync(join(dir, '.codex/config.toml'), 'utf8') + '\n[broken\n');
    const dry = (await ok(dir, ['eject', '--dry-run', '--json'])).json();
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(dry.changed).toHaveLength(r.changed.length);
    expect(r.changed).toEqual(expect.arrayContaining([
      'removed the git-session entries from .claude/settings.json (edited since hooks install: your edits stay)',
      'removed the git-session entries from .gemini/settings.json (edited since hooks install: your edits stay)',
    ]));
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe('{\n  // mine\n  "model": "opus",\n  "theme": "dark"\n}\n');
    expect(readFileSync(join(dir, '.gemini/settings.json'), 'utf8')).toBe('{ "theme": "GitHub" }\n');
    expect(r.kept).toEqual([expect.objectContaining({ what: join(dir, '.codex/config.toml'), reason: expect.stringContaining('remove the git-session entries by hand') })]);
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).toContain('[broken');
  });

  it("another worktree's settings and a session worktree's are walked back; the session worktree is removed", async () => {
    const dir = makeRepo();
    const other = join(tmp('gs-eject-wt-'), 'other');
    git(dir, 'worktree', 'add', '-q', '-b', 'side', other);
    await ok(dir, ['init', '--publish', 'never']);
    await ok(other, ['hooks', 'install', 'claude-code']);
    const s = (await ok(dir, ['start', 'in its own worktree', '--worktree', '', '--json'])).json();
    await ok(s.worktree, ['hooks', 'install', 'gemini']);
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.changed).toEqual(expect.arrayContaining([`removed session worktree ${s.worktree}`]));
    expect(existsSync(join(other, '.claude'))).toBe(false);
    expect(git(other, 'status', '--porcelain')).toBe('');
    expect(existsSync(s.worktree)).toBe(false);
    expect(existsSync(join(dir, '.git/worktrees', 'other'))).toBe(true);
    expect(existsSync(join(dir, '.git/worktrees/other/session'))).toBe(false);
  });

  it('says so when a snapshot took the settings file with our entries into a landed commit', async () => {
    const dir = makeRepo();
    await ok(dir, ['init', '--publish', 'never']);
    await ok(dir, ['hooks', 'install', 'claude-code']);
    await ok(dir, ['start', 'in the main worktree']);
    writeFile(dir, 'README.md', '# changed\n');
    await ok(dir, ['land']);
    expect(git(dir, 'ls-files', '.claude')).toBe('.claude/settings.json');
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.changed).toContain('deleted .claude/settings.json (created by hooks install, with .claude/ when left empty); HEAD holds it with our entries (a snapshot took it): commit this change to take them out of the branch');
    expect(git(dir, 'status', '--porcelain')).toBe('D .claude/settings.json');
  });
});

describe('eject: session worktrees', () => {
  it('removes a snapshotted worktree wherever start put it; refuses (changing nothing, dry run too) for unsnapshotted work or a secret file', async () => {
    const dir = makeRepo();
    await ok(dir, ['init', '--publish', 'never']);
    const where = join(tmp('gs-eject-out-'), 'wt');
    const s = (await ok(dir, ['start', 'outside', '--worktree', where, '--json'])).json();
    writeFile(where, 'work.txt', 'work\n');
    const before = tree(dir);
    for (const args of [['eject'], ['eject', '--dry-run']]) {
      const r = await cli(dir, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`git-session: session worktrees hold uncommitted changes (snapshot or remove them first): ${where}\n`);
      expect(r.stdout).toBe('');
    }
    expect(tree(dir)).toEqual(before);
    await ok(where, ['snapshot']);
    writeFile(where, '.env', 'TOKEN=abc\n'); // left out of snapshots: removing the worktree would lose it
    expect((await cli(dir, ['eject'])).code).toBe(1);
    rmSync(join(where, '.env'));
    // Run from inside the session worktree it would remove: refused.
    const inside = await cli(where, ['eject']);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toContain('run it from another worktree');
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.changed).toEqual(expect.arrayContaining([`removed session worktree ${where}`]));
    expect(existsSync(where)).toBe(false);
    expect(git(dir, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '))).toEqual([`worktree ${dir}`]);
    expect(existsSync(join(dir, '.git/worktrees'))).toBe(false);
    // The session's work is still there (refs/sessions/ stays without --purge).
    expect(git(dir, 'cat-file', '-p', `refs/sessions/${s.id}/work:work.txt`)).toBe('work');
  });

  it("a session worktree deleted by hand is pruned from git's list", async () => {
    const dir = makeRepo();
    await ok(dir, ['init', '--publish', 'never']);
    const s = (await ok(dir, ['start', 'gone', '--worktree', '', '--json'])).json();
    rmSync(s.worktree, { recursive: true, force: true });
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.changed).toEqual(expect.arrayContaining([`removed the record of session worktree ${s.worktree} (its directory was gone)`]));
    expect(git(dir, 'worktree', 'list')).not.toContain(s.worktree);
  });
});

describe('eject: what it leaves', () => {
  it("keeps a rr-cache the user had, the user's core.hooksPath set since init, and says nothing the second time", async () => {
    const dir = makeRepo();
    mkdirSync(join(dir, '.git/rr-cache'));
    await ok(dir, ['init', '--publish', 'never']);
    git(dir, 'config', 'core.hooksPath', '.husky/_'); // husky's prepare took it back
    writeFile(dir, 'CLAUDE.md', '# Project\n\n' + (await ok(dir, ['hooks', 'instructions', 'claude-code'])).stdout);
    const r = (await ok(dir, ['eject', '--json'])).json();
    expect(r.kept).toEqual([expect.objectContaining({ what: join(dir, 'CLAUDE.md'), reason: expect.stringContaining('remove it by hand') })]);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain('git session decide');
    expect(r.changed).toContain('removed the git hooks (core.hooksPath had been changed to .husky/_ since; left as it is)');
    expect(git(dir, 'config', 'core.hooksPath')).toBe('.husky/_');
    expect(existsSync(join(dir, '.git/rr-cache'))).toBe(true);
    const again = await ok(dir, ['eject']);
    expect(again.stdout).toMatch(/^nothing to eject: git-session was not set up here\nleft: \S+\/CLAUDE\.md: holds the "Recording decisions \(git-session\)" block/);
    expect((await ok(dir, ['eject', '--dry-run'])).stdout).toMatch(/^would change nothing: git-session is not set up here\nleft: /);
  });
});
