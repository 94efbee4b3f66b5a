// The walk back covers everything (issue 21): one repository adopts every feature —
// init over a husky-style hooks path with a user pre-push hook, publishing choices per
// remote, agent hooks for all three agents in settings files that already held the
// user's content and comments (and one --user install), sessions landed, abandoned,
// conflicted and private, an archive through gc, an amend and a plain commit through
// the post-rewrite and post-commit hooks, reconcile, a push and a fetch, a landing
// through a landing server (land --remote) — then `eject`
// (and `eject --notes --purge`), and the repository is compared with a copy taken
// before `init`: config and hooks byte for byte, every settings file byte for byte,
// refs, the working tree and the index. `--dry-run` first must change nothing at all.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';

const CLAUDE = `{
  // the team's permissions
  "permissions": { "allow": ["Bash(npm test)"] }, /* keep */
  "hooks": {
    "Stop": [ { "hooks": [ { "type": "command", "command": "notify-send done" } ] } ]
  }
}
`;
const CODEX = `# my Codex settings
model = "o3"  # the one I pay for

[profiles.work]
model = "o4-mini"
`;
const GEMINI = `{
  // Gemini CLI, untracked on purpose
  "theme": "GitHub",
  "hooksConfig": { "enabled": true }
}
`;
const SETTINGS = ['.claude/settings.json', '.codex/config.toml', '.gemini/settings.json'];

/** Every file under `dir` with its mode and bytes. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${f}/`);
      else out[rel + f] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'base64')}`;
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

function refs(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of git(dir, 'for-each-ref', '--format=%(refname) %(objectname)').split('\n').filter(Boolean)) {
    const [r, o] = l.split(' ');
    m.set(r, o);
  }
  return m;
}

const pick = (m: Map<string, string>, keep: (ref: string) => boolean) => [...m].filter(([r]) => keep(r)).sort();
/** Refs the user's own work moves (landing, committing, pushing). */
const userWork = (r: string) => /^refs\/(heads|tags|remotes)\//.test(r);

/** What is compared before init and after eject. */
function capture(dir: string) {
  return {
    config: readFileSync(join(dir, '.git/config'), 'utf8'),
    gitHooks: tree(join(dir, '.git/hooks')),
    husky: tree(join(dir, '.husky')),
    settings: Object.fromEntries(SETTINGS.map((f) => [f, existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'base64') : null])),
    settingsDirs: ['.claude', '.codex', '.gemini', '.agents'].filter((d) => existsSync(join(dir, d))),
    refs: refs(dir),
    status: git(dir, 'status', '--porcelain=v2', '--untracked-files=all'),
    index: git(dir, 'ls-files', '-s'),
    gitDir: readdirSync(join(dir, '.git')).sort(),
  };
}

function run(dir: string, args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

function bare(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'gs-eject-remote-')));
  git(d, 'init', '-q', '--bare', '-b', 'main');
  return d;
}

/** The repository as a user had it before git-session: remotes, husky's hooks path, agent settings, work in progress. */
function userRepo(log: string) {
  const dir = makeRepo('gs-eject-');
  const origin = bare();
  const backup = bare();
  const lander = bare();
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'remote', 'add', 'backup', backup);
  git(dir, 'remote', 'add', 'lander', lander);
  writeFile(dir, '.gitignore', '.husky/_\n');
  writeFile(dir, '.claude/settings.json', CLAUDE);
  writeFile(dir, '.codex/config.toml', CODEX);
  writeFile(dir, '.husky/pre-push', 'echo husky >/dev/null\n');
  git(dir, 'add', '.gitignore', '.claude', '.codex', '.husky');
  git(dir, 'commit', '-q', '-m', 'project settings');
  git(dir, 'push', '-q', 'origin', 'main');
  git(dir, 'push', '-q', 'lander', 'main');
  // husky v9: core.hooksPath=.husky/_ with the user's pre-push logging each run.
  mkdirSync(join(dir, '.husky/_'), { recursive: true });
  writeFileSync(join(dir, '.husky/_/pre-push'), `#!/bin/sh\necho "pre-push $1" >> '${log}'\n`);
  chmodSync(join(dir, '.husky/_/pre-push'), 0o755);
  git(dir, 'config', 'core.hooksPath', '.husky/_');
  // The user's own settings of git-session's knobs (theirs: they stay), work in progress, a tag, a note, a stash.
  git(dir, 'config', 'session.archiveAfter', '0');
  writeFile(dir, '.gemini/settings.json', GEMINI);
  git(dir, 'tag', 'v1');
  git(dir, 'notes', 'add', '-m', 'a note of mine', 'HEAD');
  writeFile(dir, 'README.md', '# test\nstashed\n');
  git(dir, 'stash', '-q');
  writeFile(dir, 'README.md', '# test\nwork in progress\n');
  writeFile(dir, 'scratch.txt', 'untracked, mine\n');
  return { dir, origin, backup, lander };
}

