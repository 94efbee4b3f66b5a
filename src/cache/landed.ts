// The landed-change index of one target branch, persisted in LevelDB: which changes on
// the target's first-parent history touched which paths, answered through a tree of
// Bloom filters (bloomtree.ts) and confirmed exactly against the stored path lists.
//
// API (src/index never runs git; `src/git/history.ts`'s `gitHistory(dir)` supplies both
// callback objects below):
//
//   const idx = await LandedIndex.open(db, 'refs/heads/main');
//   await idx.catchUp(tipOid, history)      → { added, rebuiltFrom? }
//       Indexes the first-parent changes after the indexed tip. When the indexed tip is
//       no longer on tip's first-parent chain (force-push, reset), walks that chain back
//       to the newest commit still indexed, drops everything after it, and re-indexes
//       from there (`rebuiltFrom` = first seq rebuilt).
//   await idx.query(base, tip, paths, opts?) → ConflictHit[]   (seq order)
//   await idx.conflicts(base, tip, paths, opts?) → QueryResult (hits + which base was used)
//       Changes with seq in (pos(base), pos(tip)] that touched a path equal to, under, or
//       a parent of one of `paths`. `base` null = from the start. A base not on the
//       sequence is replaced by the newest first-parent ancestor of tip that is an
//       ancestor of base (needs `opts.ancestry`; `baseSubstituted` says it happened).
//       `opts.limit: 1` stops at the first confirmed hit (the earliest; with
//       `ordered: false` whichever is confirmed first, which is cheaper).
//   await idx.positionOf(commit), idx.stats(), idx.clear(), idx.rebuild(tip, history)
//
// Memory: a query reads only the tree pages its search descends into (pagedtree.ts);
// appending loads the filter tree whole (≈ 6 MB per 100k changes); path lists stay in
// LevelDB and are read only for candidates, and for the ranges of tree nodes an append
// completes.
import { GsError } from '../core/errors.js';
import type { OnProgress } from '../core/progress.js';
import { hashKey, initHash } from './bloom.js';
import { BloomTree, DEFAULT_TREE, PAGE, type TreeOptions } from './bloomtree.js';
import { CandidateStream, mergeSorted } from './candidates.js';
import { PagedTree, type TreeSearch } from './pagedtree.js';
import type { IndexDb } from './db.js';
import { LAYOUT_VERSION, LandedStore, pageKey, seqKey, toChange, type ChangeRecord, type Meta, type Op } from './landedstore.js';
import type { AncestrySource, ConflictHit, FeedChange, HistorySource, IndexStats, LandedChange, QueryOptions, QueryResult } from './landedapi.js';
import { normalizeQueryPath, overlappingPaths, PathDict, probeKeys } from './paths.js';

export type { AncestrySource, ConflictHit, FeedChange, HistorySource, IndexStats, LandedChange, QueryOptions, QueryResult } from './landedapi.js';

/** Options for `open`; a stored index with another shape is rebuilt by the next catchUp. */
export type OpenOptions = Partial<TreeOptions>;

const FLUSH_EVERY = 2000;

/** The persisted landed index of one target branch. */
export class LandedIndex {
  private meta: Meta;
  private tree?: BloomTree;
  private damaged = false;
  private dict = new PathDict();
  /** Key ids by position, for positions read or appended in this process. */
  private keyCache: (number[] | undefined)[] = [];
  private pending: Op[] = [];

  private constructor(
    private store: LandedStore,
    readonly target: string,
    private opts: TreeOptions,
    stored: Meta | undefined,
  ) {
    const fresh: Meta = { version: LAYOUT_VERSION, fanout: opts.fanout, fpRate: opts.fpRate, count: 0, tip: null };
    if (stored && (stored.version !== LAYOUT_VERSION || stored.fanout !== opts.fanout || stored.fpRate !== opts.fpRate)) {
      this.damaged = true; // another layout or shape: rebuild on the next catchUp
      this.meta = { ...fresh, count: stored.count, tip: stored.tip };
    } else {
      this.meta = stored ?? fresh;
    }
  }

  /** Opens the index of `target` (a full ref name, e.g. `refs/heads/main`) in `db`. */
  static async open(db: IndexDb, target: string, opts: OpenOptions = {}): Promise<LandedIndex> {
    await initHash();
    const store = new LandedStore(db, target);
    await store.open();
    return new LandedIndex(store, target, { ...DEFAULT_TREE, ...opts }, await store.readMeta());
  }

  /** Number of indexed changes. */
  get count(): number {
    return this.meta.count;
  }

  /** The indexed tip (null when empty). */
  get tip(): string | null {
    return this.meta.tip;
  }

