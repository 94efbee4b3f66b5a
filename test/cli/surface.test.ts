// What a user sees on the command line: exact stdout, stderr and exit status (inline
// snapshots, session ids scrubbed) for the options and refusals the README promises.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliEnv } from '../../src/cli/env.js';
import { commandLine } from '../../src/core/text.js';
import { cli, git, makeRepo, refsSnapshot, writeFile, type Run } from '../support/repo.js';

/** A run as a snapshot shows it: ids replaced by <id:N> in the order first seen. */
function seen(r: Run, ids: string[]): { code: number; stdout: string; stderr: string } {
  const scrub = (s: string) => {
    let out = s;
    ids.forEach((id, i) => {
      out = out.split(id).join(`<id${i}>`).split(id.slice(0, 12)).join(`<id${i}:12>`);
    });
    return out.replace(/\b[0-9a-f]{40}\b/g, '<oid>').replace(/\b[0-9a-f]{12}\b/g, '<oid:12>');
  };
  return { code: r.code, stdout: scrub(r.stdout), stderr: scrub(r.stderr) };
}

async function start(dir: string, goal: string, extra: string[] = []): Promise<string> {
  const r = await cli(dir, ['start', goal, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('choosing the session', () => {
  it('--session <id> works on every command that acts on one session, and agrees with <id>', async () => {
    const dir = makeRepo();
    const a = await start(dir, 'first');
    const b = await start(dir, 'second');
    writeFile(dir, 'a.txt', 'a\n');
    expect((await cli(dir, ['snapshot', '--session', a])).code).toBe(0);
    for (const argv of [['show', '--json'], ['log', '--json'], ['conflicts', '--json'], ['land', '--dry-run', '--json'], ['sync', '--json']]) {
      const r = await cli(dir, [...argv, '--session', a.slice(0, 10)]);
      expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(0);
      expect(JSON.stringify(r.json()), argv[0]).toContain(a);
      expect(JSON.stringify(r.json()), argv[0]).not.toContain(b);
    }
    const exp = await cli(dir, ['export', '--session', a, '--branch', 'pr/first', '--json']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.json().session).toBe(a);
    expect(seen(await cli(dir, ['show', a, '--session', b]), [a, b])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: two sessions named: '<id0>' and --session '<id1>'; give one
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['abandon']), [a, b])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: abandon needs the session to close: git session abandon <id> (or --session <id>)
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['abandon', '-s', a]), [a, b])).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "abandoned <id0:12>: first
      ",
      }
    `);
  });

  it('a $GIT_SESSION that names no session is the same error for status as for record', async () => {
    const dir = makeRepo();
    const a = await start(dir, 'one');
    const before = refsSnapshot(dir);
    const status = seen(await cli(dir, ['status'], { env: { GIT_SESSION: 'zzzz' } }), [a]);
    const record = seen(await cli(dir, ['record', 'note', 'x'], { env: { GIT_SESSION: 'zzzz' } }), [a]);
    expect(status).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: $GIT_SESSION: no session matches 'zzzz'
      ",
        "stdout": "",
      }
    `);
    expect(record).toEqual(status);
    expect(refsSnapshot(dir)).toBe(before);
    // A valid one picks the session for status too.
    expect((await cli(dir, ['status', '--json'], { env: { GIT_SESSION: a.slice(0, 8) } })).json().current.id).toBe(a);
  });
});

