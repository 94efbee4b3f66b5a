// The data shapes of the landed-change index's API (the class is in landed.ts, which
// re-exports all of these; import from there).

/** A change on the landed sequence. */
export interface LandedChange {
  seq: number;
  commit: string;
  sessionId?: string;
  paths: string[];
}

/** A landed change that touched some of the queried paths. */
export interface ConflictHit {
  seq: number;
  commit: string;
  sessionId?: string;
  /** The change's paths that equal, contain or lie under a queried path (sorted). */
  overlapping: string[];
}

/** `index stats`. */
export interface IndexStats {
  target: string;
  tip: string;
  changes: number;
  nodes: number;
  bytes: number;
  levels: { level: number; nodes: number; bytes: number; fill: number; measuredFpRate: number }[];
  fanout: number;
  fpRate: number;
}

/** One change as the history feed yields it. */
export interface FeedChange {
  commit: string;
  parent: string | null;
  paths: string[];
  sessionId?: string;
}

/** Where catchUp reads history from (git, in production: `gitHistory(dir)`). */
export interface HistorySource {
  /** First-parent changes after `sinceExclusive` (null: from the root) up to `tip`, oldest first. */
  changes(sinceExclusive: string | null, tip: string): AsyncIterable<FeedChange>;
  /** `tip`'s first-parent chain, newest (tip) first; consumers may stop early. */
  firstParentChain(tip: string): AsyncIterable<string>;
}

/** Ancestry questions for resolving a base that is not on the sequence. */
export interface AncestrySource {
  /** Best common ancestor of a and b, or null. */
  mergeBase(a: string, b: string): Promise<string | null>;
  /** True when a is an ancestor of b (or equal). */
  isAncestor(a: string, b: string): Promise<boolean>;
}

/** Query options. */
export interface QueryOptions {
  /** Stop after this many confirmed hits (the earliest); default all. */
  limit?: number;
  /** With a limit: the earliest hits (default), or false for any hits (cheaper). */
  ordered?: boolean;
  /** Needed only when the base may not be on the sequence. */
  ancestry?: AncestrySource;
}

/** A query's hits and the range it actually covered. */
export interface QueryResult {
  hits: ConflictHit[];
  requestedBase: string | null;
  /** The base used: the requested one, or its substitute; null = start of the sequence. */
  base: string | null;
  basePosition: number;
  tipPosition: number;
  /** True when the requested base was not on the sequence and a substitute was used. */
  baseSubstituted: boolean;
}
