// `land --check`: the local replacement for a CI run. When the landing policy is not met
// by the session's own signed checks (the target moved under its paths, or nothing was
// signed on the tree that would land), the required checks run on the merged tree in a
// temporary worktree, are signed, and then the session lands. If the target moves again
// meanwhile, the new merged tree is checked in turn (a few rounds, then give up).
import { checkName } from '../core/attest/verify.js';
import { GsError, isGsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import type { EventOf } from '../core/types.js';
import { checkSettings } from './attest.js';
import { type LandOptions, type LandResult, landSession } from './land.js';
import type { Repo } from './repo.js';
import { type CheckIo, type CheckResult, runMergedCheck } from './check.js';
import { snapshot } from './work.js';

const ROUNDS = 3;

/** What `land --check` did: the landing, and the checks it ran on merged trees. */
export interface LandCheckResult extends LandResult {
  ran: CheckResult['event'][];
}

/** The command a required check last ran with in this session (redacted as it was stored). */
async function commandOf(repo: Repo, id: string, name: string): Promise<string[]> {
  const events = await repo.store.readEvents(id);
  const last = events.filter((e): e is EventOf<'check'> => e.kind === 'check' && checkName(e) === name).at(-1);
  if (!last) {
    throw new GsError('policy', `required check '${name}' never ran in session ${shortId(id)}, so land --check does not know its command: run git session check --name '${name}' -- <command> once`);
  }
  return last.command;
}

/** Lands `id`, first running (and signing) on the merged tree every required check the policy still lacks. */
export async function landWithChecks(repo: Repo, id: string, o: LandOptions, io: CheckIo): Promise<LandCheckResult> {
  const settings = await checkSettings(repo);
  if (!settings.signing) {
    throw new GsError('policy', 'land --check signs the checks it runs: set session.signingKey (or user.signingKey with gpg.format=ssh)');
  }
  await snapshot(repo, id);
  const ran: CheckResult['event'][] = [];
  for (let round = 1; ; round++) {
    const dry = await landSession(repo, id, { ...o, dryRun: true, settings });
    if (!dry.conflicts.length && dry.policy && !dry.policy.ok) {
      const work = (await repo.store.workTip(id))!;
      for (const q of dry.policy.required.filter((x) => !x.satisfied)) {
        const r = await runMergedCheck(repo, id, await commandOf(repo, id, q.name), q.name, { tree: dry.tree!, tip: dry.previousTip, work, target: dry.target }, io, settings);
        ran.push(r.event);
        if (r.signError) throw new GsError('policy', `could not sign '${q.name}' on the merged tree: ${r.signError}; nothing landed`);
        if (r.event.exitCode !== 0) {
          throw new GsError('check-failed', `required check '${q.name}' failed (exit ${r.event.exitCode}) on the merged tree ${dry.tree!.slice(0, 12)}: nothing landed`, { ...dry, ran });
        }
      }
    }
    try {
      return { ...(await landSession(repo, id, { ...o, settings })), ran };
    } catch (e) {
      // The target moved between the checks and the landing: check the new merged tree.
      if (isGsError(e) && e.code === 'policy' && round < ROUNDS && ran.length) continue;
      throw e;
    }
  }
}
