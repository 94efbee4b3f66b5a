import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { listGeometry } from '../../src/tui/geometry.js';
import { NOW, bigData } from './fixtures.js';
import { KEY, renderAt } from './render.js';

// a loaded CI machine can be slow; each wait below has its own, shorter, limit
vi.setConfig({ testTimeout: 60_000 });

afterEach(() => cleanup());

const rowsOf = (frame: string) => frame.split('\n').filter((l) => /^[› ] (open|landed|abandoned) /.test(l));

describe('10,000 sessions', () => {
  it('the first frame with data holds the first screenful of rows and nothing more; no events are loaded', async () => {
    const data = bigData(10_000);
    const r = renderAt(<App data={data} now={() => NOW} />, 80, 24);
    await r.until('Goal number 0:');
    const { page } = listGeometry({ columns: 80, rows: 24 });
    const rows = rowsOf(r.frame());
    expect(rows).toHaveLength(page);
    expect(rows[0]).toContain('Goal number 0:');
    expect(rows[page - 1]).toContain(`Goal number ${page - 1}:`);
    expect(r.frame()).not.toContain(`Goal number ${page}:`);
    expect(r.frame()).toContain('10000 sessions');
    expect(r.frame().split('\n').length).toBeLessThanOrEqual(23);
    expect(data.calls.listSessions).toBe(1);
    expect(data.calls.loadEvents).toEqual([]);
    expect(data.calls.changedFiles).toEqual([]);
  });

  it('scrolls, pages and jumps to the end rendering only a window; opening loads one session', async () => {
    const data = bigData(10_000);
    const r = renderAt(<App data={data} now={() => NOW} />, 80, 24);
    await r.until('Goal number 0:');
    await r.press('G');
    await r.until('Goal number 9999:');
    expect(rowsOf(r.frame())).toHaveLength(listGeometry({ columns: 80, rows: 24 }).page);
    expect(r.frame()).toContain('10000/10000');
    await r.press(KEY.pageUp, KEY.up);
    expect(r.frame()).toMatch(/› \w+ +Goal number 9982:/);
    await r.press(KEY.enter);
    await r.until('prompt of 01JSESSION009982');
    expect(data.calls.loadEvents).toEqual(['01JSESSION009982']);
    await r.press(KEY.escape);
    await r.until('9983/10000');
    await r.press('f');
    await r.until('3334 of 10000 sessions');
    expect(data.calls.loadEvents).toHaveLength(1);
  });
});
