import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ObjectStore } from '../../src/git/objects.js';
import { git, makeRepo, writeFile } from '../support/repo.js';

describe('loose objects written and read in-process', () => {
  it('match what git writes and reads, byte for byte, and fsck is clean', async () => {
    const dir = makeRepo();
    const store = new ObjectStore(join(dir, '.git'));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 6 }),
        fc.string(),
        async (names, text) => {
          const blob = await store.writeText(text);
          expect(await store.readText(blob)).toBe(text);
          expect(blob).toBe(execFileSync('git', ['hash-object', '--stdin', '--no-filters'], { cwd: dir, input: text, encoding: 'utf8' }).trim());
          // Mixed files and dirs whose names sort differently with the trailing '/'.
          const entries = names.map((n, i) => (i % 2 ? { mode: '040000', path: n, oid: git(dir, 'rev-parse', 'HEAD^{tree}'), type: 'tree' as const } : { mode: '100644', path: n, oid: blob, type: 'blob' as const }));
          const tree = await store.writeTree(entries);
          const gitTree = git(dir, 'ls-tree', tree).split('\n').map((l) => l.split('\t')[1]);
          const mk = execMktree(dir, entries);
          expect(tree).toBe(mk);
          expect((await store.readTree(tree)).map((e) => e.path)).toEqual(gitTree);
          const ident = { name: 'A B', email: 'a@b.c', timestamp: 1_700_000_000, timezoneOffset: -120 };
          const commit = await store.writeCommit({ tree, parent: [git(dir, 'rev-parse', 'HEAD')], message: `msg ${text.length}\n`, author: ident });
          expect(git(dir, 'log', '-1', '--format=%an|%ae|%at|%ai', commit)).toBe('A B|a@b.c|1700000000|2023-11-15 00:13:20 +0200');
          const back = await store.readCommit(commit);
          expect(back).toMatchObject({ tree, parent: [git(dir, 'rev-parse', 'HEAD')], message: `msg ${text.length}\n`, committer: ident });
        },
      ),
      { numRuns: 15 },
    );
    git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
  });

  it('reads packed objects and packed refs after gc', async () => {
    const dir = makeRepo();
    writeFile(dir, 'a.txt', 'hello\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'second');
    git(dir, 'gc', '--quiet', '--prune=now');
    const store = new ObjectStore(join(dir, '.git'));
    const head = await store.resolve('refs/heads/main');
    expect(head).toBe(git(dir, 'rev-parse', 'main'));
    const c = await store.readCommit(head!);
    expect(c.message).toBe('second\n');
    const files = await store.readTree(c.tree);
    expect(files.map((f) => f.path)).toEqual(['README.md', 'a.txt']);
    expect(await store.readText(files[1].oid)).toBe('hello\n');
    expect(await store.resolve('refs/heads/nope')).toBeUndefined();
  });
});

function execMktree(dir: string, entries: { mode: string; path: string; oid: string; type: string }[]): string {
  const input = entries.map((e) => `${e.mode.replace(/^0/, '')} ${e.type} ${e.oid}\t${e.path}`).join('\n') + '\n';
  return execFileSync('git', ['mktree'], { cwd: dir, input, encoding: 'utf8' }).trim();
}