describe('start', () => {
  it('start - reads the goal from stdin, without its line ending', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['start', '-', '--json'], { stdin: 'Goal from a pipe\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().session.goal).toBe('Goal from a pipe');
    const note = await cli(dir, ['record', 'note', '-', '--json'], { stdin: 'one line\n' });
    expect(note.json().event.text).toBe('one line');
  });

  it('--worktree takes its directory optionally, before another option or at the end', async () => {
    const dir = makeRepo();
    const last = await cli(dir, ['start', 'at the end', '--worktree', '--json']);
    expect(last.code, last.stderr).toBe(0);
    const id = last.json().id as string;
    expect(last.json().worktree).toBe(join(dir, '.git', 'session', 'worktrees', id.slice(0, 12)));
    expect(existsSync(join(last.json().worktree, 'README.md'))).toBe(true);
    const mid = await cli(dir, ['start', 'before an option', '--worktree', '--agent', 'x', '--json']);
    expect(mid.code, mid.stderr).toBe(0);
    expect(mid.json().session.agent).toEqual({ name: 'x' });
    expect(basename(mid.json().worktree)).toBe(mid.json().id.slice(0, 12));
    const there = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-wt-'))), 'here');
    const given = await cli(dir, ['start', 'given a dir', '--worktree', there, '--json']);
    expect(given.json().worktree).toBe(there);
    expect(git(dir, 'worktree', 'list').split('\n')).toHaveLength(4);
  });
});

describe('log --kind and other refusals', () => {
  it('refuses an unknown kind with exit 2, naming the kinds', async () => {
    const dir = makeRepo();
    const a = await start(dir, 'one');
    expect(seen(await cli(dir, ['log', '--kind', 'bogus']), [a])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: --kind 'bogus' is not one of: start, prompt, message, decision, note, feedback, check, snapshot, conflict, resolution, undo, land, landing, export, import, sync, abandon, private (git session log --help)
      ",
        "stdout": "",
      }
    `);
    const ok = await cli(dir, ['log', '--kind', 'start', '--kind', 'note', '--json']);
    expect(ok.json().events.map((e: { kind: string }) => e.kind)).toEqual(['start']);
  });

  it('says which option was meant, and which command', async () => {
    const dir = makeRepo();
    expect(seen(await cli(dir, ['record', 'note', 'x', '--sesion', 'y']), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: unknown option or argument '--sesion' (did you mean --session?); git session record --help
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['recrod', 'note']), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: unknown command 'recrod' (did you mean record?); git session --help lists them
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['start']), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: missing <goal>: git session start <goal>
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['record', 'note', 'x', '--line', 'three']), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: --line takes a number (git session record --help)
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['help', 'lnad']), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: unknown command 'lnad' (did you mean land?); git session help lists them
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, []), [])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: say which command to run (git session --help)
      ",
        "stdout": "",
      }
    `);
  });
});

describe('remote failures', () => {
  it('turn simple-git errors into one line and exit 3', async () => {
    const dir = makeRepo();
    const a = await start(dir, 'to nowhere');
    const before = refsSnapshot(dir);
    expect(seen(await cli(dir, ['push', 'nowhere']), [a])).toMatchInlineSnapshot(`
      {
        "code": 3,
        "stderr": "git-session: git push to nowhere failed: fatal: 'nowhere' does not appear to be a git repository
      ",
        "stdout": "",
      }
    `);
    expect(seen(await cli(dir, ['pull', 'nowhere']), [a])).toMatchInlineSnapshot(`
      {
        "code": 3,
        "stderr": "git-session: git fetch from nowhere failed: fatal: 'nowhere' does not appear to be a git repository
      ",
        "stdout": "",
      }
    `);
    writeFile(dir, 'x.txt', 'x\n');
    expect((await cli(dir, ['snapshot'])).code).toBe(0);
    const exp = seen(await cli(dir, ['export', '--branch', 'pr/x', '--push', 'nowhere']), [a]);
    expect(exp.code).toBe(3);
    expect(exp.stderr).toBe("git-session: git push to nowhere failed: fatal: 'nowhere' does not appear to be a git repository\n");
    // The branch was written before the push was tried (exit 3 is git failing, not bad input).
    expect(git(dir, 'rev-parse', '--verify', '-q', 'refs/heads/pr/x')).toMatch(/^[0-9a-f]{40}$/);
    expect(refsSnapshot(dir)).not.toBe(before);
  });
});

