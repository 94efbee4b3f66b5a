import { GsError } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import type { SessionEvent, SessionSummary, StoredEvent } from '../core/types.js';
import { checkRefName } from '../core/validate.js';
import { isAncestor } from '../git/history.js';
import { mergeOnto } from '../git/merge.js';
import type { Ident } from '../git/objects.js';
import { treeOf, worktreeTree } from '../git/snapshot.js';
import { commitFacts, diffPatchId } from '../git/patchid.js';
import { addLinks } from './links.js';
import { type ConflictReport, conflictSummary, sessionConflicts, toReports } from './landed.js';
import type { Repo } from './repo.js';
import { requireOpen } from './sessions.js';
import { syncSession, type SyncResult } from './sync.js';
import { checkoutOf, viewBase } from './view.js';
import { snapshot } from './work.js';
import { bringSessionCheckout, bringWorktreesForward, type WorktreeUpdate } from './worktree-sync.js';
import { commandLine, plural } from '../core/text.js';
import { sanitize } from '../core/sanitize.js';
import type { PolicyAnswer } from '../core/attest/policy.js';
import { type CheckSettings, checkSettings } from './attest.js';
import { landingPolicy, policyInputs } from './policy.js';

/** Options of `land`. */
export interface LandOptions {
  onto?: string;
  strategy?: 'squash' | 'merge';
  dryRun?: boolean;
  /** Sync first (stopping conflicted when the sync conflicts). */
  sync?: boolean;
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
  /** The base the session's changes were taken from (the commit its checkout reflects). */
  base: string;
  tree: string | null;
  /** Landed changes since the base touching the session's paths (from the index). */
  overlapping: ConflictReport[];
  /** Paths git could not merge (non-empty means exit 1). */
  conflicts: string[];
  messages: string[];
  worktrees: WorktreeUpdate[];
  /** The work was already on the target: nothing to commit (landed with that commit, when one holds it). */
  alreadyOnTarget?: boolean;
  /** This run finished an earlier landing that was killed before its checkout moved. */
  finished?: boolean;
  /** What `--sync` did first. */
  synced?: SyncResult;
  /** The landing policy's answer (absent when the target requires no check). */
  policy?: PolicyAnswer;
}

/** The unmet required checks, in one line. */
export function policyText(p: PolicyAnswer): string {
  return p.required.filter((q) => !q.satisfied).map((q) => `required check '${q.name}' ${q.reason}`).join('; ');
}

/** Parses "Name <email>" into an identity stamped now. */
export function identOf(author: string, now: Ident): Ident {
  const m = /^(.*) <([^>]*)>$/.exec(author);
  return m ? { ...now, name: m[1], email: m[2] } : now;
}

/** The landed commit's message: goal, a short summary of the reasoning, the trailer. */
export function landMessage(s: SessionSummary, events: StoredEvent[], files: number): string {
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
  // git log prints commit messages raw: session text goes in through the one sanitizer.
  return sanitize(lines.join('\n') + '\n');
}

/**
 * Lands a session: snapshot, conflict query through the bloom-filter index, git's
 * three-way merge of the session's changes onto the target's tip (merge base = the
 * session's base, so nothing the target gained since is dropped), then one atomic
 * transaction moving the target branch and appending the `land` event — retried from
 * the top when another lander moved the target first. On a conflict a `conflict` event
 * is recorded, nothing else moves, and the error exits 1. Work already on the target
 * makes no commit. Rerun after a landing whose checkout was not brought forward, it
 * finishes that. `--dry-run` answers for the checkout as it is, recording nothing.
 */
