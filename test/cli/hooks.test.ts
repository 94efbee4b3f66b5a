import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { payload } from '../support/agents.js';
import { cli, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const MINE = '{\n  // mine\n  "model": "opus"\n}\n';

describe('git session hooks', () => {
  it('install is idempotent; uninstall gives an untouched file back byte for byte, or removes the file it created', async () => {
    const dir = makeRepo();
    writeFile(dir, '.claude/settings.json', MINE);
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['hooks', 'install', 'claude-code']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "added Claude Code live capture to .claude/settings.json: SessionStart, UserPromptSubmit, PostToolUse, PostToolUseFailure, PreCompact, Stop, SessionEnd
        this repository has not adopted sessions yet: run git session init (until then the hook does nothing here)
        record decisions too: git session hooks instructions claude-code >> CLAUDE.md
      ",
      }
    `);
    const installed = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    expect(installed).toContain('// mine');
    expect(scrub.run(await cli(dir, ['hooks', 'install', 'claude-code']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "Claude Code live capture is already in .claude/settings.json
        this repository has not adopted sessions yet: run git session init (until then the hook does nothing here)
        record decisions too: git session hooks instructions claude-code >> CLAUDE.md
      ",
      }
    `);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(installed);
    const u = await cli(dir, ['hooks', 'uninstall', 'claude-code', '--json']);
    expect(u.json()).toMatchObject({ changed: true, restored: true });
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(MINE);
    // A file we created is removed with the directory we made for it.
    expect((await cli(dir, ['hooks', 'install', 'gemini'])).code).toBe(0);
    expect(existsSync(join(dir, '.gemini/settings.json'))).toBe(true);
    expect(scrub.run(await cli(dir, ['hooks', 'uninstall', 'gemini']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "removed Gemini CLI live capture from .gemini/settings.json (the file is back as it was before)
      ",
      }
    `);
    expect(existsSync(join(dir, '.gemini'))).toBe(false);
    expect(scrub.run(await cli(dir, ['hooks', 'uninstall', 'gemini']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "no git-session entries in .gemini/settings.json
      ",
      }
    `);
  });

  it("a file edited since keeps the user's edits and loses only our entries", async () => {
    const dir = makeRepo();
    writeFile(dir, '.codex/config.toml', 'model = "o3"\n');
    expect((await cli(dir, ['hooks', 'install', 'codex'])).code).toBe(0);
    const file = join(dir, '.codex/config.toml');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n[profiles.fast]\nmodel = "gpt-5-mini"\n');
    const u = await cli(dir, ['hooks', 'uninstall', 'codex', '--json']);
    expect(u.json()).toMatchObject({ changed: true, restored: false });
    const left = readFileSync(file, 'utf8');
    expect(left).toContain('[profiles.fast]');
    expect(left).not.toContain('git-session');
    expect(left.startsWith('model = "o3"\n')).toBe(true);
  });

  it('--user edits the settings in the home directory, and status lists every agent and scope', async () => {
    const dir = makeRepo();
    const home = join(dir, 'fake-home');
    mkdirSync(home);
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['hooks', 'install', 'codex', '--user'], { env: { HOME: home, CODEX_HOME: '' } }))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "added Codex live capture to ~/.codex/config.toml: SessionStart, UserPromptSubmit, PostToolUse, PreCompact, Stop, SessionEnd
        Codex asks you to review and trust new hooks before they run (a project .codex/ layer must be trusted too)
        this repository has not adopted sessions yet: run git session init (until then the hook does nothing here)
        record decisions too: git session hooks instructions codex >> AGENTS.md
      ",
      }
    `);
    expect(readFileSync(join(home, '.codex/config.toml'), 'utf8')).toContain('notify = [');
    const st = (await cli(dir, ['hooks', 'status', '--json'], { env: { HOME: home } })).json();
    expect(st.hooks).toHaveLength(6);
    expect(st.hooks.find((h: any) => h.agent === 'codex' && h.scope === 'user')).toMatchObject({ exists: true, notify: 'ours', missing: [] });
    expect(st.hooks.find((h: any) => h.agent === 'claude-code' && h.scope === 'project')).toMatchObject({ exists: false, installed: [] });
    expect(scrub.run(await cli(dir, ['hooks', 'status', 'codex'], { env: { HOME: home } }))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "codex        project  .codex/config.toml: not installed
      codex        user     ~/.codex/config.toml: 6 events; notify
      ",
      }
    `);
  });

  it('refuses a settings file it cannot read as its format, writing nothing', async () => {
    const dir = makeRepo();
    writeFile(dir, '.claude/settings.json', '{ "model": ');
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['hooks', 'install', 'claude-code']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: <repo>/.claude/settings.json is not valid JSON (ValueExpected at offset 11); fix it and run this again
      ",
        "stdout": "",
      }
    `);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe('{ "model": ');
  });

  it('instructions print a block for the agent; a missing agent is a usage error', async () => {
    const dir = makeRepo();
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['hooks', 'instructions', 'gemini']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "## Recording decisions (git-session)

      This repository records Gemini CLI sessions with git-session: prompts, tool calls and
      your messages are captured automatically. Decisions are not: when you choose between
      approaches (a library, a data structure, an API shape, a fix over another), record it
      once, before acting on it:

          git session decide "<what you chose>" --because "<why>" \\
            --rejected "<alternative>: <why not>" --rejected "<another>: <why not>"

      Keep each one to a line or two. Do not record secrets in them.
      ",
      }
    `);
    expect(scrub.run(await cli(dir, ['hooks', 'install']))).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "git-session: hooks install needs an agent: claude-code, codex, gemini
      ",
        "stdout": "",
      }
    `);
  });
});

describe('the agent hook, in-process', () => {
  it('errors go to hooks.log, never to the agent; status counts them', async () => {
    const dir = makeRepo();
    expect((await cli(dir, ['init'])).code).toBe(0);
    const scrub = new Scrub({ repo: dir });
    expect(scrub.run(await cli(dir, ['hook', 'claude-code', 'UserPromptSubmit'], { stdin: '{"session_id": "s1", "cwd": ' }))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "",
      }
    `);
    expect(scrub.run(await cli(dir, ['status']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "no current session in this worktree

      0 open sessions

      1 hook error since <time> (git session hooks status shows them)
      ",
      }
    `);
    expect((await cli(dir, ['status', '--json'])).json().hookErrors.count).toBe(1);
    expect(scrub.run(await cli(dir, ['hooks', 'status']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "claude-code  project  .claude/settings.json: not installed
      claude-code  user     ~/.claude/settings.json: not installed
      codex        project  .codex/config.toml: not installed
      codex        user     ~/.codex/config.toml: not installed
      gemini       project  .gemini/settings.json: not installed
      gemini       user     ~/.gemini/settings.json: not installed

      1 hook error since <time> (<repo>/.git/session/hooks.log); the last:
        <time> claude-code UserPromptSubmit: unreadable payload: Unexpected end of JSON input
      ",
      }
    `);
  });

  it('does nothing in a repository without init', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['hook', 'claude-code', 'UserPromptSubmit'], { stdin: payload('claude-code', 'UserPromptSubmit', { cwd: dir, transcript: '' }) });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await cli(dir, ['list', '--json'])).json().sessions).toEqual([]);
    expect(existsSync(join(dir, '.git/session/hooks.log'))).toBe(false);
  });

  it("attaches to the worktree's current session, and attributes the agent's decisions to it", async () => {
    const dir = makeRepo();
    expect((await cli(dir, ['init'])).code).toBe(0);
    const id = (await cli(dir, ['start', 'my own goal', '--json'])).json().id;
    const p = await cli(dir, ['hook', 'claude-code', 'UserPromptSubmit'], { stdin: payload('claude-code', 'UserPromptSubmit', { cwd: dir, transcript: '' }) });
    expect(p).toMatchObject({ code: 0, stdout: '' });
    // During the agent's turn (or from a command it runs: CLAUDECODE=1), decisions are the agent's.
    const d = await cli(dir, ['decide', 'use a module', '--because', 'small', '--json']);
    expect(d.json().event.agent).toEqual({ name: 'claude-code' });
    const stop = await cli(dir, ['hook', 'claude-code', 'Stop'], { stdin: payload('claude-code', 'Stop', { cwd: dir, transcript: '' }) });
    expect(stop.code).toBe(0);
    expect((await cli(dir, ['decide', 'mine', '--because', 'human', '--json'])).json().event.agent).toBeUndefined();
    expect((await cli(dir, ['decide', 'theirs', '--because', 'agent', '--json'], { env: { CLAUDECODE: '1' } })).json().event.agent).toEqual({ name: 'claude-code' });
    const show = (await cli(dir, ['show', id, '--json'])).json();
    expect(show.session.goal).toBe('my own goal');
    // The Stop payload's last message is kept (no transcript here); nothing changed, so no snapshot.
    expect(show.events.map((e: any) => e.kind)).toEqual(['start', 'prompt', 'decision', 'message', 'decision', 'decision']);
  });

  it('a resumed agent session goes on in its session; a prompt after the session closed starts a new one', async () => {
    const dir = makeRepo();
    expect((await cli(dir, ['init'])).code).toBe(0);
    const vars = { cwd: dir, transcript: '' };
    const hook = (event: string, fixture: string, patch: Record<string, unknown> = {}) =>
      cli(dir, ['hook', 'claude-code', event], { stdin: payload('claude-code', fixture, vars, patch) });
    await hook('UserPromptSubmit', 'UserPromptSubmit');
    const first = (await cli(dir, ['status', '--json'])).json().current.id;
    await cli(dir, ['start', 'something else by hand']);
    // Resumed (the same agent session): it goes on in its own session, not the one now current.
    await hook('SessionStart', 'SessionStart', { source: 'resume' });
    await hook('UserPromptSubmit', 'UserPromptSubmit', { prompt_id: 'p2', prompt: 'carry on' });
    expect((await cli(dir, ['log', first, '--kind', 'prompt', '--json'])).json().events.map((e: any) => e.text)).toEqual([expect.stringMatching(/^Add a greeting module/), 'carry on']);
    await cli(dir, ['abandon', first]);
    const other = (await cli(dir, ['status', '--json'])).json().current.id;
    await hook('UserPromptSubmit', 'UserPromptSubmit', { prompt_id: 'p3', prompt: 'next task' });
    // Its session closed: the worktree's current session is fed instead.
    expect((await cli(dir, ['log', other, '--kind', 'prompt', '--json'])).json().events.map((e: any) => e.text)).toEqual(['next task']);
    await cli(dir, ['abandon', other]);
    await hook('UserPromptSubmit', 'UserPromptSubmit', { prompt_id: 'p4', prompt: 'a fresh start\nwith details' });
    const fresh = (await cli(dir, ['status', '--json'])).json().current;
    expect(fresh).toMatchObject({ goal: 'a fresh start', agent: { name: 'claude-code', model: 'claude-sonnet-4-5-20250929' } });
  });

  it('keeps hooks.log bounded', async () => {
    const dir = makeRepo();
    expect((await cli(dir, ['init'])).code).toBe(0);
    const { HOOK_LOG_MAX, logHookError } = await import('../../src/repo/capture/log.js');
    for (let i = 0; i < 800; i++) await logHookError(join(dir, '.git'), { agent: 'codex', event: 'Stop', error: new Error(`failure ${i} ${'x'.repeat(300)}`) }, Date.now());
    const text = readFileSync(join(dir, '.git/session/hooks.log'), 'utf8');
    expect(text.length).toBeLessThanOrEqual(HOOK_LOG_MAX);
    expect(text.split('\n').filter(Boolean).every((l) => JSON.parse(l).agent === 'codex')).toBe(true);
    expect(text).toContain('failure 799');
  });

  it('says when the file switches the agent\'s hooks off (Codex then gets notify alone)', async () => {
    const dir = makeRepo();
    writeFile(dir, '.codex/config.toml', '[features]\nhooks = false\n');
    writeFile(dir, '.claude/settings.json', '{ "disableAllHooks": true }\n');
    const c = await cli(dir, ['hooks', 'install', 'codex', '--json']);
    expect(c.json()).toMatchObject({ events: [], notify: 'added', hooksOff: true });
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).not.toContain('[[hooks.');
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['hooks', 'install', 'claude-code']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "added Claude Code live capture to .claude/settings.json: SessionStart, UserPromptSubmit, PostToolUse, PostToolUseFailure, PreCompact, Stop, SessionEnd
        hooks are switched off in that file (disableAllHooks is true): nothing is captured until they are on
        this repository has not adopted sessions yet: run git session init (until then the hook does nothing here)
        record decisions too: git session hooks instructions claude-code >> CLAUDE.md
      ",
      }
    `);
    expect((await cli(dir, ['hooks', 'status', '--json'])).json().hooks.filter((h: any) => h.hooksOff).map((h: any) => h.agent)).toEqual(['claude-code', 'codex']);
  });
});
