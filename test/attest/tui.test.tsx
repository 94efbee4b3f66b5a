// The terminal browser shows a signed check as every other surface words it: who signed,
// on which tree, or why not (a real repository, a real key, the real browse data).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { browseData } from '../../src/repo/browse.js';
import { Repo } from '../../src/repo/repo.js';
import { App } from '../../src/tui/App.js';
import { allowedSigners, makeKey, useSigning } from '../support/keys.js';
import { cli, makeRepo, writeFile } from '../support/repo.js';
import { KEY, renderAt } from '../tui/render.js';

vi.setConfig({ testTimeout: 120_000 });
afterEach(() => cleanup());

describe('signed checks in the browser', () => {
  it('shows "✓ test, signed by ada@example.com on tree …" under the check, and an invalid one as invalid', async () => {
    const dir = makeRepo();
    const key = makeKey();
    useSigning(dir, key, allowedSigners([`ada@example.com ${key.pub}`]));
    await cli(dir, ['start', 'browse signed checks']);
    writeFile(dir, 'x.txt', 'x\n');
    const ev = (await cli(dir, ['check', '--name', 'test', '--json', '--', 'true'])).json().event;
    const now = Date.now();
    const r = renderAt(<App data={browseData(Repo.open({ cwd: dir, clock: () => now, env: process.env }))} now={() => now} />, 120, 40);
    await r.until('browse signed checks');
    await r.press(KEY.enter);
    await r.until(`✓ test, signed by ada@example.com on tree ${ev.tree.slice(0, 12)}`);
    cleanup();

    // The same session where nobody is trusted any more.
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['config', 'gpg.ssh.allowedSignersFile', allowedSigners([`bob@example.com ${makeKey().pub}`])], { cwd: dir });
    const r2 = renderAt(<App data={browseData(Repo.open({ cwd: dir, clock: () => now, env: process.env }))} now={() => now} />, 120, 40);
    await r2.until('browse signed checks');
    await r2.press(KEY.enter);
    await r2.until(/✗ test passed on tree [0-9a-f]{12}: attestation INVALID: the key is not in/);
  });
});