  /** Brings the index up to `tip`; see the file comment. */
  async catchUp(tip: string, history: HistorySource, onProgress?: OnProgress): Promise<{ added: number; rebuiltFrom?: number }> {
    if (this.damaged) await this.clear();
    if (this.meta.count > 0 && this.meta.tip === tip) return { added: 0 };
    const tree = await this.loadTree();
    if (!tree) {
      await this.clear();
      return this.catchUp(tip, history, onProgress);
    }
    try {
      let rebuiltFrom: number | undefined;
      if (this.meta.count > 0) {
        const kept = await this.newestIndexedOnChain(tip, history);
        if (kept < this.meta.count) {
          await this.truncate(kept);
          rebuiltFrom = kept + 1;
        }
      }
      let added = 0;
      for await (const ch of history.changes(this.meta.tip, tip)) {
        await this.append(ch);
        added++;
        if (this.pending.length >= FLUSH_EVERY) await this.flush();
        onProgress?.({ stage: 'indexing landed changes', done: added });
      }
      await this.flush();
      if (this.meta.tip !== tip) {
        throw new GsError('git-failed', `the history feed ended at ${this.meta.tip ?? 'nothing'}, not at ${tip}`);
      }
      return rebuiltFrom === undefined ? { added } : { added, rebuiltFrom };
    } catch (e) {
      // What was flushed is consistent; forget the unflushed rest so memory matches disk.
      await this.reload();
      throw e;
    }
  }

  private async reload(): Promise<void> {
    const stored = await this.store.readMeta();
    this.meta = stored ?? { version: LAYOUT_VERSION, fanout: this.opts.fanout, fpRate: this.opts.fpRate, count: 0, tip: null };
    this.tree = undefined;
    this.keyCache = [];
    this.pending = [];
  }

  /** Drops the index and builds it again up to `tip`. */
  async rebuild(tip: string, history: HistorySource, onProgress?: OnProgress): Promise<{ added: number }> {
    await this.clear();
    const r = await this.catchUp(tip, history, onProgress);
    return { added: r.added };
  }

  /** Seq of `commit` on the indexed sequence, if it is there. */
  async positionOf(commit: string): Promise<number | undefined> {
    // `o` entries are written and deleted in the same batches as the changes they point
    // at, so one that points inside the sequence is current; the record itself (which
    // may list thousands of paths) is not read to double-check.
    const [pos] = await this.store.readSeqs([commit]);
    return pos !== undefined && pos <= this.meta.count ? pos : undefined;
  }

  /** Changes with seq in [from, to] as stored (for `index` inspection and tests). */
  async changes(from = 1, to = this.meta.count): Promise<LandedChange[]> {
    const out: LandedChange[] = [];
    for await (const [seq, r] of this.store.scanChanges(from, Math.min(to, this.meta.count))) out.push(toChange(seq, r));
    return out;
  }

  /** Hits of `conflicts` alone. */
  async query(baseCommit: string | null, tipCommit: string, paths: string[], opts: QueryOptions = {}): Promise<ConflictHit[]> {
    return (await this.conflicts(baseCommit, tipCommit, paths, opts)).hits;
  }

