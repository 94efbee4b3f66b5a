/** One step of long work: `done` of `total` (when known) in `stage` ("writing objects", "indexing"). */
export interface Progress {
  stage: string;
  done: number;
  total?: number;
}

/**
 * What long use-cases (index rebuild, transcript import, push/pull, archiving) accept to
 * report how far they are; a surface decides whether and how to show it.
 */
export type OnProgress = (p: Progress) => void;
