// Prompt requests in the browser: the `requested` filter, the header saying who asked (and
// the prompt), the timeline naming iterations, reviews, the run and the agent's exit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { layoutTimeline } from '../../src/tui/timeline.js';
import { lineText } from '../../src/tui/lines.js';
import { cli, makeRepo } from '../support/repo.js';
import { KEY, renderAt } from './render.js';

vi.setConfig({ testTimeout: 120_000 });
afterEach(() => cleanup());

const bob = { GIT_AUTHOR_NAME: 'Bob Maintainer', GIT_AUTHOR_EMAIL: 'bob@example.com' };

describe('prompt requests in the browser', () => {
  it('filters requests, says who asked with the prompt, and names iterations, reviews and the run', async () => {
    const dir = makeRepo();
    const waiting = (await cli(dir, ['request', 'Translate the README', '--json'])).json().id;
    const id = (await cli(dir, ['request', 'Add a greeting', '--json'])).json().id;
    await cli(dir, ['review', id, '--comment', 'Say goodbye too'], { env: bob });
    await cli(dir, ['record', 'prompt', 'Add a greeting and a farewell', '--session', id]);
    await cli(dir, ['review', id, '--accept'], { env: bob });
    expect((await cli(dir, ['run', id], { env: bob })).code).toBe(0);
    const now = Date.now();
    const r = renderAt(<App data={browseData(Repo.open({ cwd: dir, clock: () => now, env: process.env }))} now={() => now} />, 150, 40);
    await r.until('Translate the README');
    await r.press('f', 'f', 'f', 'f');
    await r.until('filter: requested');
    expect(r.frame()).toMatch(/^› requested +Translate the README/m);
    expect(r.frame()).not.toContain('Add a greeting');
    await r.press(KEY.enter);
    await r.until('prompt request by Ada Tester (awaiting review): Translate the README');
    await r.press(KEY.escape, 'f');
    await r.until('filter: all');
    await r.until(/^› open +Add a greeting/m);
    await r.press(KEY.enter);
    await r.until('from a prompt request by Ada Tester (run by Bob Maintainer): Add a greeting and a farewell');
    const f = r.frame();
    expect(f).toContain('▶ request prompt, iteration 1 by Ada Tester');
    expect(f).toContain('✉ review comment by Bob Maintainer (iteration 1)');
    expect(f).toContain('▶ request prompt, iteration 2 by Ada Tester');
    expect(f).toContain('✓ accepted by Bob Maintainer (iteration 2)');
    expect(f).toMatch(/▷ run by Bob Maintainer at [0-9a-f]{12}/);
    expect(waiting).not.toBe(id);
  });

  it('lays out an agent run: its exit, duration and command', () => {
    const ts = '2025-06-01T12:00:00.000Z';
    const exec = { id: 'e1', ts, kind: 'exec', command: 'claude -p', exitCode: 2, durationMs: 61_000, tree: 'a'.repeat(40) } as const;
    const text = layoutTimeline([exec], 80, { expand: false }).lines.map(lineText).join('\n');
    expect(text).toContain('✗ agent  exit 2  1m1s  $ claude -p');
  });
});
