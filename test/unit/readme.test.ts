// The README's exit-status table is the commands' own declarations (`exits` in each
// definition, which their --help and the man page print too): the two cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { ROOT } from '../support/repo.js';

describe('README', () => {
  it('lists every command with the exit statuses its definition declares', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = COMMANDS.filter((c) => c.spec.describe !== false).map((c) => {
      const e = c.spec.exits ?? {};
      return `| \`${c.spec.command.split(' ')[0]}\` | ${e[1] ?? '—'} | ${e[3] ?? '—'} |`;
    });
    const table = ['| command | exit 1 | exit 3 |', '| --- | --- | --- |', ...rows].join('\n');
    expect(readme).toContain(table);
    for (const c of COMMANDS.filter((x) => x.spec.describe !== false)) expect(readme, c.spec.command).toMatch(new RegExp(`^\\| \`${c.spec.command.split(' ')[0]}[ \`]`, 'm'));
  });
});