async function ok(dir: string, args: string[], env?: Record<string, string>) {
  const r = await cli(dir, args, { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** Starts a session in its own worktree, writes files there, and returns its id and worktree. */
async function inWorktree(dir: string, goal: string, files: Record<string, string>) {
  const s = (await ok(dir, ['start', goal, '--worktree', '', '--json'])).json();
  for (const [f, t] of Object.entries(files)) writeFile(s.worktree, f, t);
  return { id: s.id as string, wt: s.worktree as string };
}

/** Every feature, in one repository. */
async function adoptEverything(dir: string, home: string, log: string, lander: string) {
  const env = { HOME: home };
  await ok(lander, ['server', 'init']);
  await ok(dir, ['init', '--publish', 'never']);
  git(dir, 'config', 'remote.origin.sessions', 'push'); // a consent choice made after init
  git(dir, 'config', 'remote.lander.sessions', 'push');
  for (const a of ['claude-code', 'codex', 'gemini']) await ok(dir, ['hooks', 'install', a], env);
  await ok(dir, ['hooks', 'install', 'claude-code', '--user'], env);
  // Landed (and archived by the auto gc after land: session.archiveAfter = 0).
  const landed = await inWorktree(dir, 'landed work', { 'feature.txt': 'one\n', 'shared.txt': 'base\n' });
  await ok(landed.wt, ['decide', 'plain text', '--because', 'simplest']);
  await ok(landed.wt, ['land']);
  // Landed through a landing server (land --remote: request and verdict refs).
  const served = await inWorktree(dir, 'landed through the server', { 'served.txt': 'served\n' });
  await ok(served.wt, ['land', '--remote', 'lander', '--no-wait']);
  await ok(served.wt, ['land', '--remote', 'lander']); // asks again: the verdict ref is fetched
  // Abandoned.
  const gone = await inWorktree(dir, 'abandoned work', { 'nope.txt': 'no\n' });
  await ok(gone.wt, ['snapshot']);
  await ok(dir, ['abandon', gone.id]);
  // Conflicted: two sessions change shared.txt; the second's sync conflicts, then is resolved.
  const a = await inWorktree(dir, 'first edit', { 'shared.txt': 'A\n' });
  const b = await inWorktree(dir, 'second edit', { 'shared.txt': 'B\n' });
  await ok(a.wt, ['land']);
  await ok(b.wt, ['snapshot']);
  expect((await cli(b.wt, ['sync'])).code).toBe(1);
  expect((await cli(dir, ['show', b.id, '--json'])).json().session.state).toBe('conflicted');
  // Private and open.
  const secret = await inWorktree(dir, 'private work', { 'private.txt': 'mine\n' });
  await ok(secret.wt, ['snapshot']);
  await ok(dir, ['private', secret.id]);
  // Exported as a plain branch (the branch is the user's: eject leaves it).
  const exported = await inWorktree(dir, 'exported work', { 'exported.txt': 'for review\n' });
  await ok(exported.wt, ['snapshot']);
  await ok(dir, ['export', exported.id, '--branch', 'review/exported']);
  // A prompt request: asked, accepted, run in its own worktree by an agent command, and one still pending.
  const asked = (await ok(dir, ['request', 'Add a greeting to greeting.txt', '--json'])).json().id as string;
  await ok(dir, ['review', asked, '--accept']);
  const ran = (await ok(dir, ['run', asked, '--exec', 'echo hello > greeting.txt', '--yes', '--json'])).json();
  await ok(dir, ['request', 'A request nobody answered']);
  await ok(dir, ['gc']);
  // Plain git through the hooks: a commit (post-commit), an amend (post-rewrite), reconcile, a push and a fetch.
  writeFile(dir, 'plain.txt', 'plain\n');
  git(dir, 'add', 'plain.txt');
  expect(run(dir, ['commit', '-q', '-m', 'plain commit']).code).toBe(0);
  expect(run(dir, ['commit', '-q', '--amend', '-m', 'plain commit, amended']).code).toBe(0);
  await ok(dir, ['reconcile']);
  const push = run(dir, ['push', '-q', 'origin', 'main']);
  expect(push.code, push.out).toBe(0);
  expect(run(dir, ['push', '-q', 'backup', 'main']).code).toBe(0);
  await ok(dir, ['push', 'origin']); // the archive goes with git session push
  git(dir, 'fetch', '-q', 'origin');
  return { conflicted: b, landed, secret, request: { id: asked, wt: ran.worktree as string } };
}

describe('eject undoes every change git-session made', () => {
  it('plain eject: config, hooks, agent settings byte for byte; refs/sessions/ kept; --dry-run changes nothing; idempotent', async () => {
    const log = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-eject-log-'))), 'log');
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'gs-eject-home-')));
    const { dir, origin, backup, lander } = userRepo(log);
    const serverBefore = tree(lander);
    const before = capture(dir);
    const s = await adoptEverything(dir, home, log, lander);
    expect(readFileSync(log, 'utf8')).toContain('pre-push origin');
    expect(git(dir, 'for-each-ref', 'refs/session-land/')).not.toBe('');
    expect(git(origin, 'for-each-ref', 'refs/sessions/')).not.toBe('');
    expect(git(backup, 'for-each-ref', 'refs/sessions/')).toBe('');
    const userClaude = readFileSync(join(home, '.claude/settings.json'), 'utf8');
    for (const w of [s.landed.wt, s.conflicted.wt, s.secret.wt, s.request.wt]) expect(existsSync(w), w).toBe(true);
    expect(readFileSync(join(s.request.wt, 'greeting.txt'), 'utf8')).toBe('hello\n');

    // A session worktree with the user's changes stops it before anything changes.
    const everything = () => ({ repo: tree(dir), wts: tree(join(dir, '.git/session/worktrees')) });
    const held = everything();
    const refused = await cli(dir, ['eject']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(s.conflicted.wt);
    expect(everything()).toEqual(held);
    writeFile(s.conflicted.wt, 'shared.txt', 'A and B\n');
    await ok(s.conflicted.wt, ['resolve']);

    const mid = capture(dir);
    // Adoption changed every one of these (else the comparisons below would prove nothing).
    expect(mid.config).not.toBe(before.config);
    for (const f of SETTINGS) expect(mid.settings[f], f).not.toBe(before.settings[f]);
    expect(mid.status).not.toBe(before.status);
    expect(pick(mid.refs, (r) => r.startsWith('refs/session-remotes/')).length).toBeGreaterThan(0);
    const whole = tree(dir);
    const dry = await ok(dir, ['eject', '--dry-run']);
    expect(tree(dir)).toEqual(whole);
    expect(capture(dir)).toEqual(mid);
    const dryJson = (await ok(dir, ['eject', '--dry-run', '--json'])).json();
    expect(dryJson.dryRun).toBe(true);

    const r = (await ok(dir, ['eject', '--json'], { HOME: home })).json();
    // The dry run listed exactly what eject did.
    expect(dryJson.changed).toEqual(r.changed.map((l: string) => 'would ' + l.replace(/^(removed|deleted|restored|wrote)\b/, (w) => ({ removed: 'remove', deleted: 'delete', restored: 'restore', wrote: 'write' })[w]!)));
    expect(dry.stdout.split('\n')[0]).toMatch(/^would /);
    const after = capture(dir);
    expect(after.config).toBe(before.config);
    expect(after.gitHooks).toEqual(before.gitHooks);
    expect(after.husky).toEqual(before.husky);
    expect(after.settings).toEqual(before.settings);
    expect(after.settingsDirs).toEqual(before.settingsDirs);
    expect(after.status).toBe(before.status);
    expect(after.index).toBe(mid.index);
    expect(pick(after.refs, userWork)).toEqual(pick(mid.refs, userWork));
    expect(after.refs.has('refs/heads/review/exported')).toBe(true);
    expect(pick(after.refs, (r) => r.startsWith('refs/sessions/'))).toEqual(pick(mid.refs, (r) => r.startsWith('refs/sessions/')));
    expect(pick(after.refs, (r) => !userWork(r) && !r.startsWith('refs/sessions/'))).toEqual(pick(before.refs, (r) => !userWork(r)));
    // Only git's own files of the user's fetch and amend are new in .git/ (not rr-cache, MERGE_RR, session, worktrees).
    expect(mid.gitDir).toEqual(expect.arrayContaining(['session', 'worktrees', 'rr-cache']));
    expect(after.gitDir.filter((f) => !before.gitDir.includes(f)).filter((f) => !['FETCH_HEAD', 'ORIG_HEAD'].includes(f))).toEqual([]);
    expect(r.changed.filter((l: string) => l.startsWith('restored .'))).toHaveLength(3);
    expect(after.gitDir).not.toContain('session');
    expect(after.gitDir).not.toContain('worktrees');
    expect(after.gitDir).not.toContain('rr-cache');
    for (const w of [s.landed.wt, s.conflicted.wt, s.secret.wt, s.request.wt]) expect(existsSync(w)).toBe(false);
    // The --user install serves every repository: named with its command, left as it is.
    expect(readFileSync(join(home, '.claude/settings.json'), 'utf8')).toBe(userClaude);
    expect(r.kept).toEqual(expect.arrayContaining([expect.objectContaining({ what: join(home, '.claude/settings.json'), command: 'git session hooks uninstall claude-code --user' })]));
    expect(r.kept).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'git session eject --purge' })]));

    // The landing server: eject refuses there (its queue and hooks are server eject's); server eject walks it back.
    const onServer = await cli(lander, ['eject']);
    expect(onServer.code).toBe(1);
    expect(onServer.stderr).toContain('git session server eject');
    await ok(lander, ['server', 'eject']);
    const served = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([f]) => !/^(objects|refs|logs)\/|^packed-refs$/.test(f)));
    expect(served(tree(lander))).toEqual(served(serverBefore));
    // Plain git as before: the user's husky hook decides a push, and nothing of ours runs.
    writeFile(dir, 'after.txt', 'after\n');
    git(dir, 'add', 'after.txt');
    expect(run(dir, ['commit', '-q', '-m', 'after eject']).code).toBe(0);
    const pushed = run(dir, ['push', '-q', 'origin', 'main']);
    expect(pushed.code, pushed.out).toBe(0);
    expect(pushed.out).toBe('');
    expect(readFileSync(log, 'utf8').trim().split('\n').pop()).toBe('pre-push origin');
    git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    // Idempotent.
    expect((await ok(dir, ['eject', '--json'], { HOME: home })).json().changed).toEqual([]);
    const u = await ok(dir, ['hooks', 'uninstall', 'claude-code', '--user'], { HOME: home });
    expect(u.stdout).toContain('the file is back as it was before');
  });

  it('eject --notes --purge: the same walk back, refs/sessions/ gone (archive and all), the reasoning kept as notes', async () => {
    const log = join(realpathSync(mkdtempSync(join(tmpdir(), 'gs-eject-log-'))), 'log');
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'gs-eject-home-')));
    const { dir, lander } = userRepo(log);
    const before = capture(dir);
    const s = await adoptEverything(dir, home, log, lander);
    await ok(dir, ['export', '--notes']);
    writeFile(s.conflicted.wt, 'shared.txt', 'B and A\n');
    await ok(s.conflicted.wt, ['resolve']);
    const archived = git(dir, 'for-each-ref', '--format=%(refname)', 'refs/sessions/archive/');
    expect(archived).not.toBe('');
    const mid = capture(dir);
    const r = (await ok(dir, ['eject', '--notes', '--purge', '--json'], { HOME: home })).json();
    expect(r.purgedRefs).toBeGreaterThan(0);
    const after = capture(dir);
    expect(after.config).toBe(before.config);
    expect(after.gitHooks).toEqual(before.gitHooks);
    expect(after.husky).toEqual(before.husky);
    expect(after.settings).toEqual(before.settings);
    expect(after.settingsDirs).toEqual(before.settingsDirs);
    expect(after.status).toBe(before.status);
    expect(after.index).toBe(mid.index);
    expect(pick(after.refs, userWork)).toEqual(pick(mid.refs, userWork));
    expect(pick(after.refs, (r) => !userWork(r) && r !== 'refs/notes/sessions')).toEqual(pick(before.refs, (r) => !userWork(r)));
    expect(after.gitDir.filter((f) => !before.gitDir.includes(f)).filter((f) => !['FETCH_HEAD', 'ORIG_HEAD'].includes(f))).toEqual([]);
    expect(git(dir, 'for-each-ref', 'refs/sessions/')).toBe('');
    // The landed (and archived) session's reasoning reads with plain git.
    const landedCommit = git(dir, 'log', '--format=%H', '--grep', `Session-Id: ${s.landed.id}`, 'main');
    expect(git(dir, 'notes', '--ref=sessions', 'show', landedCommit)).toContain('landed work');
    expect(git(dir, 'log', '--notes=sessions', '-1', landedCommit)).toContain('plain text');
    // The private session left no note.
    expect(git(dir, 'log', '--notes=sessions', '--format=%N', 'main')).not.toContain('private work');
    expect((await ok(dir, ['eject', '--notes', '--purge', '--json'], { HOME: home })).json().changed).toEqual(['wrote 0 session notes to refs/notes/sessions']);
  });
});
