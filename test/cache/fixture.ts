// Builds real git histories for the index tests with one `git fast-import` per batch of
// commits, and computes the expected answers by brute force: one `git diff` per commit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { overlappingPaths } from '../../src/cache/paths.js';

/** Components paths are made of: any path can be a file at one time and a directory at another. */
export const POOL: string[] = (() => {
  const c = ['a', 'b', 'c'];
  const out: string[] = [...c];
  for (const x of c) for (const y of c) out.push(`${x}/${y}`);
  for (const x of c) for (const y of ['a', 'b']) for (const z of ['a', 'b']) out.push(`${x}/${y}/${z}`);
  return out;
})();

/** One operation on the working tree model. */
export type Op = { t: 'w'; p: number } | { t: 'd'; p: number } | { t: 'r'; p: number; q: number };

/** One commit on the main line: ops, optionally a side branch merged in with `--no-ff`. */
export interface CommitSpec {
  ops: Op[];
  side?: Op[][];
  session?: string;
}

/** fast-check arbitrary for an op. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('w' as const), p: fc.nat(POOL.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('d' as const), p: fc.nat(POOL.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('r' as const), p: fc.nat(POOL.length - 1), q: fc.nat(POOL.length - 1) }) },
);

/** fast-check arbitrary for a commit. */
export const commitArb: fc.Arbitrary<CommitSpec> = fc.record(
  {
    ops: fc.array(opArb, { minLength: 0, maxLength: 3 }),
    side: fc.option(fc.array(fc.array(opArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { freq: 8, nil: undefined }),
    session: fc.option(fc.constantFrom('S-1', 'S-2', 'S-3'), { freq: 2, nil: undefined }),
  },
  { requiredKeys: ['ops'] },
);

/** Files (path → content) of a tree; no file is a parent directory of another. */
export type Tree = Map<string, string>;

let counter = 0;

/** Applies an op like `git rm -r` / writing a file would (a file replaces a directory and vice versa). */
export function apply(tree: Tree, op: Op): void {
  const write = (p: string, content: string) => {
    for (const f of [...tree.keys()]) if (f.startsWith(p + '/') || p.startsWith(f + '/')) tree.delete(f);
    tree.set(p, content);
  };
  const del = (p: string) => {
    for (const f of [...tree.keys()]) if (f === p || f.startsWith(p + '/')) tree.delete(f);
  };
  if (op.t === 'w') write(POOL[op.p], `v${++counter}\n`);
  else if (op.t === 'd') del(POOL[op.p]);
  else {
    const from = POOL[op.p];
    const to = POOL[op.q];
    const content = tree.get(from);
    if (content === undefined || from === to) return;
    del(from);
    write(to, content);
  }
}

/** A temporary repository. */
export function tempRepo(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gs-index-'));
  git(dir, ['init', '-q', '-b', 'main']);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs git, returning stdout (throws on failure). */
export function git(dir: string, args: string[], input?: string): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

let clock = 1_700_000_000;

/**
 * Appends `commits` to refs/heads/main starting from `from` (a commit id, or null for a
 * new root) and the model tree `start`; returns the main-line commit ids in order.
 */
export function buildCommits(dir: string, from: string | null, start: Tree, commits: CommitSpec[]): { oids: string[]; trees: Tree[] } {
  const tree: Tree = new Map(start);
  const trees: Tree[] = [];
  let s = '';
  let mark = 0;
  const marks: number[] = [];
  const body = (t: Tree) => {
    let b = 'deleteall\n';
    for (const [p, c] of [...t].sort()) b += `M 100644 inline ${p}\ndata ${Buffer.byteLength(c)}\n${c}\n`;
    return b;
  };
  const header = (ref: string, m: number, msg: string) => `commit ${ref}\nmark :${m}\ncommitter T <t@example.com> ${++clock} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
  let prev: string | null = from;
  s += from ? `reset refs/heads/main\nfrom ${from}\n\n` : `reset refs/heads/main\n\n`;
  for (const [i, c] of commits.entries()) {
    let mergeFrom: number | undefined;
    if (c.side && prev) {
      const sideTree: Tree = new Map(tree);
      let sidePrev: string = prev;
      for (const ops of c.side) {
        for (const op of ops) apply(sideTree, op);
        const m = ++mark;
        s += header('refs/heads/side', m, `side ${i}\n`) + `from ${sidePrev}\n` + body(sideTree) + '\n';
        sidePrev = `:${m}`;
      }
      mergeFrom = mark;
      for (const ops of c.side) for (const op of ops) apply(tree, op);
    }
    for (const op of c.ops) apply(tree, op);
    const m = ++mark;
    const msg = `change ${i}\n` + (c.session ? `\nSession-Id: ${c.session}\n` : '');
    s += header('refs/heads/main', m, msg) + (prev ? `from ${prev}\n` : '') + (mergeFrom ? `merge :${mergeFrom}\n` : '') + body(tree) + '\n';
    prev = `:${m}`;
    marks.push(m);
    trees.push(new Map(tree));
  }
  const exportFile = join(dir, '.git', 'marks');
  git(dir, ['fast-import', '--quiet', '--force', `--export-marks=${exportFile}`], s);
  const byMark = readMarks(exportFile);
  return { oids: marks.map((m) => byMark.get(m)!), trees };
}

function readMarks(file: string): Map<number, string> {
  const text = readFileSync(file, 'utf8');
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [m, oid] = line.split(' ');
    if (m && oid) out.set(Number(m.slice(1)), oid);
  }
  return out;
}

/** Expected landed change, from the brute-force diff. */
export interface Expected {
  seq: number;
  commit: string;
  paths: string[];
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** The first-parent sequence of `tip` with each commit's paths from `git diff --name-status` vs its first parent. */
export function bruteForce(dir: string, tip: string): Expected[] {
  const lines = git(dir, ['rev-list', '--first-parent', '--reverse', '--parents', tip]).trim().split('\n');
  return lines.map((line, i) => {
    const [commit, parent] = line.split(' ');
    const out = git(dir, ['diff', '--name-status', '--no-renames', '-z', parent ?? EMPTY_TREE, commit]);
    const toks = out.split('\0');
    const paths: string[] = [];
    for (let j = 0; j + 1 < toks.length; j += 2) paths.push(toks[j + 1]);
    return { seq: i + 1, commit, paths };
  });
}

/** Brute-force answer to "(base, tip] ∩ paths". */
export function expectedHits(seqn: Expected[], base: number, tip: number, paths: string[]): { seq: number; commit: string; overlapping: string[] }[] {
  const out: { seq: number; commit: string; overlapping: string[] }[] = [];
  for (const e of seqn) {
    if (e.seq <= base || e.seq > tip) continue;
    const o = overlappingPaths(e.paths, paths);
    if (o.length) out.push({ seq: e.seq, commit: e.commit, overlapping: o });
  }
  return out;
}
