// Damaged sessions in the local refs (written by hand, an older version, a raw fetch):
// listed as damaged with the reason by list, status and the TUI, refused (exit 1) by the
// commands that need them, and never in the way of any other session (issue 9).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createElement } from 'react';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { metaCommit, setRef, summaryOf, ulidAt } from '../support/hostile.js';
import { cli, git, makeRepo, refsSnapshot } from '../support/repo.js';
import { renderAt } from '../tui/render.js';

afterEach(() => cleanup());

async function repoWithDamage() {
  const dir = makeRepo();
  const good = (await cli(dir, ['start', 'the good one', '--json'])).json().id as string;
  await cli(dir, ['record', 'note', 'fine']);
  const base = git(dir, 'rev-parse', 'main');
  const t = Date.parse('2026-01-05T00:00:00Z');
  const mk = (n: number, goal: string) => {
    const id = ulidAt(t + n, `dmg${n}`.padEnd(16, '0'));
    const start = { id: ulidAt(t + n, `st${n}`.padEnd(16, '0')), ts: new Date(t + n).toISOString(), kind: 'start', goal, target: 'main', base, author: 'M <m@example.com>' };
    return { id, start };
  };
  const notJson = mk(1, 'summary not json');
  setRef(dir, `refs/sessions/${notJson.id}/meta`, metaCommit(dir, [notJson.start], '{"format": 1, "id": '));
  const thief = mk(2, 'claims the good id');
  setRef(dir, `refs/sessions/${thief.id}/meta`, metaCommit(dir, [thief.start], summaryOf(good, thief.start, 1)));
  const badChunk = mk(3, 'chunk not json');
  setRef(dir, `refs/sessions/${badChunk.id}/meta`, metaCommit(dir, [badChunk.start, 'garbage'], summaryOf(badChunk.id, badChunk.start, 2)));
  const newer = mk(4, 'from the future');
  setRef(dir, `refs/sessions/${newer.id}/meta`, metaCommit(dir, [newer.start], summaryOf(newer.id, newer.start, 1, { format: 2 })));
  const noStart = mk(5, 'starts with a note');
  setRef(dir, `refs/sessions/${noStart.id}/meta`, metaCommit(dir, [{ ...noStart.start, kind: 'note', text: 'x' }], summaryOf(noStart.id, noStart.start, 1)));
  return { dir, good, notJson: notJson.id, thief: thief.id, badChunk: badChunk.id, newer: newer.id, noStart: noStart.id };
}

describe('damaged sessions', () => {
  it('are listed as damaged with the reason; every other session lists, shows and records', async () => {
    const d = await repoWithDamage();
    for (let round = 0; round < 2; round++) {
      // (the second round reads the damaged rows back from the catalog)
      const l = await cli(d.dir, ['list', '--json']);
      expect(l.code, l.stderr).toBe(0);
      const { sessions, damaged } = l.json();
      expect(sessions.map((s: any) => s.id).sort()).toEqual([d.good, d.badChunk, d.noStart].sort());
      expect(sessions.filter((s: any) => s.id === d.good)).toHaveLength(1);
      expect(sessions.find((s: any) => s.id === d.good).goal).toBe('the good one');
      expect(Object.fromEntries(damaged.map((x: any) => [x.id, x.reason]))).toEqual({
        [d.notJson]: 'session.json is not valid JSON',
        [d.thief]: `session.json names another session (${d.good})`,
        [d.newer]: expect.stringMatching(/stored in format 2; this git-session reads up to 1: upgrade it/),
      });
    }
    const text = await cli(d.dir, ['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${d.thief.slice(0, 12)}  damaged   session.json names another session`));
    const damagedOnly = (await cli(d.dir, ['list', '--state', 'damaged', '--json'])).json();
    expect(damagedOnly.sessions).toEqual([]);
    expect(damagedOnly.damaged).toHaveLength(3);
    const st = await cli(d.dir, ['status']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toMatch(/3 damaged sessions/);
    expect(st.stdout).toMatch(/current session \w+ \(open\): the good one/);

    // Readers of a damaged session refuse it with exit 1 and one line.
    for (const [id, why] of [[d.notJson, /not valid JSON/], [d.thief, /names another session/], [d.badChunk, /line 2 is not valid JSON/], [d.noStart, /first event is a note, not a start/]] as const) {
      for (const cmd of ['show', 'log']) {
        const r = await cli(d.dir, [cmd, id]);
        expect(r.code, `${cmd} ${id}: ${r.stderr}`).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(why);
      }
    }
    // Writers refuse a session whose session.json is unusable: exit 1, nothing written.
    const before = refsSnapshot(d.dir);
    for (const id of [d.notJson, d.thief, d.newer]) {
      for (const args of [['record', 'note', 'x', '--session', id], ['abandon', id], ['snapshot', '--session', id]]) {
        const r = await cli(d.dir, args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(/is damaged/);
      }
    }
    expect(refsSnapshot(d.dir)).toBe(before);
    expect((await cli(d.dir, ['show', d.good, '--json'])).json().events).toHaveLength(2);
    expect((await cli(d.dir, ['record', 'note', 'still works', '--session', d.good])).code).toBe(0);
  });

  it('are named in the terminal browser, which lists every other session', async () => {
    const d = await repoWithDamage();
    const repo = Repo.open({ cwd: d.dir, clock: () => Date.now(), env: process.env });
    const ui = renderAt(createElement(App, { data: browseData(repo), now: () => Date.now(), noColor: true }), 140, 20);
    await ui.until('the good one');
    expect(ui.frame()).toMatch(/3 damaged sessions: \w+/);
    ui.unmount();
  });
});
