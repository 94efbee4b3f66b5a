// Keys that reach the app in one read: a fast typist, a held key, `tmux send-keys jjj`, a
// paste. Ink hands a run of text over as one `input`; every key in it must count, and a
// key must act on the screen the previous key left (a paste of "/text⏎⏎" opens the match).
import { afterEach, describe, expect, it, vi } from 'vitest';

import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Key, useInput } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { type KeyInfo, type KeyPress, splitKeys } from '../../src/tui/state/keys.js';
import { App } from '../../src/tui/App.js';
import { NOW, memoryData, richSession, smallData, summary } from './fixtures.js';
import { KEY, renderAt, waitFor } from './render.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(() => cleanup());

function app(data = smallData(), columns = 80, rows = 24) {
  const onExit = vi.fn();
  const r = renderAt(<App data={data} now={() => NOW} onExit={onExit} />, columns, rows);
  return { ...r, data, onExit };
}

const selected = (frame: string) => frame.split('\n').find((l) => l.startsWith('› ')) ?? '';

describe('several keys in one read', () => {
  it('jjj moves three rows, kk two back', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write('jjj');
    await r.until(/4\/13\s*$/m);
    expect(selected(r.frame())).toContain('Goal number 3:');
    r.stdin.write('kk');
    await r.until(/2\/13\s*$/m);
    expect(selected(r.frame())).toContain('Goal number 1:');
  });

  it('f f f cycles the filter three times', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write('fff');
    await r.until('filter: abandoned');
    expect(r.frame()).toContain('4 of 13 sessions');
  });

  it('escape sequences and text in one chunk: ↓ j ↓ moves three rows', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write(`${KEY.down}j${KEY.down}`);
    await r.until(/4\/13\s*$/m);
  });

  it('a pasted "/query⏎" searches, and the next Enter opens the match', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write('/number 7\r');
    await r.until('1 of 13 sessions');
    expect(r.data.calls.search).toEqual(['number 7']);
    r.stdin.write(KEY.enter);
    await r.until('prompt of 01JSESSION000007');
  });

  it('every character of a pasted query reaches the search box, in order', async () => {
    const r = app();
    await r.until('Goal number 3');
    for (const n of [12, 11, 10]) {
      r.stdin.write(`/Goal Number ${n}\r`);
      await r.until(`search: "Goal Number ${n}"`);
      await r.until('1 of 13 sessions');
      expect(r.data.calls.search.at(-1)).toBe(`Goal Number ${n}`);
      r.stdin.write(KEY.escape);
      await r.until(/^git-session {2}13 sessions/);
    }
    expect(r.data.calls.search).toEqual(['Goal Number 12', 'Goal Number 11', 'Goal Number 10']);
  });

  it('"/query⏎⏎" in one chunk waits for the search before Enter opens the match', async () => {
    const sessions = [richSession().summary, ...Array.from({ length: 12 }, (_, i) => summary(i + 1))];
    const r = app(memoryData({ sessions, searchDelay: 150 }));
    await r.until('Goal number 3');
    r.stdin.write('/number 9\r\r');
    await r.until('prompt of 01JSESSION000009');
    expect(r.frame()).toContain('Goal number 9: make the thing 9 faster');
  });

  it('Enter then "]]" opens a session and jumps two events; Tab+Enter opens a diff; "qq" goes back twice', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write('\r]]');
    await r.until('timeline 9 events');
    await waitFor(() => r.frame().split('\n')[5]?.includes('◆ agent'), () => r.frame());
    r.stdin.write('\t\r');
    await r.until('+export class Bloom {}');
    r.stdin.write('jjqq');
    await r.until('13 sessions');
    expect(selected(r.frame())).toContain('Detect landing conflict');
  });

  it('q after other keys in the same chunk still quits, once', async () => {
    const r = app();
    await r.until('Goal number 3');
    r.stdin.write('jjq');
    await waitFor(() => r.onExit.mock.calls.length > 0);
    expect(r.onExit.mock.calls).toEqual([[0]]);
  });
});

// What Ink itself reports for each character typed alone is the oracle for splitKeys.
const FLAGS = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'return', 'escape', 'tab', 'backspace', 'delete', 'ctrl', 'meta', 'shift'] as const;
const norm = ({ input, key }: KeyPress) => ({ input, on: FLAGS.filter((f) => (key as Record<string, unknown>)[f]).join(',') });

function Probe({ onKey }: { onKey: (input: string, key: Key) => void }) {
  useInput(onKey);
  return null;
}

async function probe() {
  const seen: { input: string; key: KeyInfo }[] = [];
  const r = render(<Probe onKey={(input, key) => seen.push({ input, key })} />);
  await new Promise((res) => setTimeout(res, 20)); // useInput subscribes in an effect
  return {
    seen,
    write: (s: string) => r.stdin.write(s),
    unmount: () => r.unmount(),
  };
}

describe('splitKeys', () => {
  it('a chunk splits into exactly the keys Ink reports for its characters typed one by one', async () => {
    const one = await probe();
    const many = await probe();
    // everything a terminal sends without an escape sequence (ctrl-c is Ink's own exit key)
    const char = fc.oneof(
      fc.constantFrom(...'jkqfgG/?[] aZ09é日🚀', '\r', '\n', '\t', '\b', '\u007F', '\u0000', '\u0001', '\u0002', '\u0006', '\u001A', '\u001C'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\u001B') && c !== '\u0003'),
    );
    fc.assert(
      fc.property(fc.array(char, { minLength: 2, maxLength: 12 }), (chars) => {
        const text = chars.join('');
        one.seen.length = 0;
        many.seen.length = 0;
        for (const ch of text) one.write(ch);
        many.write(text);
        expect(many.seen).toHaveLength(1);
        const split = many.seen.flatMap((p) => splitKeys(p.input, p.key)).map(norm);
        expect(split).toEqual(one.seen.map(norm));
      }),
      { numRuns: 300 },
    );
    one.unmount();
    many.unmount();
  });

  it('leaves a key Ink recognised alone', () => {
    expect(splitKeys('', { upArrow: true })).toEqual([{ input: '', key: { upArrow: true } }]);
    expect(splitKeys('q', { meta: true })).toEqual([{ input: 'q', key: { meta: true } }]);
    expect(splitKeys('🚀', {})).toEqual([{ input: '🚀', key: {} }]);
  });
});

describe('several keys in one read, under the production build of React', () => {
  // `git session tui` runs React's production build, where each render is a task of its
  // own: a key handled before the previous key's render lands acts on the old screen
  function run(...steps: string[]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./keys-child.ts', import.meta.url)), ...steps], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production', CI: undefined, CONTINUOUS_INTEGRATION: undefined },
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { searches: string[]; exit: number | null; frame: string };
  }

  it('a pasted "/Goal Number 12⏎⏎" searches for all of it and opens the match; "qq" goes back and quits', () => {
    const r = run('Goal number 3', '/Goal Number 12\r\r', 'prompt of 01JSESSION000012', 'qq');
    expect(r.searches).toEqual(['Goal Number 12']);
    expect(r.exit).toBe(0);
  });

  it('"jjj" then "fff" then "ff" move three rows and cycle the filter round', () => {
    const r = run('Goal number 3', 'jjj', '4/13', 'fff', 'filter: abandoned', 'f', 'filter: requested', 'f', 'filter: all', 'q');
    expect(r.exit).toBe(0);
  });
});
