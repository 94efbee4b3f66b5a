import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTrailer } from '../../src/repo/bridges/export.js';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { reason } from './helpers.js';
import { sessionWith } from '../support/sessions.js';

/** Session-Id trailer values of every commit in `range`, one per commit. */
function trailers(dir: string, range: string): string[] {
  return git(dir, 'log', '--format=%(trailers:key=Session-Id,valueonly,separator=%x2c)', range).split('\n');
}

describe('export <id> --branch', () => {
  it('writes a plain branch of the work on its base, with trailers, and a full PR description', async () => {
    const dir = makeRepo();
    const base = git(dir, 'rev-parse', 'main');
    const { id, wt } = await sessionWith(dir, 'Add a and b', { 'a.txt': 'a\n' }, ['--agent', 'claude-code', '--model', 'opus']);
    writeFile(wt, 'b.txt', 'b | c\n');
    expect((await cli(wt, ['snapshot', '-m', 'add b'])).code).toBe(0);
    await reason(wt, id, 'Please add a.txt\nand b.txt', 'two files');
    expect((await cli(wt, ['check', '--', 'true'])).code).toBe(0);
    expect((await cli(wt, ['check', '--', 'exit 3'])).code).toBe(1);
    const work = git(dir, 'rev-parse', `refs/sessions/${id}/work`);

    const r = await cli(dir, ['export', id.slice(0, 10), '--branch', 'pr/add-a-b', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({ session: id, branch: 'pr/add-a-b', base, tip: work, previous: null, unchanged: false, squashed: 0, rewritten: 0 });
    expect(git(dir, 'rev-parse', 'pr/add-a-b^{tree}')).toBe(git(dir, 'rev-parse', `refs/sessions/${id}/work^{tree}`));
    expect(git(dir, 'merge-base', 'main', 'pr/add-a-b')).toBe(base);
    expect(trailers(dir, 'main..pr/add-a-b')).toEqual([id, id]);
    expect(git(dir, 'rev-parse', 'main')).toBe(base); // the target did not move

    const body: string = out.prBody;
    expect(body.trimEnd().split('\n').pop()).toBe(`Session-Id: ${id}`);

    // Again: it is this session's export, so nothing moves.
    const again = await cli(dir, ['export', id, '--branch', 'pr/add-a-b', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ unchanged: true, previous: work, tip: work });

    // Without --json the description is all of stdout; --pr-body writes it to a file instead.
    const human = await cli(dir, ['export', id, '--branch', 'pr/add-a-b']);
    expect(human.stdout).toBe(body);
    const file = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-pr-'))), 'body.md');
    const scrub = new Scrub({ repo: dir, pr: dirname(file) }).rule(/\b\d+ ?ms\b/g, '<ms>');
    expect(scrub.run(human)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "branch already up to date: <id1:12> -> pr/add-a-b at <oid2:12> (2 commits on <oid1:12>)
      includes: the branch carries the code (2 commits, each with its message and a Session-Id trailer); the description carries the goal, agent, author, prompts, decisions with the alternatives rejected, checks and files, not the messages, tool output, notes or feedback
      ",
        "stdout": "## Add a and b

      - **Session:** \`<id1>\` (open)
      - **Agent:** claude-code, model opus
      - **Author:** Ada Tester
      - **Branch:** \`pr/add-a-b\`, based on \`main\` at \`<oid1:12>\`

      ### Prompts (1)

      > Please add a.txt
      > and b.txt

      ### Decisions (1)

      1. **two files**: two files is simplest
         - rejected **json**: too heavy
         - rejected **yaml**: nobody asked

      ### Checks (2)

      | command | result | exit code |
      | --- | --- | --- |
      | \`true\` | pass | 0 |
      | \`exit 3\` | **fail** | 3 |

      ### Files changed (2)

      - A \`a.txt\`
      - A \`b.txt\`

      ---

      <sub>Recorded with git-session: \`git session show <id1:12>\`</sub>

      Session-Id: <id1>
      ",
      }
    `);
    const toFile = await cli(dir, ['export', id, '--branch', 'pr/add-a-b', '--pr-body', file]);
    expect(readFileSync(file, 'utf8')).toBe(body);
    expect(scrub.run(toFile)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "branch already up to date: <id1:12> -> pr/add-a-b at <oid2:12> (2 commits on <oid1:12>)
      PR description: <pr>/body.md
      includes: the branch carries the code (2 commits, each with its message and a Session-Id trailer); the description carries the goal, agent, author, prompts, decisions with the alternatives rejected, checks and files, not the messages, tool output, notes or feedback
      ",
      }
    `);
  });

  it('refuses a taken or checked-out branch with exit 1 and bad names with exit 2, writing nothing', async () => {
    const dir = makeRepo();
    const { id } = await sessionWith(dir, 'Add a', { 'a.txt': 'a\n' });
    git(dir, 'branch', 'taken');
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir });
    const seen: Record<string, unknown> = {};
    for (const args of [
      ['--branch', 'taken'],
      ['--branch', 'main'],
      ['--branch', 'main', '--force'],
      ['--branch', 'bad..name'],
      ['--branch', 'has space'],
      ['--branch', 'x.lock'],
      ['--branch', '-dash'],
      ['--branch', ''],
      ['--branch', 'ok', '--push', '-oops'],
      [],
    ]) {
      seen[JSON.stringify(args)] = scrub.run(await cli(dir, ['export', id, ...args]));
      expect(refsSnapshot(dir)).toBe(before);
    }
    seen['--notes --branch x'] = scrub.run(await cli(dir, ['export', '--notes', '--branch', 'x']));
    expect(seen).toMatchInlineSnapshot(`
      {
        "--notes --branch x": {
          "code": 2,
          "stderr": "git-session: export --notes covers every landed session: it takes no id, --branch, --push or --pr-body
      ",
          "stdout": "",
        },
        "["--branch",""]": {
          "code": 2,
          "stderr": "git-session: invalid branch name '': empty
      ",
          "stdout": "",
        },
        "["--branch","-dash"]": {
          "code": 2,
          "stderr": "git-session: unknown option or argument '-dash'; git session export --help
      ",
          "stdout": "",
        },
        "["--branch","bad..name"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'bad..name': contains '..'
      ",
          "stdout": "",
        },
        "["--branch","has space"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'has space': contains one of ' ~^:?*[\\'
      ",
          "stdout": "",
        },
        "["--branch","main","--force"]": {
          "code": 1,
          "stderr": "git-session: branch 'main' is checked out in <repo>; export to another branch
      ",
          "stdout": "",
        },
        "["--branch","main"]": {
          "code": 1,
          "stderr": "git-session: branch 'main' is checked out in <repo>; export to another branch
      ",
          "stdout": "",
        },
        "["--branch","ok","--push","-oops"]": {
          "code": 2,
          "stderr": "git-session: unknown option or argument '-oops'; git session export --help
      ",
          "stdout": "",
        },
        "["--branch","taken"]": {
          "code": 1,
          "stderr": "git-session: branch 'taken' exists and is not an export of session <id1:12>; pick another name or pass --force
      ",
          "stdout": "",
        },
        "["--branch","x.lock"]": {
          "code": 2,
          "stderr": "git-session: invalid branch name 'x.lock': ends with '.' or '.lock'
      ",
          "stdout": "",
        },
        "[]": {
          "code": 2,
          "stderr": "git-session: export needs --branch <name> (or --notes)
      ",
          "stdout": "",
        },
      }
    `);
    // --force takes the branch over.
    const forced = await cli(dir, ['export', id, '--branch', 'taken', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(git(dir, 'rev-parse', 'taken')).toBe(git(dir, 'rev-parse', `refs/sessions/${id}/work`));
  });

  it('exports a synced session as one squashed commit on the current base plus the later commits', async () => {
    const dir = makeRepo();
    const a = await sessionWith(dir, 'A', { 'a.txt': 'a\n' });
    const b = await sessionWith(dir, 'B', { 'b.txt': 'b\n' });
    expect((await cli(dir, ['land', a.id])).code).toBe(0);
    expect((await cli(b.wt, ['sync'])).code).toBe(0);
    writeFile(b.wt, 'c.txt', 'c\n');
    expect((await cli(b.wt, ['snapshot', '-m', 'add c'])).code).toBe(0);
    const main = git(dir, 'rev-parse', 'main');

    const r = await cli(dir, ['export', b.id, '--branch', 'b', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ base: main, squashed: 1, rewritten: 2 });
    expect(r.json().commits).toHaveLength(2);
    expect(git(dir, 'rev-parse', 'b^{tree}')).toBe(git(dir, 'rev-parse', `refs/sessions/${b.id}/work^{tree}`));
    expect(git(dir, 'rev-list', '--count', '--merges', 'b')).toBe('0');
    expect(git(dir, 'rev-parse', 'b~2')).toBe(main);
    expect(trailers(dir, 'main..b')).toEqual([b.id, b.id]);
    expect(git(dir, 'log', '--format=%s', 'main..b')).toBe('add c\nB');
    expect(git(dir, 'diff', '--name-only', 'main', 'b')).toBe('b.txt\nc.txt');
    // Deterministic: a second export makes the same commits, so nothing moves.
    const again = await cli(dir, ['export', b.id, '--branch', 'b', '--json']);
    expect(again.json()).toMatchObject({ unchanged: true, tip: r.json().tip });
    // More work later: the branch is still this session's export, so it is updated.
    writeFile(b.wt, 'd.txt', 'd\n');
    const later = await cli(dir, ['export', b.id, '--branch', 'b', '--json']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.json()).toMatchObject({ unchanged: false, previous: r.json().tip });
    expect(git(dir, 'show', 'b:d.txt')).toBe('d');
    // The target's tip carries A's trailer (it is A's landed commit) but is no export of A:
    // refused even where main is not checked out.
    git(dir, 'checkout', '-q', '--detach');
    const tipBefore = git(dir, 'rev-parse', 'main');
    // a refusal (exit 1), as the README lists it
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['export', a.id, '--branch', 'main']))).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "git-session: branch 'main' exists and is not an export of session <id1:12>; pick another name or pass --force
      ",
        "stdout": "",
      }
    `);
    expect(git(dir, 'rev-parse', 'main')).toBe(tipBefore);
  });

  it('adds the trailer to imported commits and pushes with --push', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'feat');
    writeFile(dir, 'f.txt', 'f\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'plain feature commit');
    git(dir, 'checkout', '-q', 'main');
    const imp = await cli(dir, ['import', 'feat', '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const id = imp.json().id;
    const remote = realpathSync(mkdtempSync(join(tmpdir(), 'gs-remote-')));
    git(remote, 'init', '-q', '--bare');
    const r = await cli(dir, ['export', id, '--branch', 'feat-pr', '--push', remote, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ rewritten: 1, pushed: remote });
    expect(git(dir, 'log', '-1', '--format=%B', 'feat-pr')).toBe(`plain feature commit\n\nSession-Id: ${id}`);
    expect(git(remote, 'rev-parse', 'refs/heads/feat-pr')).toBe(git(dir, 'rev-parse', 'feat-pr'));
    expect(git(dir, 'rev-parse', 'feat')).not.toBe(git(dir, 'rev-parse', 'feat-pr'));
  });
});

describe('addTrailer', () => {
  it('joins an existing trailer block or starts one', () => {
    expect(addTrailer('subject\n', 'Session-Id', 'x')).toBe('subject\n\nSession-Id: x\n');
    expect(addTrailer('subject\n\nbody text\n', 'Session-Id', 'x')).toBe('subject\n\nbody text\n\nSession-Id: x\n');
    expect(addTrailer('subject\n\nSigned-off-by: A <a@b>\n\n', 'Session-Id', 'x')).toBe('subject\n\nSigned-off-by: A <a@b>\nSession-Id: x\n');
    expect(addTrailer('Key: value', 'Session-Id', 'x')).toBe('Key: value\n\nSession-Id: x\n');
  });
});