describe('wording', () => {
  it('prints a check command quoted as a shell would, and counts in the singular when one', async () => {
    const dir = makeRepo();
    await start(dir, 'quoting');
    writeFile(dir, 'a.txt', 'a\n');
    const c = await cli(dir, ['check', '--', 'python3', '-c', 'import sys; sys.exit(3)']);
    expect(c.code).toBe(1);
    const show = await cli(dir, ['show']);
    expect(show.stdout).toMatch(/^  failed \(exit 3\): python3 -c 'import sys; sys\.exit\(3\)' in \d+ ms on tree [0-9a-f]{12}$/m);
    expect((await cli(dir, ['log'])).stdout).toContain(`python3 -c 'import sys; sys.exit(3)'`);
    expect(commandLine(['echo', "it's", 'a b', 'plain'])).toBe(`echo 'it'\\''s' 'a b' plain`);
    expect(commandLine(['npm test && echo ok'])).toBe('npm test && echo ok');
    const status = await cli(dir, ['status']);
    expect(status.stdout).toMatch(/^  \d+ events, 1 file changed$/m);
  });
});

describe('help', () => {
  it('git session help <command> is <command> --help; help lists help and completion', async () => {
    const dir = makeRepo();
    const a = await cli(dir, ['help', 'abandon']);
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(a.stdout).toBe((await cli(dir, ['abandon', '--help'])).stdout);
    expect(a.stdout).toMatchInlineSnapshot(`
      "git session abandon [id]

      close a session without landing it (nothing is deleted)

      Positionals:
        id  the session to close: id or unique prefix (or --session; never the current
            one by default)                                                   [string]

      Options:
            --reason   why it was abandoned                                   [string]
        -s, --session  session id or unique prefix (default: $GIT_SESSION, then the
                       current session)                                       [string]
            --json     print one JSON document on stdout                     [boolean]
        -V, --version  Show version number                                   [boolean]
        -h, --help     Show help                                             [boolean]

      Exit status: 0 ok; 1 the session has landed; 2 bad input or usage.
      "
    `);
    const all = await cli(dir, ['help']);
    expect(all.stdout).toContain('git session completion [shell]');
    expect(all.stdout).toContain('git session help [command]');
    // The hidden `hook <name>` (what git and agents run) is not listed; `hooks` is.
    expect(all.stdout).not.toMatch(/git session hook\b/);
    expect(all.stdout).toContain('git session hooks <action> [agent]');
  });
});

/** Runs the CLI with stderr a fake terminal (or not), returning what stderr received. */
async function onTerminal(dir: string, argv: string[], tty: boolean, env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let t = 0;
  const e: CliEnv = {
    cwd: dir,
    stdout: { write: (s) => ((stdout += String(s)), true), isTTY: false },
    stderr: { write: (s) => ((stderr += String(s)), true), isTTY: tty },
    clock: () => (t += 1000),
    env: { ...process.env, ...env },
  };
  const code = await main(argv, e);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

describe('progress', () => {
  it('index rebuild and push show progress on a terminal only, never with --json or when piped', async () => {
    const dir = makeRepo();
    for (let i = 0; i < 5; i++) {
      writeFile(dir, `f${i}.txt`, `${i}\n`);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', `c${i}`);
    }
    const tty = await onTerminal(dir, ['index', 'rebuild'], true);
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stderr).toContain('\r\x1b[Kindexing landed changes 1');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect((await onTerminal(dir, ['index', 'rebuild'], false)).stderr).toBe('');
    expect((await onTerminal(dir, ['index', 'rebuild', '--json'], true)).stderr).toBe('');

    const remote = realpathSync(mkdtempSync(join(tmpdir(), 'gs-remote-')));
    execFileSync('git', ['init', '-q', '--bare', remote]);
    git(dir, 'remote', 'add', 'origin', remote);
    await start(dir, 'to push');
    writeFile(dir, 'big.txt', 'x'.repeat(200_000));
    expect((await cli(dir, ['snapshot'])).code).toBe(0);
    const push = await onTerminal(dir, ['push'], true, { NO_COLOR: '1' });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toMatch(/\r\x1b\[K\w+ \[[#.]{24}\] +\d+% \(\d+\/\d+\)/);
    expect(push.stderr).not.toContain('\x1b[36m');
    expect(push.stdout).toMatch(/^pushed 1 session \(2 refs\) to origin\n$/);
  });
});
