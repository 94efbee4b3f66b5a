import { describe, expect, it } from 'vitest';
import { writeSessionNotes } from '../../src/repo/bridges/notes.js';
import { Repo } from '../../src/repo/repo.js';
import { cli, git, makeRepo } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';
import { reason } from './helpers.js';
import { sessionWith } from '../support/sessions.js';

const note = (dir: string, commit: string) => git(dir, 'log', '--notes=sessions', '-1', '--format=%N', commit);

describe('export --notes', () => {
  it('writes each landed session as a git note in one commit, idempotently, keeping other notes', async () => {
    const dir = makeRepo();
    const initial = git(dir, 'rev-parse', 'main');
    git(dir, 'notes', '--ref=sessions', 'add', '-m', 'written by hand', initial);
    const a = await sessionWith(dir, 'Add a', { 'a.txt': 'a\n' }, ['--agent', 'claude-code', '--model', 'opus']);
    const b = await sessionWith(dir, 'Add b', { 'b.txt': 'b\n' });
    const open = await sessionWith(dir, 'Still open', { 'c.txt': 'c\n' });
    await reason(dir, a.id, 'Add a file named a', 'plain text');
    expect((await cli(a.wt, ['check', '--', 'true'])).code).toBe(0);
    const la = await cli(dir, ['land', a.id, '--json']);
    const lb = await cli(dir, ['land', b.id, '--json']);
    expect(la.code, la.stderr).toBe(0);
    expect(lb.code, lb.stderr).toBe(0);
    const before = git(dir, 'rev-parse', 'refs/notes/sessions');

    const r = await cli(dir, ['export', '--notes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ written: 2, sessions: 2, ref: 'refs/notes/sessions', missing: [] });
    const tip = git(dir, 'rev-parse', 'refs/notes/sessions');
    expect(git(dir, 'rev-list', '--count', `${before}..${tip}`)).toBe('1'); // one notes commit for all
    const na = note(dir, la.json().commit);
    const scrub = new Scrub({ repo: dir }).rule(/\b\d+ ?ms\b/g, '<ms>');
    expect(scrub.text(na)).toMatchInlineSnapshot(`
      "Add a

      Session: <id1> (landed on main, squash)
      Agent: claude-code (opus)
      Author: Ada Tester <ada@example.com>

      Prompts:
        > Add a file named a

      Decisions:
        * plain text: plain text is simplest
          - rejected json: too heavy
          - rejected yaml: nobody asked

      Checks:
        pass  true (exit 0)

      More: git session show <id1:12>"
    `);
    expect(note(dir, lb.json().commit)).toContain(`Session: ${b.id}`);
    expect(note(dir, initial)).toBe('written by hand');
    expect(git(dir, 'notes', '--ref=sessions', 'list').split('\n')).toHaveLength(3);
    expect(git(dir, 'log', '--notes=sessions', '--format=%N', 'main')).not.toContain(open.id);

    // Twice: nothing new, the ref does not move.
    const again = await cli(dir, ['export', '--notes', '--json']);
    expect(again.json()).toMatchObject({ written: 0, commit: null });
    expect(git(dir, 'rev-parse', 'refs/notes/sessions')).toBe(tip);
    expect(scrub.run(await cli(dir, ['export', '--notes']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "notes up to date (2 landed sessions)
      includes: each landed session's goal, agent, author, prompts, decisions with the alternatives rejected, and checks; not messages or tool output. The notes stay local until you push refs/notes/sessions
      ",
      }
    `);

    // A newly landed session adds exactly its note; the function eject --notes calls agrees.
    expect((await cli(dir, ['land', open.id])).code).toBe(0);
    const repo = Repo.open({ cwd: dir, clock: () => Date.now(), env: process.env });
    expect((await writeSessionNotes(repo)).written).toBe(1);
    expect((await writeSessionNotes(repo)).written).toBe(0);
    expect(note(dir, 'main')).toContain('Still open');
    expect(note(dir, la.json().commit)).toBe(na);
  });

  it('writes nothing when no session has landed', async () => {
    const dir = makeRepo();
    await sessionWith(dir, 'open only', { 'x.txt': 'x\n' });
    const r = await cli(dir, ['export', '--notes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ written: 0, sessions: 0 });
    expect(git(dir, 'for-each-ref', 'refs/notes/')).toBe('');
  });
});
