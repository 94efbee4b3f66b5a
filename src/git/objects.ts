import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { TreeEntry } from 'isomorphic-git';
import { decodeCommit, decodeTree, encodeCommit, encodeTree, readLoose, resolveRefFile, type TreeItem, writeLoose } from './loose.js';

type Igit = typeof import('isomorphic-git');
let igitP: Promise<Igit> | undefined;
/**
 * isomorphic-git, loaded on first use so commands that never read objects don't pay for
 * it — through its CommonJS build: imported from ESM, its CommonJS dependencies would
 * each be scanned by Node's export lexer, which measured ~70 ms of every `record`.
 */
function igit(): Promise<Igit> {
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

/**
 * In-process object access for one repository (its common git dir): loose objects and
 * refs directly (see loose.ts for why), packed objects through isomorphic-git.
 */
export class ObjectStore {
  readonly gitdir: string;
  private readonly cache = {};
  constructor(gitdir: string) {
    this.gitdir = gitdir;
  }

  private async read(oid: string, type: string): Promise<Buffer> {
    const loose = await readLoose(this.gitdir, oid);
    if (loose) {
      if (loose.type !== type) throw new Error(`object ${oid} is a ${loose.type}, not a ${type}`);
      return loose.body;
    }
    const g = await igit();
    const { object } = await g.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache });
    return Buffer.from(object as Uint8Array);
  }

  /** Reads a blob as UTF-8 text. */
  async readText(oid: string): Promise<string> {
    return (await this.read(oid, 'blob')).toString('utf8');
  }

  /** Reads a tree's entries. */
  async readTree(oid: string): Promise<Entry[]> {
    return decodeTree(await this.read(oid, 'tree')) as Entry[];
  }

  /** Reads a commit's tree, parents, identities and message. */
  async readCommit(oid: string): Promise<{ tree: string; parent: string[]; message: string; author: Ident; committer: Ident }> {
    return decodeCommit(await this.read(oid, 'commit'));
  }

  /** Writes a blob (loose object) and returns its id. */
  writeText(text: string): Promise<string> {
    return writeLoose(this.gitdir, 'blob', Buffer.from(text, 'utf8'));
  }

  /** Writes a tree from entries (sorted into git's order here). */
  writeTree(tree: Entry[]): Promise<string> {
    return writeLoose(this.gitdir, 'tree', encodeTree(tree as TreeItem[]));
  }

  /** Writes a commit object. */
  writeCommit(c: { tree: string; parent: string[]; message: string; author: Ident; committer?: Ident }): Promise<string> {
    return writeLoose(this.gitdir, 'commit', encodeCommit({ ...c, committer: c.committer ?? c.author }));
  }

  /** Resolves a full ref name to its object id, or undefined when absent. */
  resolve(ref: string): Promise<string | undefined> {
    return resolveRefFile(this.gitdir, ref);
  }
}
