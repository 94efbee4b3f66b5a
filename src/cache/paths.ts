// Which keys a change puts in its Bloom filter, which keys a query probes, and the exact
// overlap test every filter hit is confirmed with.
//
// Two paths clash when they are equal or one is an ancestor directory of the other
// (a file vs directory clash: `a/b` against `a/b/c.txt`). Putting a change's paths and
// all their parent directories into one undifferentiated set and intersecting it with
// the query's expanded set would also "match" siblings (`src/a.ts` vs `src/b.ts` share
// `src`), sending every query down every subtree. So keys come in two kinds:
//   `u:<d>`  something at or under `d` was touched  (d = each touched path and its parents)
//   `e:<p>`  exactly `p` was touched                (p = each touched path)
// and a query path q probes `u:<q>` (a touched path equals q or lies under it) and
// `e:<a>` for each strict parent directory a of q (a touched path is a parent of q).
// That is exactly the clash relation, so a filter miss proves there is no clash.
import { checkRepoPath } from '../core/validate.js';
import { hashKey } from './bloom.js';

/** True when `a` and `b` are the same path or one is a parent directory of the other. */
export function pathsOverlap(a: string, b: string): boolean {
  if (a.length === b.length) return a === b;
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  return l.charCodeAt(s.length) === 47 /* / */ && l.startsWith(s);
}

/** The paths of `changePaths` that clash with any of `queryPaths`, sorted. */
export function overlappingPaths(changePaths: readonly string[], queryPaths: readonly string[]): string[] {
  const out = changePaths.filter((c) => queryPaths.some((q) => pathsOverlap(c, q)));
  return out.sort();
}

/** Strict parent directories of `p`, nearest first (`a/b/c` → `a/b`, `a`). */
export function parentDirs(p: string): string[] {
  const out: string[] = [];
  for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
  return out;
}

/** A session path as given by a caller: relative, inside the repo; `./` and trailing `/` dropped. */
export function normalizeQueryPath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/\/+$/, '').replace(/\/+/g, '/').replace(/\/\.(?=\/|$)/g, '');
  return checkRepoPath(s);
}

/** The distinct filter keys a query for `queryPaths` (normalized) must probe, `u:` keys first (the likelier hits). */
export function probeKeys(queryPaths: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const q of queryPaths) keys.add('u:' + q);
  for (const q of queryPaths) for (const a of parentDirs(q)) keys.add('e:' + a);
  return [...keys];
}

/** The distinct filter keys of a change that touched `paths`. */
export function changeKeys(paths: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const p of paths) {
    keys.add('e:' + p);
    keys.add('u:' + p);
    for (const a of parentDirs(p)) keys.add('u:' + a);
  }
  return [...keys];
}

/** Hash arrays by key id, as the tree reads them when building node filters. */
export interface KeySpace {
  readonly keyCount: number;
  readonly h1: Uint32Array;
  readonly h2: Uint32Array;
}

/**
 * Interns paths (and their parents) to small integers, with the hashes of both keys of
 * each path precomputed: key id `2·id` is `u:<path>`, `2·id+1` is `e:<path>`. Building
 * and confirming then work on integers, and each distinct path is hashed once.
 */
export class PathDict implements KeySpace {
  private ids = new Map<string, number>();
  private names: string[] = [];
  private parentOf = new Int32Array(1024);
  private hashes1 = new Uint32Array(2048);
  private hashes2 = new Uint32Array(2048);
  private stamp = new Uint32Array(2048);
  private gen = 0;

  /** Number of interned paths. */
  get size(): number {
    return this.names.length;
  }
  /** Number of key ids (two per path). */
  get keyCount(): number {
    return this.names.length * 2;
  }
  /** First halves of key hashes, by key id. */
  get h1(): Uint32Array {
    return this.hashes1;
  }
  /** Second halves of key hashes, by key id. */
  get h2(): Uint32Array {
    return this.hashes2;
  }

  /** The id of `path`, interning it and its parents if new. */
  intern(path: string): number {
    const known = this.ids.get(path);
    if (known !== undefined) return known;
    const slash = path.lastIndexOf('/');
    const parent = slash > 0 ? this.intern(path.slice(0, slash)) : -1;
    const id = this.names.length;
    if (id >= this.parentOf.length) this.grow();
    this.names.push(path);
    this.ids.set(path, id);
    this.parentOf[id] = parent;
    const u = hashKey('u:' + path);
    const e = hashKey('e:' + path);
    this.hashes1[2 * id] = u.h1;
    this.hashes2[2 * id] = u.h2;
    this.hashes1[2 * id + 1] = e.h1;
    this.hashes2[2 * id + 1] = e.h2;
    return id;
  }

  /** The id of `path` if it was interned. */
  lookup(path: string): number | undefined {
    return this.ids.get(path);
  }

  /** The path of an id. */
  name(id: number): string {
    return this.names[id];
  }

  /** Parent ids by id (-1 at the top); valid until the next `intern`. */
  get parents(): Int32Array {
    return this.parentOf;
  }

  /** Paths by id. */
  get paths(): readonly string[] {
    return this.names;
  }

  /** Parent directory id, or -1 at the top. */
  parent(id: number): number {
    return this.parentOf[id];
  }

  /** Appends the distinct key ids of a change touching path ids `touched` to `out`. */
  changeKeyIds(touched: ArrayLike<number>, out: number[]): void {
    const g = this.nextGen();
    for (let i = 0; i < touched.length; i++) {
      const t = touched[i];
      const e = 2 * t + 1;
      if (this.stamp[e] !== g) {
        this.stamp[e] = g;
        out.push(e);
      }
      for (let p = t; p >= 0; p = this.parentOf[p]) {
        const u = 2 * p;
        if (this.stamp[u] === g) break; // its parents are in already
        this.stamp[u] = g;
        out.push(u);
      }
    }
  }

  private nextGen(): number {
    if (++this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    return this.gen;
  }

  private grow(): void {
    const n = this.parentOf.length * 2;
    const p = new Int32Array(n);
    p.set(this.parentOf);
    this.parentOf = p;
    for (const f of ['hashes1', 'hashes2', 'stamp'] as const) {
      const a = new Uint32Array(2 * n);
      a.set(this[f]);
      this[f] = a;
    }
  }
}
