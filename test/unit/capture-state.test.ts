import { mkdtempSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim, pruneClaims, readState, unclaim, withLock, writeState } from '../../src/repo/capture/state.js';

const dir = () => mkdtempSync(join(tmpdir(), 'gs-agent-state-'));

describe('capture state', () => {
  it('a source id is claimed once; given back, it can be claimed again', async () => {
    const d = dir();
    expect(await claim(d, 'abc')).toBe(true);
    expect(await claim(d, 'abc')).toBe(false);
    await unclaim(d, ['abc']);
    expect(await claim(d, 'abc')).toBe(true);
    // Claims racing each other: exactly one wins.
    const wins = await Promise.all(Array.from({ length: 20 }, () => claim(d, 'race')));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('forgets old claims only', async () => {
    const d = dir();
    await claim(d, 'old');
    await claim(d, 'new');
    const past = new Date(Date.now() - 3 * 86_400_000);
    utimesSync(join(d, 'seen', 'old'), past, past);
    expect(await pruneClaims(d, 86_400_000, Date.now())).toBe(1);
    expect(await claim(d, 'old')).toBe(true);
    expect(await claim(d, 'new')).toBe(false);
  });

  it('the lock runs one holder at a time, gives up after its wait, and takes over the lock of a crashed holder', async () => {
    const d = dir();
    const order: string[] = [];
    await Promise.all([
      withLock(d, 5000, async () => { order.push('a+'); await new Promise((r) => setTimeout(r, 50)); order.push('a-'); }),
      withLock(d, 5000, async () => { order.push('b+'); await new Promise((r) => setTimeout(r, 50)); order.push('b-'); }),
    ]);
    expect([order.slice(0, 2), order.slice(2)].map((x) => x.map((s) => s[1]))).toEqual([['+', '-'], ['+', '-']]);
    writeFileSync(join(d, 'lock'), '');
    expect(await withLock(d, 100, async () => 'ran')).toBeUndefined();
    const past = new Date(Date.now() - 120_000);
    utimesSync(join(d, 'lock'), past, past);
    expect(await withLock(d, 100, async () => 'ran')).toBe('ran');
  });

  it('reads back what it wrote, and treats a damaged state as none', async () => {
    const d = dir();
    await writeState(d, { agent: 'codex', agentSession: 's', session: 'x', offset: 12 });
    expect(await readState(d)).toMatchObject({ agentSession: 's', offset: 12 });
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'state.json'), '{"agentSe');
    expect(await readState(d)).toBeUndefined();
  });
});
