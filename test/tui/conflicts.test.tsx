// Issue 20 in the terminal browser: a conflicted session shows each conflicted path with its
// marker ranges, and for the other side the landed session's goal and the decisions that
// touched the path (or the plain commit's subject), from the real browse data of a real repo.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { sessionWith } from '../support/sessions.js';
import { KEY, renderAt } from './render.js';

vi.setConfig({ testTimeout: 120_000 });
afterEach(() => cleanup());

const BASE_TEXT = 'one\ntwo\nthree\nfour\nfive\n';

function baseRepo(): string {
  const dir = makeRepo();
  writeFile(dir, 'f.txt', BASE_TEXT);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'f');
  return dir;
}

const open = (dir: string) => Repo.open({ cwd: dir, clock: Date.now, env: process.env });

/** Opens the only open (here: conflicted) session: `f` filters the list to open ones. */
async function openConflicted(dir: string, goal: string, columns = 100, rows = 30) {
  const r = renderAt(<App data={browseData(open(dir))} />, columns, rows);
  await r.until(goal);
  await r.press('f');
  await r.until(/open/);
  await r.press(KEY.enter);
  await r.until('(c: why)');
  return r;
}

describe('a conflicted session in the browser', () => {
  it("shows the paths and marker ranges, and on c the landed session's goal and decisions beside ours", async () => {
    const dir = baseRepo();
    const a = await sessionWith(dir, 'Shout the first line', { 'f.txt': 'ONE\ntwo\nthree\nfour\nfive\n' });
    expect((await cli(dir, ['decide', 'upper case', '--because', 'the first line is a title', '--rejected', 'title case: too subtle', '--session', a.id])).code).toBe(0);
    const b = await sessionWith(dir, 'Translate the first line', { 'f.txt': 'uno\ntwo\nthree\nfour\nfive\n', 'g.txt': 'mine\n' });
    expect((await cli(dir, ['decide', 'spanish', '--because', 'the audience reads spanish', '--session', b.id])).code).toBe(0);
    expect((await cli(dir, ['land', a.id])).code).toBe(0);
    expect((await cli(b.wt, ['sync'])).code).toBe(1);

    // The data seam gives what `conflicts --json` gives.
    const view = await browseData(open(dir)).conflicts!(b.id);
    expect(view).toEqual((await cli(b.wt, ['conflicts', '--json'])).json().conflicted);

    const r = await openConflicted(dir, 'Translate the first line');
    // The banner under the header: the path and where its markers are.
    expect(r.frame()).toMatch(/^ {2}conflicts f\.txt lines 1-7 {2}\(c: why\)$/m);
    await r.press('c');
    await r.until('conflicts: why each side changed these paths');
    const f = r.frame();
    const landed = git(dir, 'rev-parse', 'main').slice(0, 12);
    expect(f).toMatch(/^ {2}f\.txt {2}lines 1-7$/m);
    expect(f).toContain(`theirs  ${landed} session ${a.id.slice(0, 12)}`);
    expect(f).toContain('Shout the first line');
    expect(f).toMatch(/✓ upper case — the first line is a title/);
    expect(f).toMatch(/✗ title case — too subtle/);
    expect(f).toContain(`ours    session ${b.id.slice(0, 12)} Translate the first line`);
    expect(f).toMatch(/✓ spanish — the audience reads spanish/);
    expect(f).toMatch(/1\/\d+\s*$/m);
    // esc goes back to the timeline, the banner stays.
    await r.press(KEY.escape);
    await r.until(/timeline \d+ events/);
    expect(r.frame()).not.toContain('conflicts: why');
    expect(r.frame()).toContain('  conflicts f.txt lines 1-7');
  });

  it("a plain commit on the other side shows its subject; a session that is not conflicted has no banner and c does nothing", async () => {
    const dir = baseRepo();
    const b = await sessionWith(dir, 'Spanish first line', { 'f.txt': 'uno\ntwo\nthree\nfour\nfive\n' });
    writeFile(dir, 'f.txt', 'eins\ntwo\nthree\nfour\nfive\n');
    git(dir, 'commit', '-q', '-am', 'German first line');
    expect((await cli(b.wt, ['sync'])).code).toBe(1);
    const r = await openConflicted(dir, 'Spanish first line', 80, 24);
    await r.press('c');
    await r.until('plain commit');
    expect(r.frame()).toContain(`theirs  ${git(dir, 'rev-parse', 'main').slice(0, 12)} plain commit German first line`);
    cleanup();

    writeFile(b.wt, 'f.txt', 'uno y eins\ntwo\nthree\nfour\nfive\n');
    const rs = await cli(b.wt, ['resolve', '--json']);
    expect(rs.json(), rs.stderr).toMatchObject({ resolved: [{ path: 'f.txt', how: 'edited' }], remaining: [] });
    expect(await browseData(open(dir)).conflicts!(b.id)).toBeUndefined();
    const r2 = renderAt(<App data={browseData(open(dir))} />, 80, 24);
    await r2.until('Spanish first line');
    await r2.press(KEY.enter);
    await r2.until(/timeline \d+ events/);
    await r2.press('c');
    expect(r2.frame()).toMatch(/^● open {2}Spanish first line/m);
    expect(r2.frame()).not.toContain('(c: why)');
    expect(r2.frame()).not.toContain('conflicts: why');
  });
});
