// Prompt requests through the commands: request, review, record prompt (iterations), run
// (refusals, the confirmation, --exec with a scripted agent), export --request, why.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliEnv } from '../../src/cli/env.js';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';

const KEY = 'AKIA' + 'QW3E5R7T2Y4U6I3O';
const bob = { GIT_AUTHOR_NAME: 'Bob Maintainer', GIT_AUTHOR_EMAIL: 'bob@example.com' };

/** A scripted agent: saves its stdin, GIT_SESSION and cwd next to itself, edits files, exits with `code`. */
function agentScript(code = 0): { cmd: string; dir: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-agent-')));
  const cmd = join(dir, 'agent.sh');
  writeFileSync(
    cmd,
    `#!/bin/sh\ncat > "${dir}/stdin"\nprintf '%s' "$GIT_SESSION" > "${dir}/session"\npwd > "${dir}/cwd"\necho "hello from the agent" >> greeting.txt\necho "agent output"\nexit ${code}\n`,
  );
  chmodSync(cmd, 0o755);
  return { cmd, dir };
}

async function requested(dir: string, args: string[] = ['Add a greeting file']): Promise<string> {
  const r = await cli(dir, ['request', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json().id;
}

async function accepted(dir: string, args?: string[]): Promise<string> {
  const id = await requested(dir, args);
  const r = await cli(dir, ['review', id, '--accept'], { env: bob });
  expect(r.code, r.stderr).toBe(0);
  return id;
}

/** Runs the CLI with stdin and stderr on a (pretend) terminal, typing `answer`. */
async function onTerminal(cwd: string, args: string[], answer: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(answer);
  const env: CliEnv = {
    cwd,
    stdout: { write: (s) => ((stdout += String(s)), true) },
    stderr: { write: (s) => ((stderr += String(s)), true), isTTY: true },
    stdin,
    clock: () => Date.now(),
    env: { ...process.env, ...bob },
  };
  const code = await main(args, env);
  return { code, stdout, stderr };
}

describe('request', () => {
  it('makes a session in state requested holding the redacted prompt, its goal, target and context; no work, not current', async () => {
    const dir = makeRepo();
    writeFile(dir, 'src/app.ts', 'export {};\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'app');
    const r = await cli(dir, ['request', `Greet the user by name\n\nUse the key ${KEY} for the API.`, '--context', 'src/app.ts', '--context', 'README.md']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    const show = (await cli(dir, ['show', id, '--json'])).json();
    expect(show.session).toMatchObject({ state: 'requested', goal: 'Greet the user by name', target: 'main', files: 0, request: { status: 'pending', iterations: 1, context: ['src/app.ts', 'README.md'] } });
    expect(show.session.base).toBe(git(dir, 'rev-parse', 'main'));
    expect(show.session.work).toBeUndefined();
    expect(show.events.map((e: any) => e.kind)).toEqual(['start', 'prompt']);
    expect(show.events[1].text).not.toContain(KEY);
    expect(show.events[1].redacted).toEqual(['aws-access-key']);
    expect(show.request.iterations[0]).toMatchObject({ n: 1, author: 'Ada Tester <ada@example.com>' });
    expect(git(dir, 'cat-file', '-p', `refs/sessions/${id}/meta^{tree}`)).not.toContain(KEY);
    expect((await cli(dir, ['status', '--json'])).json()).toMatchObject({ current: null, requests: { requested: 1, accepted: 0 } });
    // A request holds no work: snapshot and land refuse it.
    expect((await cli(dir, ['snapshot', '--session', id])).code).toBe(1);
    expect((await cli(dir, ['land', id])).stderr).toContain('is a prompt request');
  });

  it('takes the prompt from a Markdown file (its heading is the goal) or stdin, and --goal', async () => {
    const dir = makeRepo();
    writeFileSync(join(dir, 'ask.md'), '\uFEFF# Dark mode\n\nAdd a dark theme to the settings page.\n');
    const fromFile = await requested(dir, ['--from-file', 'ask.md']);
    const s = (await cli(dir, ['show', fromFile, '--json'])).json();
    expect(s.session.goal).toBe('Dark mode');
    expect(s.events[1].text).toBe('# Dark mode\n\nAdd a dark theme to the settings page.\n');
    const viaStdin = (await cli(dir, ['request', '-', '--goal', 'Faster tests', '--json'], { stdin: 'Make the test suite faster\n' })).json();
    expect(viaStdin.session.goal).toBe('Faster tests');
    const long = await requested(dir, ['x'.repeat(200)]);
    expect([...(await cli(dir, ['show', long, '--json'])).json().session.goal]).toHaveLength(72);
  });

  it('refuses bad input with exit 2, writing nothing', async () => {
    const dir = makeRepo();
    writeFileSync(join(dir, 'ask.md'), 'a prompt\n');
    const before = refsSnapshot(dir);
    for (const args of [
      ['request'],
      ['request', '   '],
      ['request', 'p', '--from-file', 'ask.md'],
      ['request', '--from-file', 'missing.md'],
      ['request', 'p', '--context', 'missing.txt'],
      ['request', 'p', '--context', '../outside'],
      ['request', 'p', '--context', '/etc/passwd'],
      ['request', 'p', '--onto', 'nope'],
      ['request', 'p', '--goal', 'two\u0007'],
    ]) {
      const r = await cli(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(refsSnapshot(dir)).toBe(before);
  });
});

describe('review and iterations', () => {
  it('comments, takes the contributor’s next prompt as the next iteration, accepts it, and shows the history in order', async () => {
    const dir = makeRepo();
    const id = await requested(dir, ['Add a greeting']);
    expect((await cli(dir, ['review', id, '--comment', 'Say goodbye too'], { env: bob })).code).toBe(0);
    expect((await cli(dir, ['record', 'prompt', 'Add a greeting and a farewell', '--session', id])).code).toBe(0);
    const acc = await cli(dir, ['review', id.slice(0, 12), '--accept', '--json'], { env: bob });
    expect(acc.code, acc.stderr).toBe(0);
    expect(acc.json().event).toMatchObject({ kind: 'review', verdict: 'accept', reviewer: 'Bob Maintainer <bob@example.com>' });
    expect(acc.json().request).toMatchObject({ status: 'accepted', iterations: 2, reviews: 2 });
    // Accepting what is accepted writes nothing.
    const again = await cli(dir, ['review', id, '--accept', '--json'], { env: bob });
    expect(again.json().event).toBeNull();
    const text = (await cli(dir, ['show', id])).stdout;
    let at = 0;
    for (const part of ['iteration 1 ·', '> Add a greeting', 'comment by Bob Maintainer', 'Say goodbye too', 'iteration 2 ·', '> Add a greeting and a farewell', 'accepted by Bob Maintainer']) {
      const i = text.indexOf(part, at);
      expect(i, `${part} after ${at} in\n${text}`).toBeGreaterThanOrEqual(0);
      at = i + part.length;
    }
    expect(text).toContain('accepted by Bob Maintainer <bob@example.com> (iteration 2 of 2)');
    expect((await cli(dir, ['list', '--state', 'requested'])).stdout).toContain('(request by Ada Tester: accepted, 2 iterations)');
    // A later iteration needs a new review.
    await cli(dir, ['record', 'prompt', 'Add a greeting, a farewell and a wave', '--session', id]);
    expect((await cli(dir, ['show', id, '--json'])).json().session.request.status).toBe('pending');
  });

  it('reject closes the request with its reason; refusals write nothing', async () => {
    const dir = makeRepo();
    const id = await requested(dir);
    const plain = (await cli(dir, ['start', 'ordinary', '--json'])).json().id;
    const before = refsSnapshot(dir);
    for (const [args, code] of [
      [['review', id], 2],
      [['review', id, '--accept', '--comment', 'x'], 2],
      [['review', id, '--reject'], 2],
      [['review', id, '--comment', ''], 2],
      [['review', id, '--comment', 'x', '--reason', 'y'], 2],
      [['review', plain, '--accept'], 2],
      [['review', 'zzzz', '--accept'], 2],
    ] as const) {
      const r = await cli(dir, [...args]);
      expect(r.code, args.join(' ')).toBe(code);
    }
    expect(refsSnapshot(dir)).toBe(before);
    const rej = await cli(dir, ['review', id, '--reject', 'Out of scope for this project', '--json'], { env: bob });
    expect(rej.code, rej.stderr).toBe(0);
    expect(rej.json()).toMatchObject({ state: 'abandoned', request: { status: 'rejected', reason: 'Out of scope for this project' } });
    const closed = refsSnapshot(dir);
    const second = await cli(dir, ['review', id, '--reject', 'again'], { env: bob });
    expect(second.code).toBe(1);
    expect(refsSnapshot(dir)).toBe(closed);
    expect((await cli(dir, ['list', '--state', 'abandoned'])).stdout).toContain('rejected');
    expect((await cli(dir, ['show', id])).stdout).toContain('rejected by Bob Maintainer <bob@example.com>: Out of scope for this project');
  });
});

describe('run', () => {
  it('refuses what is not accepted (exit 1) and what it cannot ask about (exit 2), writing nothing', async () => {
    const dir = makeRepo();
    const pending = await requested(dir);
    const rejected = await requested(dir);
    await cli(dir, ['review', rejected, '--reject', 'no thanks'], { env: bob });
    const changed = await accepted(dir);
    await cli(dir, ['record', 'prompt', 'something else entirely', '--session', changed]);
    const ok = await accepted(dir);
    const plain = (await cli(dir, ['start', 'ordinary', '--json'])).json().id;
    writeFile(dir, 'full/x', 'x');
    const before = refsSnapshot(dir);
    const cases: [string[], number, string][] = [
      [['run', pending, '--exec', 'true', '--yes'], 1, 'is not accepted'],
      [['run', rejected, '--exec', 'true', '--yes'], 1, 'was rejected by Bob Maintainer <bob@example.com>: no thanks'],
      [['run', changed, '--exec', 'true', '--yes'], 1, 'changed since it was accepted (iteration 2 came after iteration 1)'],
      [['run', plain], 2, 'is not a prompt request'],
      [['run', ok, '--exec', 'true'], 2, 'add --yes'],
      [['run', ok, '--exec', '  ', '--yes'], 2, '--exec needs'],
      [['run', ok, '--worktree', 'full'], 2, 'is not empty'],
    ];
    for (const [args, code, msg] of cases) {
      const r = await cli(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(msg);
    }
    expect(refsSnapshot(dir)).toBe(before);
    expect(existsSync(join(dir, '.git/session/worktrees'))).toBe(false);
  });

  it('asks on a terminal before an agent runs: no runs nothing, yes runs it', async () => {
    const dir = makeRepo();
    const id = await accepted(dir, ['Add a greeting']);
    const agent = agentScript();
    const before = refsSnapshot(dir);
    const no = await onTerminal(dir, ['run', id, '--exec', agent.cmd], 'n\n');
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('  > Add a greeting');
    expect(no.stderr).toContain(`run \`${agent.cmd}\` on this prompt in`);
    expect(no.stderr).toContain('not run: nothing was written');
    expect(refsSnapshot(dir)).toBe(before);
    expect(existsSync(join(agent.dir, 'stdin'))).toBe(false);
    const yes = await onTerminal(dir, ['run', id, '--exec', agent.cmd], 'y\n');
    expect(yes.code, yes.stderr).toBe(0);
    expect(readFileSync(join(agent.dir, 'stdin'), 'utf8')).toBe('Add a greeting\n');
  });

  it('--exec runs the agent in the session’s worktree at the target’s current tip, the prompt on stdin, then snapshots and records its exit', async () => {
    const dir = makeRepo();
    writeFile(dir, 'src/app.ts', 'export {};\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'app');
    const id = await requested(dir, ['Add a greeting file', '--context', 'src/app.ts']);
    await cli(dir, ['record', 'prompt', 'Add a greeting file, in English', '--session', id]);
    await cli(dir, ['review', id, '--accept', '--reason', 'useful'], { env: bob });
    // The target moves on after the request: the run starts from where it is now.
    writeFile(dir, 'later.txt', 'later\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'later');
    const tip = git(dir, 'rev-parse', 'main');
    const agent = agentScript();
    const r = await cli(dir, ['run', id, '--exec', agent.cmd, '--yes', '--agent', 'scripted', '--json'], { env: bob });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(r.stderr).toContain('agent output'); // with --json the agent's output goes to stderr
    expect(r.stderr).toContain('  > Add a greeting file, in English');
    const wt = out.worktree;
    expect(readFileSync(join(agent.dir, 'stdin'), 'utf8')).toBe('Add a greeting file, in English\n\nFiles this request refers to:\n- src/app.ts\n');
    expect(readFileSync(join(agent.dir, 'session'), 'utf8')).toBe(id);
    expect(readFileSync(join(agent.dir, 'cwd'), 'utf8').trim()).toBe(wt);
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(tip);
    expect(out.session).toMatchObject({ state: 'open', base: tip, files: 1, agent: { name: 'scripted' }, request: { ran: { by: 'Bob Maintainer <bob@example.com>' } } });
    expect(out.exec).toMatchObject({ kind: 'exec', command: agent.cmd, exitCode: 0 });
    expect(out.snapshot.files).toEqual([{ path: 'greeting.txt', status: 'A' }]);
    const kinds = (await cli(dir, ['log', id, '--json'])).json().events.map((e: any) => e.kind);
    expect(kinds).toEqual(['start', 'prompt', 'prompt', 'review', 'run', 'snapshot', 'exec']);
    // Current in its worktree, so the agent's hooks and commands there act on it.
    expect((await cli(wt, ['status', '--json'])).json().current.id).toBe(id);
    // Already run: a review changes nothing (exit 1), run without --exec is refused.
    expect((await cli(dir, ['review', id, '--reject', 'late'], { env: bob })).code).toBe(1);
    expect((await cli(dir, ['run', id])).code).toBe(1);
    // Run again with --exec: in the same worktree, on top of what the first run left.
    const failing = agentScript(3);
    const again = await cli(dir, ['run', id, '--exec', failing.cmd, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('agent failed (exit 3)');
    expect(readFileSync(join(wt, 'greeting.txt'), 'utf8')).toBe('hello from the agent\nhello from the agent\n');
    const last = (await cli(dir, ['log', id, '--kind', 'exec', '--json'])).json().events.pop();
    expect(last).toMatchObject({ exitCode: 3, command: failing.cmd });
  });

  it('without --exec opens the working session and prints the prompt; the request lands and why shows where it came from', async () => {
    const dir = makeRepo();
    const id = await accepted(dir, ['Add a greeting file\n\nPlease keep it short.']);
    const r = await cli(dir, ['run', id, '--worktree', `../${basename(dir)}-wt`], { env: bob });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('accepted by Bob Maintainer <bob@example.com> (iteration 1 of 1)');
    expect(r.stdout).toContain('  > Please keep it short.');
    const wt = join(dir, `../${basename(dir)}-wt`);
    writeFile(wt, 'greeting.txt', 'hello\n');
    expect((await cli(wt, ['land'], { env: bob })).code).toBe(0);
    expect((await cli(dir, ['show', id])).stdout).toMatch(/^from a prompt request by Ada Tester <ada@example.com> on main: run by Bob Maintainer <bob@example.com> at \S+ \(iteration 1 of 1\)$/m);
    const why = await cli(dir, ['why', 'greeting.txt:1']);
    expect(why.stdout).toContain('from a prompt request by Ada Tester <ada@example.com> (accepted by Bob Maintainer <bob@example.com>, run by Bob Maintainer <bob@example.com>)');
    expect(why.stdout).toContain('  > Add a greeting file');
    const w = (await cli(dir, ['why', 'greeting.txt:1', '--json'])).json();
    expect(w.request).toMatchObject({ author: 'Ada Tester <ada@example.com>', iteration: 1, prompt: 'Add a greeting file\n\nPlease keep it short.' });
    const body = (await cli(dir, ['export', id, '--branch', 'pr/greeting'])).stdout;
    expect(body).toContain('- **From a prompt request by** Ada Tester, run by Bob Maintainer');
    expect(body).toContain('### The prompt request (iteration 1 of 1)\n\n> Add a greeting file\n>\n> Please keep it short.');
    expect((await cli(dir, ['list'])).stdout).toMatch(/landed .*\(from a prompt request by Ada Tester\)/);
    expect((await cli(dir, ['export', '--notes'])).code).toBe(0);
    expect(git(dir, 'log', '-1', '--notes=sessions', '--format=%N')).toContain('From a prompt request by Ada Tester <ada@example.com>, run by Bob Maintainer <bob@example.com>');
  });
});

describe('export --request', () => {
  it('writes Markdown for an issue tracker: goal, asker, standing, prompt, files, history, how to run it', async () => {
    const dir = makeRepo();
    const id = await requested(dir, ['Add a *greeting* `file`', '--context', 'README.md']);
    await cli(dir, ['review', id, '--comment', 'Which language?'], { env: bob });
    const r = await cli(dir, ['export', '--request', id.slice(0, 12)]);
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md).toMatch(/^## Add a \\\*greeting\\\* \\`file\\`\n/);
    expect(md).toContain('_A prompt request by **Ada Tester** for `main`: awaiting review._');
    expect(md).toContain('### Prompt (iteration 1 of 1)\n\n> Add a *greeting* `file`');
    expect(md).toContain('- `README.md`');
    expect(md).toContain('- **Comment** by Bob Maintainer');
    expect(md).toContain(`git session run ${id.slice(0, 12)} --exec`);
    expect(md.trimEnd().endsWith(`Session-Id: ${id}`)).toBe(true);
    expect(md).not.toContain('ada@example.com');
    expect((await cli(dir, ['export', id, '--request', '--json'])).json()).toMatchObject({ session: id, markdown: md });
    const plain = (await cli(dir, ['start', 'ordinary', '--json'])).json().id;
    expect((await cli(dir, ['export', '--request', plain])).code).toBe(2);
    expect((await cli(dir, ['export', '--request', id, '--branch', 'x'])).code).toBe(2);
  });
});
