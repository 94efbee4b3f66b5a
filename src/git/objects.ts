import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { TreeEntry } from 'isomorphic-git';

type Igit = typeof import('isomorphic-git');
let igitP: Promise<Igit> | undefined;
/**
 * isomorphic-git, loaded on first use so commands that never read objects don't pay for
 * it — through its CommonJS build: imported from ESM, its CommonJS dependencies would
 * each be scanned by Node's export lexer, which measured ~70 ms of every `record`.
 */
export function igit(): Promise<Igit> {
  return (igitP ??= Promise.resolve(createRequire(import.meta.url)('isomorphic-git') as Igit));
}

/** A git identity with the time of the act. */
export interface Ident {
  name: string;
  email: string;
  timestamp: number;
  timezoneOffset: number;
}

/** One entry of a tree, as isomorphic-git models it. */
export type Entry = TreeEntry;

/** In-process object access for one repository (its common git dir). */
export class ObjectStore {
  readonly gitdir: string;
  private readonly cache = {};
  constructor(gitdir: string) {
    this.gitdir = gitdir;
  }

  /** Reads a blob as UTF-8 text. */
  async readText(oid: string): Promise<string> {
    const g = await igit();
    const { blob } = await g.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return Buffer.from(blob).toString('utf8');
  }

  /** Reads a tree's entries. */
  async readTree(oid: string): Promise<Entry[]> {
    const g = await igit();
    return (await g.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache })).tree;
  }

  /** Reads a commit's tree, parents and message. */
  async readCommit(oid: string): Promise<{ tree: string; parent: string[]; message: string; committer: Ident }> {
    const g = await igit();
    return (await g.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache })).commit;
  }

  /** Writes a blob (loose object) and returns its id. */
  async writeText(text: string): Promise<string> {
    const g = await igit();
    return g.writeBlob({ fs, gitdir: this.gitdir, blob: Buffer.from(text, 'utf8') });
  }

  /** Writes a tree from entries (sorted as git requires by isomorphic-git). */
  async writeTree(tree: Entry[]): Promise<string> {
    const g = await igit();
    return g.writeTree({ fs, gitdir: this.gitdir, tree });
  }

  /** Writes a commit object. */
  async writeCommit(c: { tree: string; parent: string[]; message: string; author: Ident; committer?: Ident }): Promise<string> {
    const g = await igit();
    return g.writeCommit({ fs, gitdir: this.gitdir, commit: { ...c, committer: c.committer ?? c.author } });
  }

  /** Resolves a full ref name to its object id, or undefined when absent. */
  async resolve(ref: string): Promise<string | undefined> {
    const g = await igit();
    try {
      return await g.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch {
      return undefined;
    }
  }
}
