// What `pull` runs once the sessions moved: reconcile of the open sessions' targets, skipped
// when no target moved since reconcile last stopped, and the links of the sessions the pull
// changed added to the list the hooks read. Reads only the sessions that have refs (open
// ones never sit in the archive), once, so a pull into a repository of 100,000 sessions
// pays for the open ones, not for every session ever made.
import type { SessionSummary } from '../core/types.js';
import { addLinks } from './links.js';
import { isOpen, reconcile, type ReconcileResult } from './reconcile.js';
import { branchTips, defaultBranches, refsReader } from './reconcile-refs.js';
import { readState } from './reconcile-state.js';
import type { Repo } from './repo.js';
import { listAll } from './sessions.js';

/**
 * The branches a run would walk, when it would find nothing there: each has the tips it
 * had when reconcile last stopped, every open session was looked for then, and no exported
 * branch has a tip it has not seen. Undefined when a run has something to do.
 */
async function nothingNew(repo: Repo, sessions: SessionSummary[]): Promise<string[] | undefined> {
  const open = sessions.filter(isOpen);
  const refsOf = await refsReader(repo);
  const branches = defaultBranches(repo, open);
  const state = await readState(repo);
  for (const b of branches) {
    const mark = state.branches[b];
    if (!mark) return undefined;
    const refs = await refsOf(b);
    if (refs.size !== Object.keys(mark.tips).length || [...refs].some(([r, v]) => mark.tips[r] !== v)) return undefined;
    if (open.some((s) => s.target === b && !mark.covered.includes(s.id))) return undefined;
  }
  for (const s of open) {
    if (!s.exported) continue;
    const seen = new Set([s.exported.tip, ...(state.seen[s.id] ?? [])]);
    if ((await branchTips(refsOf, s)).some((t) => !seen.has(t))) return undefined;
  }
  return branches;
}

/**
 * Reconciles after a pull (only the commits new since the last run, local or fetched by
 * anyone into the remote's copy; nothing at all when no target moved) and adds the links
 * of the sessions the pull `changed`. Never fails the pull: a problem is returned.
 */
export async function reconcileAfterPull(repo: Repo, changed: string[] = []): Promise<{ result?: ReconcileResult; error?: string }> {
  try {
    const sessions = (await listAll(repo, undefined, { refsOnly: true })).sessions;
    const quiet = await nothingNew(repo, sessions);
    const result: ReconcileResult = quiet
      ? { dryRun: false, branches: quiet.map((branch) => ({ branch, refs: [], walked: 0 })), linked: [], landed: [], ambiguous: [], partial: [], unknown: [] }
      : await reconcile(repo, { sessions });
    // The pulled copies' own landings and exports (a link reconcile made was added as it made it).
    const want = new Set(changed);
    for (const s of sessions) if (want.has(s.id)) await addLinks(repo, s);
    return { result };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