  /** Landed changes in (base, tip] touching `paths`; see the file comment. */
  async conflicts(baseCommit: string | null, tipCommit: string, paths: string[], opts: QueryOptions = {}): Promise<QueryResult> {
    const tree = this.searchTree() ?? (await this.loadTree());
    if (!tree || this.damaged) throw this.damagedError();
    const t = tipCommit === this.meta.tip ? this.meta.count : await this.positionOf(tipCommit);
    if (t === undefined) throw new GsError('unknown-ref', `${tipCommit} is not on the indexed first-parent history of ${this.target}; catch the index up first`);
    const { position: b, commit: base, substituted } = await this.resolveBase(baseCommit, tipCommit, t, opts.ancestry);
    const q = [...new Set(paths.map(normalizeQueryPath))];
    const result: QueryResult = { hits: [], requestedBase: baseCommit, base, basePosition: b, tipPosition: t, baseSubstituted: substituted };
    const limit = opts.limit ?? Infinity;
    if (b >= t || !q.length || limit <= 0) return result;
    const probes = probeKeys(q).map(hashKey);
    const confirm = (pos: number, r: ChangeRecord | undefined) => {
      if (!r) throw new GsError('damaged', `the session index of ${this.target} lacks change ${pos + 1}; run \`git session index rebuild\``);
      const o = overlappingPaths(r.f, q);
      if (o.length) result.hits.push(r.s === undefined ? { seq: pos + 1, commit: r.c, overlapping: o } : { seq: pos + 1, commit: r.c, sessionId: r.s, overlapping: o });
    };
    if (limit === Infinity) {
      const cands = mergeSorted(
        probes.map((h) => {
          const out: number[] = [];
          tree.search(h.h1, h.h2, b, t, out);
          return out;
        }),
      );
      for (let i = 0; i < cands.length; i += 512) {
        const chunk = cands.slice(i, i + 512);
        const recs = await this.store.readChanges(chunk.map((p) => p + 1));
        chunk.forEach((p, j) => confirm(p, recs[j]));
      }
      return result;
    }
    if (opts.ordered === false) {
      // One key at a time (`u:` keys come first in probeKeys), no merging across keys.
      const seen = new Set<number>();
      for (const h of probes) {
        for (let from = b; ; ) {
          const out: number[] = [];
          const more = tree.search(h.h1, h.h2, from, t, out, 4);
          const fresh = out.filter((p) => !seen.has(p));
          fresh.forEach((p) => seen.add(p));
          const recs = await this.store.readChanges(fresh.map((p) => p + 1));
          for (let j = 0; j < fresh.length && result.hits.length < limit; j++) confirm(fresh[j], recs[j]);
          if (result.hits.length >= limit) {
            result.hits.sort((x, y) => x.seq - y.seq);
            return result;
          }
          if (!more) break;
          from = out[out.length - 1] + 1;
        }
      }
      result.hits.sort((x, y) => x.seq - y.seq);
      return result;
    }
    const stream = new CandidateStream(tree, probes, b, t, Math.max(4, limit));
    for (;;) {
      const chunk: number[] = [];
      while (chunk.length < 8) {
        const p = stream.take();
        if (p < 0) break;
        chunk.push(p);
      }
      if (!chunk.length) return result;
      const recs = await this.store.readChanges(chunk.map((p) => p + 1));
      for (let j = 0; j < chunk.length && result.hits.length < limit; j++) confirm(chunk[j], recs[j]);
      if (result.hits.length >= limit) return result;
    }
  }

  /** Shape and size of the index, per level. */
  async stats(): Promise<IndexStats> {
    const tree = (await this.loadTree()) ?? new BloomTree(this.opts);
    return {
      target: this.target,
      tip: this.meta.tip ?? '',
      changes: this.meta.count,
      nodes: tree.nodes,
      bytes: tree.bytes,
      levels: tree.levelStats(),
      fanout: this.opts.fanout,
      fpRate: this.opts.fpRate,
    };
  }

  /** Forgets everything indexed for this target. */
  async clear(): Promise<void> {
    await this.store.clear();
    this.meta = { version: LAYOUT_VERSION, fanout: this.opts.fanout, fpRate: this.opts.fpRate, count: 0, tip: null };
    this.tree = new BloomTree(this.opts);
    this.damaged = false;
    this.keyCache = [];
    this.pending = [];
  }

  private damagedError(): GsError {
    return new GsError('damaged', `the session index of ${this.target} is damaged or outdated; run \`git session index rebuild\``);
  }

  /**
   * For a query when the tree is not in memory yet: a view that reads only the pages the
   * search descends into (undefined: load the tree whole instead).
   */
  private searchTree(): TreeSearch | undefined {
    if (this.tree || this.damaged || this.meta.count === 0 || !this.store.readsSync) return undefined;
    const k = new BloomTree(this.opts).k;
    return new PagedTree(this.opts, k, this.meta.count, (l, p) => this.store.readPageSync(l, p), () => this.damagedError());
  }

  private async loadTree(): Promise<BloomTree | undefined> {
    if (this.tree) return this.tree;
    if (this.meta.count === 0) return (this.tree = new BloomTree(this.opts));
    const t = BloomTree.fromPages(this.opts, this.meta.count, await this.store.readPages());
    if (!t) this.damaged = true;
    return (this.tree = t);
  }

  /** Seq of the newest commit on tip's first-parent chain that is indexed (0: none). */
  private async newestIndexedOnChain(tip: string, history: HistorySource): Promise<number> {
    let batch: string[] = [];
    const check = async (): Promise<number> => {
      const poss = await this.store.readSeqs(batch);
      for (const p of poss) if (p !== undefined && p <= this.meta.count) return p;
      batch = [];
      return 0;
    };
    let size = 4; // small first: the common case is a fast-forward by a few commits
    for await (const c of history.firstParentChain(tip)) {
      if (c === this.meta.tip) return this.meta.count;
      batch.push(c);
      if (batch.length >= size) {
        const p = await check();
        if (p) return p;
        size = 256;
      }
    }
    return batch.length ? check() : 0;
  }

