// The browser over a real repository: what it lists agrees with git and with the CLI.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { browseData, sessionFiles } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { cli, git, makeRepo } from '../support/repo.js';
import { sessionWith } from '../support/sessions.js';
import { KEY, renderAt } from './render.js';

vi.setConfig({ testTimeout: 120_000 });
afterEach(() => cleanup());

const open = (dir: string) => Repo.open({ cwd: dir, clock: Date.now, env: process.env });

describe('files of a session after sync', () => {
  // A and B both write a.txt the same way; B also writes b.txt. A lands, B syncs onto it:
  // against its new base, B's work changes b.txt only.
  async function synced() {
    const dir = makeRepo();
    const a = await sessionWith(dir, 'Session A', { 'a.txt': 'same\n' });
    const b = await sessionWith(dir, 'Session B', { 'a.txt': 'same\n', 'b.txt': 'only B\n' });
    expect((await cli(dir, ['land', a.id])).code).toBe(0);
    const r = await cli(b.wt, ['sync']);
    expect(r.code, r.stderr).toBe(0);
    return { dir, id: b.id };
  }

  it('are the diff between the current base and the work tip, as git says', async () => {
    const { dir, id } = await synced();
    const repo = open(dir);
    const s = await repo.store.readSummary(id);
    const work = git(dir, 'rev-parse', `refs/sessions/${id}/work`);
    const byGit = git(dir, 'diff', '--name-status', s.base, work)
      .split('\n')
      .map((l) => l.split('\t'));
    expect(byGit).toEqual([['A', 'b.txt']]);
    expect(await sessionFiles(repo, id)).toEqual([{ status: 'A', path: 'b.txt' }]);
    expect(await browseData(repo).changedFiles(id)).toEqual(await sessionFiles(repo, id));
  });

  it('the files pane lists that one file', async () => {
    const { dir } = await synced();
    const r = renderAt(<App data={browseData(open(dir))} />, 100, 30);
    await r.until('Session B');
    // newest first: B is on top
    await r.press(KEY.enter);
    await r.until('files 1 ');
    await r.press(KEY.tab);
    await r.until('file 1/1');
    expect(r.frame()).toMatch(/› A b\.txt/);
  });
});
