// The built binary as a shell user meets it: a closed pipe, shell completion through
// git's own bash completion (and zsh), the man page.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HERMETIC, ROOT, makeRepo, spawnBin } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const GIT_COMPLETION = '/usr/share/bash-completion/completions/git';
const binDir = join(ROOT, 'bin');

function sh(cwd: string, script: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...HERMETIC, PATH: `${binDir}:${process.env.PATH}`, ...env } });
}

describe('a closed pipe', () => {
  it('ends log and show --json quietly with 141, as git does', async () => {
    const dir = makeRepo();
    expect((await spawnBin(dir, ['start', 'big output'])).code).toBe(0);
    // ~600 kB of events: far beyond a pipe's 64 kB buffer (--full: long strings are stored apart and shown whole).
    const text = 'line of a long note '.repeat(3000);
    for (let i = 0; i < 10; i++) expect((await spawnBin(dir, ['record', 'note', '-'], { input: text })).code).toBe(0);
    for (const cmd of ['log --full', 'show --json --full', 'log --json --full']) {
      const r = sh(dir, `git-session ${cmd} | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`);
      expect(r.stderr, cmd).toBe('');
      expect(r.stdout, cmd).toBe('status=141\n');
    }
    const one = sh(dir, 'git session log | head -1');
    expect(new Scrub({ repo: dir }).run({ code: one.status ?? -1, stdout: one.stdout, stderr: one.stderr })).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "<time> start    started "big output" on main at <oid1:12>
      ",
      }
    `);
  }, 120_000);
});

describe('shell completion', () => {
  it("completes commands, options, choices and session ids through git's bash completion (_git_session)", async () => {
    expect(existsSync(GIT_COMPLETION), 'git ships its bash completion').toBe(true);
    const dir = makeRepo();
    const id = (await spawnBin(dir, ['start', 'complete me'])).stdout.trim();
    const complete = (line: string) => {
      const words = line.split(' ');
      const script = [
        `source ${GIT_COMPLETION}`,
        'eval "$(git-session completion bash)"',
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
        `COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}`,
        words[0] === 'git' ? '__git_wrap__git_main' : '_git_session_cmd',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const r = sh(dir, script);
      expect(r.stderr, line).toBe('');
      return r.stdout.split('\n').filter(Boolean).map((s) => s.trimEnd());
    };
    expect(complete('git session st')).toEqual(['start', 'status']);
    expect(complete('git session he')).toEqual(['help']);
    expect(complete('git session record ')).toEqual(['prompt', 'message', 'note', 'feedback']);
    expect(complete('git session land --str')).toEqual(['--strategy']);
    expect(complete('git session land --strategy ')).toEqual(['squash', 'merge']);
    expect(complete('git session show ')).toEqual([id]);
    expect(complete(`git session log --session ${id.slice(0, 4)}`)).toEqual([id]);
    expect(complete('git session log --kind de')).toEqual(['decision']);
    expect(complete('git session help sy')).toEqual(['sync']);
    expect(complete('git-session ab')).toEqual(['abandon']);
    expect(complete('git-session record note --ro')).toEqual(['--role']);
  });

  it('prints a zsh script whose _git-session offers the same candidates', () => {
    const z = sh(ROOT, 'git-session completion zsh');
    expect(z.status).toBe(0);
    expect(z.stdout).toContain('#compdef git-session');
    expect(z.stdout).toContain('_git-session()');
    const zsh = spawnSync('zsh', ['--version']);
    if (zsh.error) throw new Error('zsh is needed for this test (.ci/run installs it)');
    // Stub _describe (zsh's completion system needs a terminal): it prints what it was given.
    const r = sh(ROOT, `zsh -c 'eval "$(git-session completion zsh)" 2>/dev/null; _describe() { print -l -- "\${(@P)4}"; }; compdef() { :; }; words=(git-session land --st); CURRENT=3; _git-session'`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('--strategy:one commit, or the work commits under a merge commit\n');
  });
});

describe('help and the manual', () => {
  it('git session help <command> prints what <command> --help prints; the manual is built from the same definitions', async () => {
    const dir = makeRepo();
    const a = await spawnBin(dir, ['help', 'land']);
    const b = await spawnBin(dir, ['land', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('--strategy');
    const man = readFileSync(join(ROOT, 'dist', 'man', 'git-session.1'), 'utf8');
    expect(man).toMatch(/^\.TH GIT\\-SESSION 1/);
    for (const cmd of ['init', 'start', 'record', 'land', 'help', 'completion']) expect(man).toContain(`.SS "git session ${cmd}`);
    expect(man).not.toMatch(/git session hook\b/);
    expect(man).toContain('.SS "git session hooks');
  });

  it('git help session and git session --help open the man page (MANPATH)', () => {
    const root = mkdtempSync(join(tmpdir(), 'gs-man-'));
    mkdirSync(join(root, 'man1'));
    symlinkSync(join(ROOT, 'dist', 'man', 'git-session.1'), join(root, 'man1', 'git-session.1'));
    expect(execFileSync('sh', ['-c', 'command -v man'], { encoding: 'utf8' })).toMatch(/man/);
    for (const args of [['help', 'session'], ['session', '--help']]) {
      const r = spawnSync('git', args, { encoding: 'utf8', env: { ...HERMETIC, PATH: `${binDir}:${process.env.PATH}`, MANPATH: root, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80' } });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/GIT-SESSION\(1\)/);
      expect(r.stdout).toContain('git session land [id]');
    }
  });
});

