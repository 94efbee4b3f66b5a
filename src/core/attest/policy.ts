// The landing policy (SPEC "Trusted checks on a moved target"): every check named by
// `session.requireCheck` needs a valid PASSED attestation by an allowed signer either on
// the exact tree that would land, or on the session's own tree when nothing landed since
// the base it was checked on touches the session's paths (the Bloom-tree answer is empty).
// Pure: the caller supplies the verdicts and that answer; a server applies the same rule.
import type { CheckVerdict } from './verify.js';

/** How one required check stands. */
export interface RequiredCheck {
  name: string;
  satisfied: boolean;
  /** The check event that satisfies it. */
  by?: string;
  signer?: string;
  /** `exact`: signed on the tree that would land; `quiet`: on the session's own tree, nothing touching its paths landed since. */
  how?: 'exact' | 'quiet';
  /** Why not, when not. */
  reason?: string;
}

/** The policy's answer for one landing. */
export interface PolicyAnswer {
  ok: boolean;
  required: RequiredCheck[];
}

/** What a landing would put on the target, and what is known about the target since. */
export interface LandingFacts {
  /** The tree that would land (for `verify --require`, every tree the session stands for). */
  landingTrees: ReadonlySet<string>;
  /** The session's own tree (its work tip's). */
  ownTree: string;
  /**
   * For a base an attestation was made on: true when nothing landed on the target since
   * it touches the session's paths; false when something did; absent when unknown.
   */
  quietSince: ReadonlyMap<string, boolean>;
}

/** The bases whose quietness `evaluatePolicy` will ask about (signed passes on the session's own tree). */
export function basesToAsk(required: readonly string[], verdicts: readonly CheckVerdict[], ownTree: string): string[] {
  const want = new Set(required);
  const bases = new Set<string>();
  for (const v of verdicts) {
    if (want.has(v.name) && sound(v) && v.passed && !v.merged && v.tree === ownTree && v.base) bases.add(v.base);
  }
  return [...bases];
}

/** Signed by an allowed signer and consistent with its event (whatever tree the session is on now). */
function sound(v: CheckVerdict): boolean {
  return v.status === 'valid' || v.status === 'stale';
}

/** Answers whether a landing may go ahead, check by check. */
export function evaluatePolicy(required: readonly string[], verdicts: readonly CheckVerdict[], f: LandingFacts): PolicyAnswer {
  const out: RequiredCheck[] = [];
  for (const name of [...new Set(required)]) {
    const mine = verdicts.filter((v) => v.name === name);
    const signed = mine.filter(sound);
    const qualifies = (v: CheckVerdict): 'exact' | 'quiet' | undefined => {
      if (f.landingTrees.has(v.tree)) return 'exact';
      if (!v.merged && v.tree === f.ownTree && v.base && f.quietSince.get(v.base) === true) return 'quiet';
      return undefined;
    };
    // The latest signed check on a qualifying tree decides (a pass then a fail on one tree is a fail).
    const last = [...signed].reverse().find((v) => qualifies(v));
    if (last && last.passed) {
      out.push({ name, satisfied: true, by: last.event, signer: last.signer, how: qualifies(last) });
      continue;
    }
    let reason: string;
    const landing = [...f.landingTrees].map((t) => t.slice(0, 12)).join(', ');
    if (last) reason = `failed (exit ${last.exitCode}) on tree ${last.tree.slice(0, 12)}, signed by ${last.signer}`;
    else if (!mine.length) reason = 'never ran in this session';
    else if (!signed.length) {
      const bad = [...mine].reverse().find((v) => v.status === 'invalid');
      reason = bad ? `its attestation is invalid: ${bad.reason}` : 'ran unsigned (no SSH signing key configured)';
    } else {
      const own = [...signed].reverse().find((v) => v.passed && !v.merged && v.tree === f.ownTree);
      reason = own
        ? `passed on the session's tree ${own.tree.slice(0, 12)}, but changes landed since touch its paths: the merged tree ${landing} needs its own check (land --check)`
        : `no signed pass on tree ${landing}`;
    }
    out.push({ name, satisfied: false, reason });
  }
  return { ok: out.every((r) => r.satisfied), required: out };
}
