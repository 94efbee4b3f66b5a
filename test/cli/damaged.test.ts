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
import { Scrub } from '../support/snapshot.js';
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
    const scrub = new Scrub({ repo: d.dir });
    expect(scrub.run(await cli(d.dir, ['list']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "* <id1:12>  open        3s      2 ev    0 files  the good one
        <id2:12>  open       55d      1 ev    0 files  starts with a note
        <id3:12>  open       55d      2 ev    0 files  chunk not json
        <id4:12>  damaged   stored in format 2; this git-session reads up to 1: upgrade it
        <id5:12>  damaged   session.json names another session (<id1>)
        <id6:12>  damaged   session.json is not valid JSON
      ",
      }
    `);
    const damagedOnly = (await cli(d.dir, ['list', '--state', 'damaged', '--json'])).json();
    expect(damagedOnly.sessions).toEqual([]);
    expect(damagedOnly.damaged).toHaveLength(3);
    expect(scrub.run(await cli(d.dir, ['status']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "current session <id1:12> (open): the good one
        target main, base <oid1:12>, no snapshot yet
        2 events, 0 files changed

      3 open sessions
      * <id1:12>  open        5s      2 ev    0 files  the good one
        <id2:12>  open       55d      1 ev    0 files  starts with a note
        <id3:12>  open       55d      2 ev    0 files  chunk not json

      3 damaged sessions
        <id4:12>  damaged   stored in format 2; this git-session reads up to 1: upgrade it
        <id5:12>  damaged   session.json names another session (<id1>)
        <id6:12>  damaged   session.json is not valid JSON
      ",
      }
    `);

    // Readers of a damaged session refuse it with exit 1 and one line.
    const readers: Record<string, unknown> = {};
    for (const [id, name] of [[d.notJson, 'notJson'], [d.thief, 'thief'], [d.badChunk, 'badChunk'], [d.noStart, 'noStart']] as const) {
      for (const cmd of ['show', 'log']) readers[`${cmd} ${name}`] = scrub.run(await cli(d.dir, [cmd, id]));
    }
    expect(readers).toMatchInlineSnapshot(`
      {
        "log badChunk": {
          "code": 1,
          "stderr": "git-session: session <id3> is damaged: events/0000/000000.jsonl line 2 is not valid JSON
      ",
          "stdout": "",
        },
        "log noStart": {
          "code": 1,
          "stderr": "git-session: session <id2> is damaged: its first event is a note, not a start
      ",
          "stdout": "",
        },
        "log notJson": {
          "code": 1,
          "stderr": "git-session: session <id6> is damaged: session.json is not valid JSON
      ",
          "stdout": "",
        },
        "log thief": {
          "code": 1,
          "stderr": "git-session: session <id5> is damaged: session.json names another session (<id1>)
      ",
          "stdout": "",
        },
        "show badChunk": {
          "code": 1,
          "stderr": "git-session: session <id3> is damaged: events/0000/000000.jsonl line 2 is not valid JSON
      ",
          "stdout": "",
        },
        "show noStart": {
          "code": 1,
          "stderr": "git-session: session <id2> is damaged: its first event is a note, not a start
      ",
          "stdout": "",
        },
        "show notJson": {
          "code": 1,
          "stderr": "git-session: session <id6> is damaged: session.json is not valid JSON
      ",
          "stdout": "",
        },
        "show thief": {
          "code": 1,
          "stderr": "git-session: session <id5> is damaged: session.json names another session (<id1>)
      ",
          "stdout": "",
        },
      }
    `);
    // Writers refuse a session whose session.json is unusable: exit 1, nothing written.
    const before = refsSnapshot(d.dir);
    const writers: Record<string, unknown> = {};
    for (const [id, name] of [[d.notJson, 'notJson'], [d.thief, 'thief'], [d.newer, 'newer']] as const) {
      for (const args of [['record', 'note', 'x', '--session', id], ['abandon', id], ['snapshot', '--session', id]]) writers[`${args[0]} ${name}`] = scrub.run(await cli(d.dir, args));
    }
    expect(writers).toMatchInlineSnapshot(`
      {
        "abandon newer": {
          "code": 1,
          "stderr": "git-session: session <id4> is damaged: stored in format 2; this git-session reads up to 1: upgrade it
      ",
          "stdout": "",
        },
        "abandon notJson": {
          "code": 1,
          "stderr": "git-session: session <id6> is damaged: session.json is not valid JSON
      ",
          "stdout": "",
        },
        "abandon thief": {
          "code": 1,
          "stderr": "git-session: session <id5> is damaged: session.json names another session (<id1>)
      ",
          "stdout": "",
        },
        "record newer": {
          "code": 1,
          "stderr": "git-session: session <id4> is damaged: stored in format 2; this git-session reads up to 1: upgrade it
      ",
          "stdout": "",
        },
        "record notJson": {
          "code": 1,
          "stderr": "git-session: session <id6> is damaged: session.json is not valid JSON
      ",
          "stdout": "",
        },
        "record thief": {
          "code": 1,
          "stderr": "git-session: session <id5> is damaged: session.json names another session (<id1>)
      ",
          "stdout": "",
        },
        "snapshot newer": {
          "code": 1,
          "stderr": "git-session: session <id4> is damaged: stored in format 2; this git-session reads up to 1: upgrade it
      ",
          "stdout": "",
        },
        "snapshot notJson": {
          "code": 1,
          "stderr": "git-session: session <id6> is damaged: session.json is not valid JSON
      ",
          "stdout": "",
        },
        "snapshot thief": {
          "code": 1,
          "stderr": "git-session: session <id5> is damaged: session.json names another session (<id1>)
      ",
          "stdout": "",
        },
      }
    `);
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
