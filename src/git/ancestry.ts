// "Is commit A an ancestor of B?" for many pairs at once (a pull asks it of every session
// whose copy moved): one breadth-first walk per pair, all walks advancing together, one
// `git cat-file --batch` per generation. A session's new commits since the other copy
// are usually few, so a handful of spawns answer a thousand pairs that would otherwise
// cost a thousand `git merge-base --is-ancestor`. Past `maxDepth` generations a pair is
// left to git (undefined).
import { catBatch } from './batch.js';
import { runGit } from './exec.js';

/** Parent ids from a commit object's text. */
function parentsOf(text: string | undefined): string[] {
  if (!text) return [];
  const head = text.slice(0, text.indexOf('\n\n') >>> 0);
  const out: string[] = [];
  for (const line of head.split('\n')) if (line.startsWith('parent ')) out.push(line.slice(7));
  return out;
}

/**
 * For each `[a, b]`: whether `a` is an ancestor of (or equal to) `b`. Walks back from
 * every `b` at once; a pair not settled within `maxDepth` generations is asked of git.
 */
export async function areAncestors(cwd: string, pairs: [string, string][], maxDepth = 64): Promise<boolean[]> {
  const out: (boolean | undefined)[] = pairs.map(([a, b]) => (a === b ? true : undefined));
  const walks = pairs.map(([, b], i) => ({ i, seen: new Set([b]), frontier: [b] }));
  let open = walks.filter((w) => out[w.i] === undefined);
  for (let depth = 0; open.length && depth < maxDepth; depth++) {
    const wanted = [...new Set(open.flatMap((w) => w.frontier))];
    const texts = await catBatch(cwd, wanted);
    const parents = new Map(wanted.map((oid, k) => [oid, parentsOf(texts[k])]));
    for (const w of open) {
      const next: string[] = [];
      for (const c of w.frontier) {
        for (const p of parents.get(c) ?? []) {
          if (p === pairs[w.i][0]) out[w.i] = true;
          if (!w.seen.has(p)) {
            w.seen.add(p);
            next.push(p);
          }
        }
      }
      w.frontier = next;
      if (out[w.i] === undefined && !next.length) out[w.i] = false;
    }
    open = open.filter((w) => out[w.i] === undefined);
  }
  for (const w of open) {
    const [a, b] = pairs[w.i];
    out[w.i] = (await runGit(['merge-base', '--is-ancestor', a, b], { cwd, allowFail: true })).code === 0;
  }
  return out as boolean[];
}
