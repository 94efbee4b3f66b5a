// export --branch takes only a branch name git accepts that shadows nothing; --pr-body
// never follows a symlink and never overwrites a file without --force (issue 9).
import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { sessionWith } from '../support/sessions.js';

describe('export --branch names', () => {
  it('refuses HEAD, pseudo-refs, remote-tracking shadows, refs/ and @{-1}: exit 2, one line, nothing written', async () => {
    const dir = makeRepo();
    git(dir, 'remote', 'add', 'origin', dir); // a remote named origin (its URL does not matter here)
    git(dir, 'update-ref', 'refs/remotes/upstream/main', git(dir, 'rev-parse', 'HEAD')); // tracking ref of a removed remote
    git(dir, 'checkout', '-q', '-b', 'previous');
    git(dir, 'checkout', '-q', 'main');
    const { id } = await sessionWith(dir, 'export me', { 'a.txt': 'a\n' });
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir });
    const seen: Record<string, unknown> = {};
    for (const name of ['HEAD', 'FETCH_HEAD', 'ORIG_HEAD', 'head', 'origin/main', 'origin/feature', 'upstream/main', 'refs/heads/x', 'remotes/origin/main', '@{-1}', '@', 'a..b']) {
      seen[name] = scrub.run(await cli(dir, ['export', id, '--branch', name]));
    }
    expect(seen).toMatchInlineSnapshot(`
      {
        "@": {
          "code": 2,
          "stderr": "git-session: invalid branch name '@': contains '@{'
      ",
          "stdout": "",
        },
        "@{-1}": {
          "code": 2,
          "stderr": "git-session: invalid branch name '@{-1}': contains '@{'
      ",
          "stdout": "",
        },
        "FETCH_HEAD": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'FETCH_HEAD': it would shadow HEAD
      ",
          "stdout": "",
        },
        "HEAD": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'HEAD': git check-ref-format --branch refuses it
      ",
          "stdout": "",
        },
        "ORIG_HEAD": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'ORIG_HEAD': it would shadow HEAD
      ",
          "stdout": "",
        },
        "a..b": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'a..b': contains '..'
      ",
          "stdout": "",
        },
        "head": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'head': it would shadow HEAD
      ",
          "stdout": "",
        },
        "origin/feature": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'origin/feature': it would shadow the remote-tracking ref refs/remotes/origin/feature
      ",
          "stdout": "",
        },
        "origin/main": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'origin/main': it would shadow the remote-tracking ref refs/remotes/origin/main
      ",
          "stdout": "",
        },
        "refs/heads/x": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'refs/heads/x': give the branch name without 'refs/'
      ",
          "stdout": "",
        },
        "remotes/origin/main": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'remotes/origin/main': give the branch name without 'remotes/'
      ",
          "stdout": "",
        },
        "upstream/main": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'upstream/main': it would shadow the remote-tracking ref refs/remotes/upstream/main
      ",
          "stdout": "",
        },
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
    expect(git(dir, 'for-each-ref', 'refs/heads/HEAD', 'refs/heads/origin/')).toBe('');
    const ok = await cli(dir, ['export', id, '--branch', 'feature/origin-main', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('export --pr-body', () => {
  it('writes a new file, refuses an existing one without --force, and never follows a symlink', async () => {
    const dir = makeRepo();
    const { id } = await sessionWith(dir, 'export me', { 'a.txt': 'a\n' });
    const out = realpathSync(mkdtempSync(join(tmpdir(), 'gs-prbody-')));
    const body = join(out, 'pr.md');
    expect((await cli(dir, ['export', id, '--branch', 'pr/one', '--pr-body', body])).code).toBe(0);
    expect(readFileSync(body, 'utf8')).toContain(`Session-Id: ${id}`);

    // An existing file: refused, untouched, and no branch written either.
    writeFileSync(body, 'mine\n');
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir, out });
    expect(scrub.run(await cli(dir, ['export', id, '--branch', 'pr/two', '--pr-body', body]))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: <out>/pr.md exists: pass --force to overwrite it
      ",
        "stdout": "",
      }
    `);
    expect(readFileSync(body, 'utf8')).toBe('mine\n');
    expect(refsSnapshot(dir)).toBe(before);
    expect((await cli(dir, ['export', id, '--branch', 'pr/two', '--pr-body', body, '--force'])).code).toBe(0);
    expect(readFileSync(body, 'utf8')).toContain(`Session-Id: ${id}`);

    // A symlink (to a file that exists, or to one that does not): refused even with --force.
    const victim = join(out, 'victim');
    writeFileSync(victim, 'precious\n');
    const link = join(out, 'link.md');
    symlinkSync(victim, link);
    const dangling = join(out, 'dangling.md');
    symlinkSync(join(out, 'created-through-link'), dangling);
    const seen: Record<string, unknown> = {};
    for (const [name, path, extra] of [['link', link, []], ['link --force', link, ['--force']], ['dangling', dangling, []], ['dangling --force', dangling, ['--force']]] as const) {
      seen[name] = scrub.run(await cli(dir, ['export', id, '--branch', 'pr/three', '--pr-body', path, ...extra]));
    }
    expect(seen).toMatchInlineSnapshot(`
      {
        "dangling": {
          "code": 2,
          "stderr": "git-session: <out>/dangling.md is a symbolic link: not following it
      ",
          "stdout": "",
        },
        "dangling --force": {
          "code": 2,
          "stderr": "git-session: <out>/dangling.md is a symbolic link: not following it
      ",
          "stdout": "",
        },
        "link": {
          "code": 2,
          "stderr": "git-session: <out>/link.md is a symbolic link: not following it
      ",
          "stdout": "",
        },
        "link --force": {
          "code": 2,
          "stderr": "git-session: <out>/link.md is a symbolic link: not following it
      ",
          "stdout": "",
        },
      }
    `);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(existsSync(join(out, 'created-through-link'))).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
