// The landing policy applied to one landing (SPEC "Trusted checks on a moved target"):
// which checks the target requires (`session.requireCheck`), how the session's signed
// checks stand, and whether the target moved under the session's paths since the base a
// check was made on (the landed index answers). core/attest/policy.ts decides.
import { basesToAsk, evaluatePolicy, type PolicyAnswer } from '../core/attest/policy.js';
import type { ConflictHit } from '../cache/landed.js';
import type { SessionSummary } from '../core/types.js';
import { diffPaths } from '../git/snapshot.js';
import { type CheckSettings, requiredChecks } from './attest.js';
import { touchedSince } from './landed.js';
import type { Repo } from './repo.js';
import { verifyInputs, verifySession, type VerifyInputs } from './verify.js';

/** What a landing knows when it asks the policy. */
export interface LandingAt {
  target: string;
  targetRef: string;
  /** The target's tip the merge was made on. */
  tip: string;
  /** The session's work tip. */
  work: string;
  /** The merged tree that would land. */
  tree: string;
  /** Landed changes since the session's base touching its paths (the land's own index query). */
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
  const ownTree = (await repo.store.objects.readCommit(at.work)).tree;
  const quiet = new Map<string, boolean>();
  for (const b of basesToAsk(inputs.required, v.checks, ownTree)) {
    if (b === s.base) quiet.set(b, at.hits.length === 0);
    else {
      const paths = (await diffPaths(repo.cwd, b, at.work)).map((f) => f.path);
      quiet.set(b, !(await touchedSince(repo, at.targetRef, at.tip, b, paths).catch(() => true)));
    }
  }
  return evaluatePolicy(inputs.required, v.checks, { landingTrees: new Set([at.tree]), ownTree, quietSince: quiet });
}
