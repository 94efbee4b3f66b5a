// The README's install line, for real: a fresh clone, `npm install -g .` into a
// throw-away prefix (from the npm registry, as a user would), then git finds the command
// and its manual. Needs `man` (.ci/run installs man-db): no man is a failure, not a skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HERMETIC, ROOT, makeRepo } from '../support/repo.js';

describe('npm install -g . from a fresh clone', () => {
  it('installs git-session on PATH and its man page for git help session', () => {
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'gs-install-')));
    const clone = join(tmp, 'clone');
    const prefix = join(tmp, 'prefix');
    execFileSync('git', ['clone', '-q', ROOT, clone]);
    // As a user's shell would run it: none of the npm_config_* of the `npm test` running us.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig)$/i.test(k)));
    const inst = spawnSync('npm', ['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund'], { cwd: clone, env, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);

    const userEnv = { ...HERMETIC, PATH: `${join(prefix, 'bin')}:/usr/local/bin:/usr/bin:/bin`, MANPATH: join(prefix, 'share', 'man'), MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80' };
    expect(spawnSync('sh', ['-c', 'command -v man'], { env: userEnv }).status, 'man must be installed').toBe(0);
    const repo = makeRepo();
    const version = spawnSync('git', ['session', '--version'], { cwd: repo, env: userEnv, encoding: 'utf8' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const start = spawnSync('git', ['session', 'start', 'installed'], { cwd: repo, env: userEnv, encoding: 'utf8' });
    expect(start.status, start.stderr).toBe(0);
    expect(spawnSync('man', ['-w', 'git-session'], { env: userEnv, encoding: 'utf8' }).stdout).toMatch(/git-session\.1\n$/);
    for (const args of [['help', 'session'], ['session', '--help']]) {
      const r = spawnSync('git', args, { cwd: repo, env: userEnv, encoding: 'utf8' });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout).toMatch(/^GIT-SESSION\(1\)/m);
    }
  }, 300_000);
});