  private async append(ch: FeedChange): Promise<void> {
    const tree = this.tree!;
    if (this.meta.count > 0 && ch.parent !== this.meta.tip) {
      throw new GsError('git-failed', `history feed out of order: ${ch.commit}'s first parent is ${ch.parent}, expected ${this.meta.tip}`);
    }
    const pos = tree.size;
    const need = tree.nextCompletionStart();
    if (need < pos && this.keyCache[need] === undefined) await this.cacheKeys(need, pos);
    const paths = [...new Set(ch.paths)];
    const keys: number[] = [];
    this.dict.changeKeyIds(
      paths.map((p) => this.dict.intern(p)),
      keys,
    );
    tree.push(keys, this.dict, (p) => this.keyCache[p]!);
    this.keyCache[pos] = keys;
    const rec: ChangeRecord = { c: ch.commit, p: ch.parent, f: paths };
    if (ch.sessionId) rec.s = ch.sessionId;
    this.pending.push({ type: 'put', sublevel: this.store.changes, key: seqKey(pos + 1), value: rec }, { type: 'put', sublevel: this.store.commits, key: ch.commit, value: pos + 1 });
    this.meta = { ...this.meta, count: pos + 1, tip: ch.commit };
  }

  /** Loads key ids of positions [from, to) not yet cached (the range a completing node covers). */
  private async cacheKeys(from: number, to: number): Promise<void> {
    let expect = from + 1;
    for await (const [seq, r] of this.store.scanChanges(from + 1, to)) {
      if (seq !== expect++) break;
      if (this.keyCache[seq - 1] !== undefined) continue;
      const keys: number[] = [];
      this.dict.changeKeyIds(
        r.f.map((p) => this.dict.intern(p)),
        keys,
      );
      this.keyCache[seq - 1] = keys;
    }
    for (let p = from; p < to; p++) {
      if (this.keyCache[p] === undefined) throw new GsError('damaged', `the session index of ${this.target} lacks change ${p + 1}; run \`git session index rebuild\``);
    }
  }

  private async flush(): Promise<void> {
    const tree = this.tree!;
    const ops = this.pending;
    this.pending = [];
    for (const { level, page } of tree.takeDirty()) {
      const bytes = tree.pageBytes(level, page);
      ops.push(bytes.length ? { type: 'put', sublevel: this.store.pages, key: pageKey(level, page), value: bytes } : { type: 'del', sublevel: this.store.pages, key: pageKey(level, page) });
    }
    ops.push(this.store.metaOp(this.meta));
    await this.store.write(ops);
  }

  /** Keeps seqs 1..keep only (a history rewrite), atomically. */
  private async truncate(keep: number): Promise<void> {
    const tree = this.tree!;
    const ops: Op[] = [];
    let tip: string | null = null;
    for await (const [seq, r] of this.store.scanChanges(Math.max(1, keep), this.meta.count)) {
      if (seq === keep) {
        tip = r.c;
        continue;
      }
      ops.push({ type: 'del', sublevel: this.store.changes, key: seqKey(seq) }, { type: 'del', sublevel: this.store.commits, key: r.c });
    }
    const height = tree.height;
    tree.truncate(keep);
    for (let L = 0; L < height; L++) {
      for (const k of await this.store.pageKeysFrom(L, Math.ceil(tree.nodeCount(L) / PAGE))) ops.push({ type: 'del', sublevel: this.store.pages, key: k });
    }
    this.keyCache.length = Math.min(this.keyCache.length, keep);
    this.meta = { ...this.meta, count: keep, tip };
    this.pending = ops;
    await this.flush();
  }

  private async resolveBase(base: string | null, tip: string, t: number, ancestry?: AncestrySource): Promise<{ position: number; commit: string | null; substituted: boolean }> {
    if (base === null) return { position: 0, commit: null, substituted: false };
    const b = await this.positionOf(base);
    if (b !== undefined) return { position: Math.min(b, t), commit: base, substituted: false };
    if (!ancestry) throw new GsError('unknown-ref', `base ${base} is not on the first-parent history of ${this.target}`);
    // The merge base is the answer when it is on the chain, unless a newer chain commit is
    // also an ancestor of base (criss-cross histories have several merge bases).
    // Otherwise (it lies off the chain, reached through a merge) binary-search the chain
    // for its newest commit that is an ancestor of base: a monotone predicate.
    const mb = await ancestry.mergeBase(base, tip);
    const mp = mb ? await this.positionOf(mb) : undefined;
    let lo = mp !== undefined && mp <= t ? mp : 0;
    let loCommit: string | null = lo ? mb : null;
    let hi = t;
    while (lo < hi) {
      const mid = lo === mp ? lo + 1 : (lo + hi + 1) >> 1; // first probe just past the merge base
      const [rec] = await this.store.readChanges([mid]);
      if (rec && (await ancestry.isAncestor(rec.c, base))) {
        lo = mid;
        loCommit = rec.c;
      } else hi = mid - 1;
    }
    return { position: lo, commit: loCommit, substituted: true };
  }
}
