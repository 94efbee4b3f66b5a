import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import type { SessionEvent, SessionSummary } from '../core/types.js';
import { checkRefName } from '../core/validate.js';
import { mergeCommits } from '../git/merge.js';
import type { Ident } from '../git/objects.js';
import { type ConflictReport, sessionConflicts, toReports } from './landed.js';
import type { Repo } from './repo.js';
import { requireOpen } from './sessions.js';
import { branchRef } from './target.js';
import { snapshot } from './work.js';
import { bringWorktreesForward, type WorktreeUpdate } from './worktree-sync.js';
import { commandLine, plural } from '../core/text.js';
import type { PolicyAnswer } from '../core/attest/policy.js';
import { type CheckSettings, checkSettings } from './attest.js';
import { landingPolicy, policyInputs } from './policy.js';

/** Options of `land`. */
export interface LandOptions {
  onto?: string;
  strategy?: 'squash' | 'merge';
  dryRun?: boolean;
  /** Check settings already read (land --check); read here otherwise. */
  settings?: CheckSettings;
}

/** What `land` did or, with a conflict or `--dry-run`, would do. */
export interface LandResult {
  session: string;
  target: string;
  strategy: 'squash' | 'merge';
  landed: boolean;
  dryRun: boolean;
  commit: string | null;
  previousTip: string;
  tree: string | null;
  /** Landed changes since the base touching the session's paths (from the index). */
  overlapping: ConflictReport[];
  /** Paths git could not merge (non-empty means exit 1). */
  conflicts: string[];
  messages: string[];
  worktrees: WorktreeUpdate[];
  /** The landing policy's answer (absent when the target requires no check). */
  policy?: PolicyAnswer;
}

/** The unmet required checks, in one line. */
export function policyText(p: PolicyAnswer): string {
  return p.required.filter((q) => !q.satisfied).map((q) => `required check '${q.name}' ${q.reason}`).join('; ');
}

/** Parses "Name <email>" into an identity stamped now. */
function identOf(author: string, now: Ident): Ident {
  const m = /^(.*) <([^>]*)>$/.exec(author);
  return m ? { ...now, name: m[1], email: m[2] } : now;
}

/** The landed commit's message: goal, a short summary of the reasoning, the trailer. */
export function landMessage(s: SessionSummary, events: SessionEvent[], files: number): string {
  const lines = [s.goal, ''];
  const prompts = events.filter((e) => e.kind === 'prompt').length;
  const decisions = events.filter((e): e is Extract<SessionEvent, { kind: 'decision' }> => e.kind === 'decision');
  const checks = events.filter((e): e is Extract<SessionEvent, { kind: 'check' }> => e.kind === 'check');
  const lastCheck = checks[checks.length - 1];
  lines.push(
    `Session ${shortId(s.id)}: ${plural(prompts, 'prompt')}, ${plural(decisions.length, 'decision')}, ${plural(files, 'file')} changed${lastCheck ? `; last check ${lastCheck.exitCode === 0 ? 'passed' : `failed (exit ${lastCheck.exitCode})`}: ${commandLine(lastCheck.command)}` : ''}.`,
  );
  for (const d of decisions.slice(0, 8)) {
    lines.push(`- ${d.chosen}${d.rejected.length ? ` (over ${d.rejected.map((r) => r.option).join(', ')})` : ''}`);
  }
  if (decisions.length > 8) lines.push(`- … ${decisions.length - 8} more: git session show ${shortId(s.id)}`);
  lines.push('', `Session-Id: ${s.id}`);
  if (s.agent) lines.push(`Session-Agent: ${s.agent.name}${s.agent.model ? ` (${s.agent.model})` : ''}`);
  return lines.join('\n') + '\n';
}

/**
 * Lands a session: snapshot, conflict query through the bloom-filter index, git's
 * three-way merge (`merge-tree`, no worktree), then one atomic transaction moving the
 * target branch and appending the `land` event — retried from the top when another
 * lander moved the target first. On a conflict a `conflict` event is recorded, nothing
 * else moves, and the error exits 1.
 */
export async function landSession(repo: Repo, id: string, o: LandOptions = {}): Promise<LandResult> {
  const strategy = o.strategy ?? 'squash';
  // The transaction below checks the state; the snapshot refuses a closed session too.
  if (!o.dryRun) await snapshot(repo, id);
  const ident = await repo.ident();
  const settings = o.settings ?? (await checkSettings(repo));
  let result: LandResult | undefined;
  await repo.store.append(id, ident, async (cur) => {
    requireOpen(cur);
    const target = checkRefName(o.onto ?? cur.target);
    const work = await repo.store.workTip(id);
    if (!work) throw new GsError('bad-input', `session ${shortId(id)} has no snapshot: nothing to land`);
    const overlap = await sessionConflicts(repo, cur, target);
    const { targetRef, tip, files } = overlap;
    const merge = await mergeCommits(repo.cwd, tip, work);
    result = {
      session: id, target, strategy, landed: false, dryRun: Boolean(o.dryRun), commit: null, previousTip: tip,
      tree: merge.clean ? merge.tree : null, overlapping: toReports(overlap.hits), conflicts: merge.conflicts, messages: merge.messages, worktrees: [],
    };
    if (!merge.clean) {
      if (o.dryRun) return { events: [] };
      const clashing = overlap.hits.filter((h) => h.overlapping.some((p) => merge.conflicts.some((c) => c === p || c.startsWith(`${p}/`) || p.startsWith(`${c}/`))));
      return { events: [repo.event({ kind: 'conflict', files: merge.conflicts, commits: (clashing.length ? clashing : overlap.hits).map((h) => h.commit), during: 'land', detail: merge.messages.join('\n') })] };
    }
    // The policy (session.requireCheck): signed passes on the tree that would land, or on the session's own when the target stayed quiet.
    const inputs = await policyInputs(repo, target, settings);
    if (inputs) {
      result.policy = await landingPolicy(repo, cur, { target, targetRef, tip, work, tree: merge.tree, hits: overlap.hits }, inputs);
      if (!result.policy.ok && !o.dryRun) throw new GsError('policy', `cannot land ${shortId(id)} on ${target}: ${policyText(result.policy)}`, result);
    }
    if (o.dryRun) return { events: [] };
    const events = await repo.store.readEvents(id);
    const message = landMessage(cur, events, files.length);
    const commit = await repo.store.objects.writeCommit({
      tree: merge.tree,
      parent: strategy === 'merge' ? [tip, work] : [tip],
      message,
      author: identOf(cur.author, ident),
      committer: ident,
    });
    result.commit = commit;
    result.landed = true;
    return {
      events: [repo.event({ kind: 'land', commit, target, strategy, previousTip: tip })],
      updates: [{ ref: targetRef, new: commit, old: tip }],
    };
  });
  const r = result!;
  if (r.conflicts.length) {
    throw new GsError('conflict', `cannot land ${shortId(id)} on ${r.target}: conflict in ${r.conflicts.join(', ')}`, r);
  }
  if (r.landed && r.commit) {
    r.worktrees = await bringWorktreesForward(repo, id, branchRef(r.target), r.previousTip, r.commit);
    if ((await repo.current()) === id) await repo.setCurrent(undefined);
  }
  return r;
}
