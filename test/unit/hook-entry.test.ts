// The agent hook runs on every prompt and tool call, so its entry must load none of the
// heavy pieces: read from esbuild's metafile of `npm run build`, everything hook-main.js
// loads before it runs (its static imports, transitively) is our own code and node's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';

describe('the lean hook entry', () => {
  it('loads no yargs, isomorphic-git, level, ink or react (no package but the schema\'s valibot), and no command table', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8'));
    const seen = new Set<string>();
    const externals = new Set<string>();
    const walk = (out: string) => {
      if (seen.has(out)) return;
      seen.add(out);
      for (const i of meta.outputs[out].imports) {
        if (i.kind !== 'import-statement') continue;
        if (i.external) externals.add(i.path);
        else walk(i.path);
      }
    };
    walk('dist/bundle/hook-main.js');
    const inputs = [...seen].flatMap((o) => Object.keys(meta.outputs[o].inputs));
    // valibot: the schema every stored document is read through (core/schema.ts), kept small for this.
    expect(inputs.filter((p) => p.includes('node_modules') && !p.includes('node_modules/valibot/'))).toEqual([]);
    expect(inputs.filter((p) => /src\/(cli\/(commands|yargs|main)|tui|cache)\b/.test(p))).toEqual([]);
    expect([...externals].filter((e) => !e.startsWith('node:'))).toEqual([]);
    // The transcript reader and the snapshot load only at a turn's end or after an edit.
    expect(inputs.some((p) => p.includes('src/repo/capture/delta.ts') || p.includes('src/repo/work.ts'))).toBe(false);
  });
});
