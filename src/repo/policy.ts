// The landing policy applied to one landing (SPEC "Trusted checks on a moved target"):
// which checks the target requires (`session.requireCheck`), how the session's signed
// checks stand, and whether the target moved under the session's paths since the base a
// check was made on (the landed index answers). core/attest/policy.ts decides.
import { basesToAsk, evaluatePolicy, type PolicyAnswer } from '../core/attest/policy.js';
import type { ConflictHit } from '../cache/landed.js';
import type { SessionSummary } from '../core/types.js';
import { diffPaths } from '../git/snapshot.js';
import { type CheckSettings, requiredChecks } from './attest.js';
import { landedHits } from './landed.js';
import type { Repo } from './repo.js';
import { verifyInputs, verifySession, type VerifyInputs } from './verify.js';

/** What a landing knows when it asks the policy. */
export interface LandingAt {
  target: string;
  targetRef: string;
  /** The target's tip the merge was made on. */
  tip: string;
  /** The base the landing's conflict answer is for (the commit the session's work reflects). */
  base: string;
  /** The session's own tree (its work as it lands). */
  ownTree: string;
  /** The merged tree that would land. */
  tree: string;
  /** Landed changes in (base, tip] touching the session's paths (the land's own index query). */
  hits: ConflictHit[];
}

/** The checks `target` requires, with the inputs to judge them (undefined: nothing is required, nothing is read). */
export async function policyInputs(repo: Repo, target: string, settings: CheckSettings): Promise<(VerifyInputs & { required: string[] }) | undefined> {
  const required = requiredChecks(settings, target);
  if (!required.length) return undefined;
  return { ...(await verifyInputs(repo, settings)), required };
}

/** Whether the landing may go ahead under the policy. */
export async function landingPolicy(repo: Repo, s: SessionSummary, at: LandingAt, inputs: VerifyInputs & { required: string[] }): Promise<PolicyAnswer> {
  const events = await repo.store.readEvents(s.id);
  const v = await verifySession(repo, s, events, inputs);
  const quiet = new Map<string, boolean>();
  for (const b of basesToAsk(inputs.required, v.checks, at.ownTree)) {
    if (b === at.base) quiet.set(b, at.hits.length === 0);
    else {
      // Checked on another base: ask the index about (that base, tip] and the paths changed since it.
      const paths = (await diffPaths(repo.cwd, b, at.ownTree).catch(() => undefined))?.map((f) => f.path);
      const q = paths ? await landedHits(repo, at.targetRef, b, at.tip, paths).catch(() => undefined) : undefined;
      quiet.set(b, q !== undefined && q.hits.length === 0);
    }
  }
  return evaluatePolicy(inputs.required, v.checks, { landingTrees: new Set([at.tree]), ownTree: at.ownTree, quietSince: quiet });
}
