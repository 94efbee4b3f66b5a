// bin/git-session loads one command's file (src/cli/lazy-main.ts), not the whole table:
// its list must name every command but those that need the table (help, completion),
// each loading the very module the table holds.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { LAZY } from '../../src/cli/lazy-main.js';

const nameOf = (c: (typeof COMMANDS)[number]) => c.spec.command.split(' ')[0];

describe('the lazy entry', () => {
  it('loads every command but help and completion on its own, the same module the table holds', async () => {
    expect(Object.keys(LAZY).sort()).toEqual(COMMANDS.map(nameOf).filter((n) => n !== 'help' && n !== 'completion').sort());
    for (const [name, load] of Object.entries(LAZY)) expect(await load(), name).toBe(COMMANDS.find((c) => nameOf(c) === name));
  });
});
