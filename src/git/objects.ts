import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { GsError } from '../core/errors.js';
import {
  decodeCommit, decodeTree, encodeCommit, encodeTree, type Entry, type Ident, objectId, readLoose, resolveRefFile, writeLoose,
} from './loose.js';

export type { Entry, Ident } from './loose.js';

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

/**
 * In-process object access for one repository (its common git dir): loose objects and
 * refs directly (see loose.ts for why), packed objects through isomorphic-git.
 */
export class ObjectStore {
  readonly gitdir: string;
  private cache = {};
  constructor(gitdir: string) {
    this.gitdir = gitdir;
  }

  /** An object's body; a missing, unreadable or mistyped object is damaged storage. */
  private async read(oid: string, type: string): Promise<Buffer> {
    let loose;
    try {
      loose = await readLoose(this.gitdir, oid);
    } catch (e) {
      throw new GsError('damaged', `object ${oid} is unreadable: ${(e as Error).message}`);
    }
    if (loose) {
      if (loose.type !== type) throw new GsError('damaged', `object ${oid} is a ${loose.type}, not a ${type}`);
      return loose.body;
    }
    const g = await igit();
    const packed = await g.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache }).catch(async () => {
      // A concurrent `git gc` may have packed the loose object away and replaced the packs
      // we had cached: look again once, loose then packs, with a fresh pack cache.
      this.cache = {};
      const again = await readLoose(this.gitdir, oid).catch(() => undefined);
      if (again) return { type: again.type, object: again.body };
      return g.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache }).catch((e: Error) => {
        throw new GsError('damaged', `object ${oid} is missing or unreadable: ${e.message}`);
      });
    });
    if (packed.type !== type) throw new GsError('damaged', `object ${oid} is a ${packed.type}, not a ${type}`);
    return Buffer.from(packed.object as Uint8Array);
  }

  /** Reads a blob as UTF-8 text. */
  async readText(oid: string): Promise<string> {
    return (await this.read(oid, 'blob')).toString('utf8');
  }

  /** Reads a tree's entries. */
  async readTree(oid: string): Promise<Entry[]> {
    return decodeTree(await this.read(oid, 'tree'));
  }

  /** Reads a commit's tree, parents, identities and message. */
  async readCommit(oid: string): Promise<{ tree: string; parent: string[]; message: string; author: Ident; committer: Ident }> {
    return decodeCommit(await this.read(oid, 'commit'));
  }

  /** Writes a blob (loose object) and returns its id. */
  writeText(text: string): Promise<string> {
    return writeLoose(this.gitdir, 'blob', Buffer.from(text, 'utf8'));
  }

  /** The id a blob with this text has (or would have), without writing it. */
  blobId(text: string): string {
    return objectId('blob', Buffer.from(text, 'utf8'));
  }

  /** Writes a tree from entries (sorted into git's order here). */
  writeTree(tree: Entry[]): Promise<string> {
    return writeLoose(this.gitdir, 'tree', encodeTree(tree));
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