export async function landSession(repo: Repo, id: string, o: LandOptions = {}): Promise<LandResult> {
  const strategy = o.strategy ?? 'squash';
  const first = await repo.store.readSummary(id);
  if (first.state === 'landed' && !o.dryRun) {
    const done = await finishLanding(repo, first);
    if (done) return done;
  }
  if (first.state === 'conflicted') throw conflictedError(first);
  requireOpen(first);
  const synced = o.sync && !o.dryRun ? await syncSession(repo, id) : undefined;
  let dry: { base: string; tree?: string } | undefined;
  if (o.dryRun) {
    const c = await checkoutOf(repo, id);
    dry = c ? { tree: await worktreeTree(c.top, c.gitDir), base: await viewBase(repo, first, c) } : { base: first.base };
  } else await snapshot(repo, id);
  const ident = await repo.ident();
  const settings = o.settings ?? (await checkSettings(repo));
  let result: LandResult | undefined;
  let nothing = false;
  await repo.store.append(id, ident, async (cur) => {
    if (cur.state === 'conflicted') throw conflictedError(cur);
    requireOpen(cur);
    nothing = false;
    const target = checkRefName(o.onto ?? cur.target);
    const overlap = await sessionConflicts(repo, cur, target, dry);
    const { targetRef, tip, files, base, workTree } = overlap;
    if (!workTree) throw new GsError('bad-input', `session ${shortId(id)} has no snapshot: nothing to land`);
    const tipTree = await treeOf(repo.cwd, tip);
    const merge = await mergeOnto(repo.store.objects, repo.cwd, base, workTree, tipTree);
    result = {
      session: id, target, strategy, landed: false, dryRun: Boolean(o.dryRun), commit: null, previousTip: tip, base,
      tree: merge.clean ? merge.tree : null, overlapping: toReports(overlap.hits), conflicts: merge.conflicts, messages: merge.messages, worktrees: [],
      ...(synced ? { synced } : {}),
    };
    if (!merge.clean) {
      if (o.dryRun) return { events: [] };
      return { events: [repo.event({ kind: 'conflict', during: 'land', ...conflictSummary(overlap.hits, merge.conflicts, { from: base, to: tip }, merge.messages) })] };
    }
    const work = o.dryRun ? undefined : await repo.store.workTip(id);
    if (merge.tree === tipTree) {
      // Every change of the work is already on the target: never an empty commit.
      const existing = work && (await isAncestor(repo.cwd, work, tip)) ? work : undefined;
      result.alreadyOnTarget = true;
      if (!existing) {
        nothing = true;
        return { events: [] };
      }
      result.commit = existing;
      result.landed = true;
      const facts = (await commitFacts(repo.cwd, [existing])).get(existing);
      const link = facts ? { tree: facts.tree, ...(facts.patchId ? { patchId: facts.patchId } : {}) } : {};
      return { events: [repo.event({ kind: 'land', commit: existing, target, strategy, previousTip: tip, ...link })] };
    }
    // The policy (session.requireCheck): signed passes on the tree that would land, or on the session's own when the target stayed quiet.
    const inputs = await policyInputs(repo, target, settings);
    if (inputs) {
      result.policy = await landingPolicy(repo, cur, { target, targetRef, tip, base, ownTree: workTree, tree: merge.tree, hits: overlap.hits }, inputs);
      if (!result.policy.ok && !o.dryRun) throw new GsError('policy', `cannot land ${shortId(id)} on ${target}: ${policyText(result.policy)}`, result);
    }
    if (o.dryRun) return { events: [] };
    const events = await repo.store.readEvents(id);
    const message = landMessage(cur, events, files.length);
    const commit = await repo.store.objects.writeCommit({
      tree: merge.tree,
      parent: strategy === 'merge' ? [tip, work!] : [tip],
      message,
      author: identOf(cur.author, ident),
      committer: ident,
    });
    result.commit = commit;
    result.landed = true;
    // What identifies this change if history is rewritten later (see core/links.ts).
    const patchId = await diffPatchId(repo.cwd, tipTree, merge.tree);
    return {
      events: [repo.event({ kind: 'land', commit, target, strategy, previousTip: tip, tree: merge.tree, ...(patchId ? { patchId } : {}) })],
      updates: [{ ref: targetRef, new: commit, old: tip }],
    };
  });
  const r = result!;
  if (r.conflicts.length) {
    throw new GsError('conflict', `cannot land ${shortId(id)} on ${r.target}: conflict in ${r.conflicts.join(', ')}`, r);
  }
  if (nothing) {
    throw new GsError('policy', `nothing to land: every change of ${shortId(id)} is already on ${r.target}, and no commit of its work is (no empty commit made); git session abandon ${shortId(id)} closes it`, r);
  }
  if (r.landed && r.commit) {
    const landed = await repo.store.readSummary(id);
    await addLinks(repo, landed);
    r.worktrees = await bringWorktreesForward(repo, landed, r.previousTip, r.commit, r.target);
    if ((await repo.current()) === id) await repo.setCurrent(undefined);
  }
  return r;
}

/** The refusal to land (or sync) a session that still holds conflicts. */
export function conflictedError(s: SessionSummary): GsError {
  const paths = s.conflicted ?? [];
  return new GsError('conflict', `session ${shortId(s.id)} is conflicted in ${paths.join(', ') || 'some paths'}: edit them, then git session resolve (or git session sync --abort)`, { session: s.id, state: s.state, conflicted: paths });
}

/**
 * `land` run again on a landed session whose checkout was left behind (the run was
 * killed after its ref transaction): brings the checkout to the new tip and clears the
 * current-session pointer, as the landing would have. Undefined when there is nothing
 * left to finish.
 */
async function finishLanding(repo: Repo, s: SessionSummary): Promise<LandResult | undefined> {
  const c = await checkoutOf(repo, s.id);
  if (!c || !s.landed) return undefined;
  const land = (await repo.store.readEvents(s.id)).filter((e) => e.kind === 'land').pop();
  if (land?.kind !== 'land') return undefined;
  const update = await bringSessionCheckout(repo, s, c, land.previousTip, land.commit, land.target);
  const pointer = (await repo.current()) === s.id && c.gitDir === repo.paths.gitDir;
  if (pointer) await repo.setCurrent(undefined);
  if (!update.moved && !pointer) return undefined;
  return {
    session: s.id, target: land.target, strategy: land.strategy, landed: true, dryRun: false, commit: land.commit, previousTip: land.previousTip, base: s.base,
    tree: await treeOf(repo.cwd, land.commit), overlapping: [], conflicts: [], messages: [], worktrees: [update], finished: true,
  };
}
