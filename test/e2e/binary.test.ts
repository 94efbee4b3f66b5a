import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HERMETIC, ROOT, git, makeRepo, spawnBin } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

describe('the built binary', () => {
  it('runs a session end to end with a hermetic environment', async () => {
    const dir = makeRepo();
    const s = await spawnBin(dir, ['start', 'e2e goal', '--agent', 'codex']);
    expect(s.code, s.stderr).toBe(0);
    const id = s.stdout.trim();
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    expect((await spawnBin(dir, ['record', 'prompt', '-'], { input: 'piped prompt\n' })).code).toBe(0);
    const list = await spawnBin(dir, ['list', '--json']);
    expect(list.json().sessions[0]).toMatchObject({ id, goal: 'e2e goal', events: 2, author: 'Ada Tester <ada@example.com>' });
    expect(new Scrub({ repo: dir }).run(await spawnBin(dir, ['show', 'nope']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: no session matches 'n0pe'
      ",
        "stdout": "",
      }
    `);
    const help = await spawnBin(dir, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('start <goal>');
    // Reachable as `git session` when on PATH.
    const viaGit = await new Promise<string>((res) => {
      const c = spawn('git', ['session', 'list', '--json'], { cwd: dir, env: { ...HERMETIC, PATH: `${join(ROOT, 'bin')}:${process.env.PATH}` } });
      let out = '';
      c.stdout.on('data', (b) => (out += b));
      c.on('close', () => res(out));
    });
    expect(JSON.parse(viaGit).sessions[0].id).toBe(id);
  });

  it('8 processes x 100 records on one session keep all 800 events', async () => {
    const dir = makeRepo();
    const id = (await spawnBin(dir, ['start', 'concurrent'])).stdout.trim();
    const script = `
      const { main } = await import(${JSON.stringify(join(ROOT, 'dist/bundle/main.js'))});
      const sink = { write() { return true; } };
      let t = Date.now();
      for (let i = 0; i < 100; i++) {
        const code = await main(['record', 'note', 'w' + process.argv[1] + '-' + i], { cwd: process.cwd(), stdout: sink, stderr: process.stderr, clock: () => t++, env: process.env });
        if (code !== 0) process.exit(code);
      }`;
    const runs = Array.from({ length: 8 }, (_, w) =>
      new Promise<number>((res) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', script, String(w)], { cwd: dir, env: { ...process.env, ...HERMETIC, GIT_SESSION: id }, stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('close', (code) => res(code ?? -1));
      }),
    );
    expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
    const show = await spawnBin(dir, ['show', id, '--json']);
    const notes = show.json().events.filter((e: any) => e.kind === 'note').map((e: any) => e.text);
    expect(notes).toHaveLength(800);
    expect(new Set(notes).size).toBe(800);
    for (let w = 0; w < 8; w++) {
      const mine = notes.filter((n: string) => n.startsWith(`w${w}-`));
      expect(mine).toEqual(Array.from({ length: 100 }, (_, i) => `w${w}-${i}`));
    }
    expect(show.json().session.events).toBe(801);
    expect(git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling')).toBe('');
  }, 240_000);
});
