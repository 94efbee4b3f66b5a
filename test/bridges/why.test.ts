import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { commitAll, reason } from './helpers.js';
import { sessionWith } from '../support/sessions.js';

describe('why <file>[:<line>]', () => {
  it('goes from a landed line to its commit, session, goal, prompts and decisions', async () => {
    const dir = makeRepo();
    writeFile(dir, 'src/app.txt', 'one\ntwo\nthree\n');
    commitAll(dir, 'plain: add app');
    const s = await sessionWith(dir, 'Shout line two', { 'src/app.txt': 'one\nTWO\nthree\n' }, ['--agent', 'claude-code', '--model', 'opus']);
    await reason(dir, s.id, 'Make line two louder', 'upper case');
    const landed = await cli(dir, ['land', s.id, '--json']);
    expect(landed.code, landed.stderr).toBe(0);
    const commit = landed.json().commit;

    const r = await cli(dir, ['why', 'src/app.txt:2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({ path: 'src/app.txt', line: 2, text: 'TWO', commit: { id: commit, subject: 'Shout line two' } });
    expect(out.session).toMatchObject({ id: s.id, goal: 'Shout line two', state: 'landed', via: 'trailer', agent: { name: 'claude-code', model: 'opus' } });
    expect(out.reasoning.prompts).toEqual(['Make line two louder']);
    expect(out.reasoning.decisions).toEqual([{ chosen: 'upper case', rationale: 'upper case is simplest', rejected: [{ option: 'json', reason: 'too heavy' }, { option: 'yaml', reason: 'nobody asked' }] }]);

    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['why', 'src/app.txt:2']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "src/app.txt:2  <oid1:12>  Shout line two
        Ada Tester <ada@example.com>, <time>
        | TWO

      session <id1> (landed on main as <oid1:12>, squash; found by trailer)
      goal:   Shout line two
      agent:  claude-code (opus)
      author: Ada Tester <ada@example.com>

      Prompts:
        > Make line two louder

      Decisions:
        ✔ upper case: upper case is simplest
          ✘ json: too heavy
          ✘ yaml: nobody asked

      more:   git session show <id1:12>
      ",
      }
    `);

    // Line 1 was a plain commit: said so, exit 0.
    const plain = await cli(dir, ['why', 'src/app.txt:1', '--json']);
    expect(plain.code).toBe(0);
    expect(plain.json()).toMatchObject({ text: 'one', commit: { subject: 'plain: add app' }, session: null, reasoning: null });
    expect(scrub.run(await cli(dir, ['why', 'src/app.txt:3']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "src/app.txt:3  <oid2:12>  plain: add app
        Ada Tester <ada@example.com>, <time>
        | three

      no session recorded this commit: it was made with plain git
      ",
      }
    `);
    // From a subdirectory, and without a line: the last commit touching the file.
    const sub = await cli(`${dir}/src`, ['why', 'app.txt', '--json']);
    expect(sub.code, sub.stderr).toBe(0);
    expect(sub.json()).toMatchObject({ path: 'src/app.txt', line: null, session: { id: s.id } });
    expect((await cli(dir, ['why', 'README.md', '--json'])).json().session).toBeNull();
  });

  it('finds sessions of imported commits, merge-landed work and messages naming a session', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'feat');
    writeFile(dir, 'f1.txt', 'one\n');
    commitAll(dir, 'Add f1');
    writeFile(dir, 'f2.txt', 'two\n');
    commitAll(dir, 'Add f2');
    git(dir, 'checkout', '-q', 'main');
    const imp = await cli(dir, ['import', 'feat', '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    git(dir, 'merge', '-q', '--no-ff', '-m', 'plain merge of feat', 'feat');
    const f1 = (await cli(dir, ['why', 'f1.txt:1', '--json'])).json();
    expect(f1.session).toMatchObject({ id: imp.json().id, via: 'import-event', goal: 'Add f1' });
    expect((await cli(dir, ['why', 'f2.txt:1', '--json'])).json().session).toMatchObject({ id: imp.json().id, via: 'work-tip' });

    const s = await sessionWith(dir, 'merged work', { 'm.txt': 'm\n' });
    expect((await cli(dir, ['land', s.id, '--strategy', 'merge'])).code).toBe(0);
    expect((await cli(dir, ['why', 'm.txt:1', '--json'])).json().session).toMatchObject({ id: s.id, via: 'trailer' });

    writeFile(dir, 'g.txt', 'g\n');
    commitAll(dir, `Squash-merged on a forge\n\n* snapshot\n\nSession-Id: ${s.id}\n\nThanks for the review!`);
    expect((await cli(dir, ['why', 'g.txt', '--json'])).json().session).toMatchObject({ id: s.id, via: 'message' });
    writeFile(dir, 'h.txt', 'h\n');
    commitAll(dir, 'From elsewhere\n\nSession-Id: 01zzzzzzzzzzzzzzzzzzzzzzzz');
    expect(new Scrub({ repo: dir }).keep('01zzzzzzzzzzzzzzzzzzzzzzzz').run(await cli(dir, ['why', 'h.txt']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "h.txt  <oid1:12>  From elsewhere
        Ada Tester <ada@example.com>, <time>

      commit names session 01zzzzzzzzzzzzzzzzzzzzzzzz, which this repository does not have (git session pull?)
      ",
      }
    `);
  });

  it('refuses bad paths, missing files and lines out of range with exit 2 and writes nothing', async () => {
    const dir = makeRepo();
    writeFile(dir, 'dir/x.txt', 'x\n');
    commitAll(dir, 'add dir');
    writeFile(dir, 'untracked.txt', 'u\n');
    const before = refsSnapshot(dir);
    const scrub = new Scrub({ repo: dir });
    const seen: Record<string, unknown> = {};
    for (const target of ['../etc/passwd', '/etc/passwd', 'dir/../../x', 'a\u0001b', 'missing.txt', 'untracked.txt', 'README.md:9', 'README.md:0', 'dir:1', '', '../x']) {
      seen[JSON.stringify(target)] = scrub.run(await cli(dir, ['why', target]));
    }
    expect(seen).toMatchInlineSnapshot(`
      {
        """": {
          "code": 2,
          "stderr": "git-session: say which file: git session why <file>[:<line>]
      ",
          "stdout": "",
        },
        ""../etc/passwd"": {
          "code": 2,
          "stderr": "git-session: path '../etc/passwd' escapes the repository ('..')
      ",
          "stdout": "",
        },
        ""../x"": {
          "code": 2,
          "stderr": "git-session: path '../x' escapes the repository ('..')
      ",
          "stdout": "",
        },
        ""/etc/passwd"": {
          "code": 2,
          "stderr": "git-session: path '/etc/passwd' is absolute; give it relative to the repository
      ",
          "stdout": "",
        },
        ""README.md:0"": {
          "code": 2,
          "stderr": "git-session: line numbers start at 1
      ",
          "stdout": "",
        },
        ""README.md:9"": {
          "code": 2,
          "stderr": "git-session: README.md has only 1 line at HEAD
      ",
          "stdout": "",
        },
        ""a\\u0001b"": {
          "code": 2,
          "stderr": "git-session: path 'a\\x01b' has a control character
      ",
          "stdout": "",
        },
        ""dir/../../x"": {
          "code": 2,
          "stderr": "git-session: path 'dir/../../x' escapes the repository ('..')
      ",
          "stdout": "",
        },
        ""dir:1"": {
          "code": 2,
          "stderr": "git-session: 'dir' is not a file: give a line only for files
      ",
          "stdout": "",
        },
        ""missing.txt"": {
          "code": 2,
          "stderr": "git-session: 'missing.txt' is not in the repository at HEAD
      ",
          "stdout": "",
        },
        ""untracked.txt"": {
          "code": 2,
          "stderr": "git-session: 'untracked.txt' is not in the repository at HEAD
      ",
          "stdout": "",
        },
      }
    `);
    expect(refsSnapshot(dir)).toBe(before);
  });
});
