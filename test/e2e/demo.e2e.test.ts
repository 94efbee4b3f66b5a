// `npm run demo` as a reader sees it: each command echoed as one would type it (quotes
// kept), and counts that read as English.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HERMETIC, ROOT } from '../support/repo.js';

describe('the demo', () => {
  it('runs, echoing commands with their quoting and no "1 files"', () => {
    const r = spawnSync('bash', [join(ROOT, 'bin', 'demo')], { encoding: 'utf8', env: { ...HERMETIC, PATH: process.env.PATH! } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`$ git session record prompt 'Greet people with '\\''hello'\\'' and their name, capitalised.'`);
    expect(r.stdout).toContain(`$ git session decide 'str.capitalize()' --because 'handles the common case in one call' \\`.slice(0, -2));
    expect(r.stdout).toContain('$ git session check -- python3 test_greet.py');
    expect(r.stdout).toContain(`$ git session start 'Make the greeting friendlier' --agent claude-code --model opus`);
    expect(r.stdout).not.toMatch(/\b1 (files|events|refs|sessions|commits|changes|notes)\b/);
  }, 180_000);
});
