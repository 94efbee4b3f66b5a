// A server landing one request (README "Landing through a server"): the same landing as a
// local `land` — the Bloom-tree conflict query through the server's own index, git's
// merge-tree (cherry-pick style from the session's base onto the target's tip), the
// trusted-checks policy with the server's own allowed signers (never running a check) —
// then ONE `update-ref --stdin` transaction moving the target, appending the session's
// `land` or `conflict` event, deleting the request and writing the verdict. Killed before
// that transaction, nothing moved and the request is still queued; after it, all of it
// moved. What the client pushed is data: the session is folded here from its validated
// events with this server's authority (its own start; a `land` obeyed only when its commit
// is on the branch), never from the session.json it pushed. No worktree is used.
import { GsError, isGsError } from '../../core/errors.js';
import { foldEvents } from '../../core/fold.js';
import { type LandRequest, requestRef, type Verdict, verdictRef } from '../../core/land-request.js';
import type { SessionSummary, StoredEvent } from '../../core/types.js';
import { isAncestor } from '../../git/history.js';
import { mergeOnto } from '../../git/merge.js';
import { commitFacts, diffPatchId } from '../../git/patchid.js';
import type { Ident } from '../../git/objects.js';
import { transact, ZERO } from '../../git/refs.js';
import { treeOf } from '../../git/snapshot.js';
import { type CheckSettings } from '../attest.js';
import { identOf, landMessage, policyText } from '../land.js';
import { conflictSummary, sessionConflicts, toReports } from '../landed.js';
import { landingPolicy, policyInputs } from '../policy.js';
import type { Repo } from '../repo.js';
import { branchRef } from '../target.js';
import { writeVerdict } from './queue.js';

/** A request as found in the queue. */
export interface Queued {
  request: LandRequest;
  /** The request commit (the compare-and-swap value of its ref). */
  oid: string;
}

/**
 * The session as this server obeys it: folded from its events, its own start first, each
 * `land` obeyed only when its commit is on the branch it names (or the session's target).
 */
export async function serverSummary(repo: Repo, id: string, meta: string): Promise<{ summary: SessionSummary; events: StoredEvent[] }> {
  const events = await repo.store.readEvents(id, meta);
  const start = (await repo.store.creatingStarts([meta])).get(meta);
  if (!start || !events.some((e) => e.kind === 'start' && e.id === start)) throw new GsError('damaged', `session ${id} is damaged: it lacks the start its first commit holds`);
  const first = events.find((e) => e.id === start);
  const target = first?.kind === 'start' ? first.target : '';
  const faults = new Map<string, string>();
  for (const e of events) {
    if (e.kind !== 'land') continue;
    const on = async (b: string) => Boolean(b) && (await repo.store.objects.resolve(branchRef(b))) !== undefined && isAncestor(repo.cwd, e.commit, branchRef(b));
    if (!(await on(target)) && !(await on(e.target))) faults.set(e.id, `its commit ${e.commit.slice(0, 12)} is not on ${target}`);
  }
  return { summary: foldEvents(id, events, { start, landFault: (ev) => faults.get(ev.id) }), events };
}

/** Why a landing cannot even be tried, or undefined. */
function closedReason(s: SessionSummary): string | undefined {
  if (s.state === 'conflicted') return `the session is conflicted in ${(s.conflicted ?? []).join(', ') || 'some paths'}: resolve it, then ask again`;
  if (s.state !== 'open') return `the session is ${s.state}`;
  return undefined;
}

/**
 * Lands one queued request and records the verdict. Returns the verdict, or undefined when
 * the request was replaced or withdrawn meanwhile (nothing was written for it). Stored
 * data that cannot be read is a refusal naming why; a transient failure (git, a busy
 * index) throws and leaves the request queued.
 */
export async function landQueued(repo: Repo, q: Queued, settings: CheckSettings): Promise<Verdict | undefined> {
  const { request: req, oid } = q;
  const id = req.session;
  const ident = await repo.ident();
  const at = () => new Date(repo.clock()).toISOString();
  const head = { version: 1 as const, session: id, request: oid, target: req.target, at: at() };
  let verdict: Verdict | undefined;
  const meta = await repo.store.metaTip(id);
  if (!meta) return answer(repo, q, { ...head, outcome: 'refused', reason: `the server has no session ${id}` }, ident);
  try {
    await repo.store.append(id, ident, async () => {
      verdict = undefined;
      if ((await repo.store.objects.resolve(requestRef(id))) !== oid) return { events: [] };
      const tip0 = await repo.store.metaTip(id);
      const { summary: s, events } = await serverSummary(repo, id, tip0!);
      const now = { ...head, at: at() };
      if (s.state === 'landed' && s.landed) {
        // Asked again after it landed (a client that stopped waiting): the same answer.
        verdict = { ...now, outcome: 'landed', commit: s.landed.commit };
        return { events: [] };
      }
      const closed = closedReason(s);
      if (closed) {
        verdict = { ...now, outcome: 'refused', reason: closed };
        return { events: [] };
      }
      const work = await repo.store.workTip(id);
      if (work !== req.work) {
        verdict = { ...now, outcome: 'refused', reason: "the session's work on the server is not the one requested (another clone pushed since): pull, then ask again" };
        return { events: [] };
      }
      const targetRef = branchRef(req.target);
      if (!(await repo.store.objects.resolve(targetRef))) {
        verdict = { ...now, outcome: 'refused', reason: `the server has no branch '${req.target}'` };
        return { events: [] };
      }
      const overlap = await sessionConflicts(repo, s, req.target);
      const { tip, base, workTree, files } = overlap;
      const tipTree = await treeOf(repo.cwd, tip);
      const merge = await mergeOnto(repo.store.objects, repo.cwd, base, workTree!, tipTree);
      const done = async (v: Verdict) => {
        verdict = v;
        return [{ ref: requestRef(id), new: ZERO, old: oid }, { ref: verdictRef(id), new: await writeVerdict(repo, v, ident) }];
      };
      if (!merge.clean) {
        const v: Verdict = { ...now, outcome: 'conflict', previousTip: tip, conflicts: merge.conflicts, overlapping: toReports(overlap.hits).slice(0, 100) };
        const ev = repo.event({ kind: 'conflict', during: 'land', ...conflictSummary(overlap.hits, merge.conflicts, { from: base, to: tip }, merge.messages) });
        return { events: [ev], updates: await done(v) };
      }
      if (merge.tree === tipTree) {
        // Every change is on the target already: never an empty commit.
        if (!(await isAncestor(repo.cwd, work, tip))) {
          verdict = { ...now, outcome: 'refused', reason: `nothing to land: every change of the session is already on ${req.target}, and no commit of its work is` };
          return { events: [] };
        }
        const facts = (await commitFacts(repo.cwd, [work])).get(work);
        const link = facts ? { tree: facts.tree, ...(facts.patchId ? { patchId: facts.patchId } : {}) } : {};
        const ev = repo.event({ kind: 'land', commit: work, target: req.target, strategy: req.strategy, previousTip: tip, ...link });
        return { events: [ev], updates: await done({ ...now, outcome: 'landed', commit: work, previousTip: tip, alreadyOnTarget: true }) };
      }
      const inputs = await policyInputs(repo, req.target, settings);
      if (inputs) {
        const p = await landingPolicy(repo, s, { target: req.target, targetRef, tip, base, ownTree: workTree!, tree: merge.tree, hits: overlap.hits }, inputs);
        if (!p.ok) {
          verdict = { ...now, outcome: 'refused', reason: policyText(p), checks: p.required.map((c) => ({ name: c.name, satisfied: c.satisfied, ...(c.reason ? { reason: c.reason } : {}), ...(c.signer ? { signer: c.signer } : {}) })) };
          return { events: [] };
        }
      }
      const commit = await repo.store.objects.writeCommit({
        tree: merge.tree,
        parent: req.strategy === 'merge' ? [tip, work] : [tip],
        message: landMessage(s, events, files.length),
        author: identOf(s.author, ident),
        committer: ident,
      });
      // What identifies this change if history is rewritten later (core/links.ts), as a local land records it.
      const patchId = await diffPatchId(repo.cwd, tipTree, merge.tree);
      const ev = repo.event({ kind: 'land', commit, target: req.target, strategy: req.strategy, previousTip: tip, tree: merge.tree, ...(patchId ? { patchId } : {}) });
      const updates = await done({ ...now, outcome: 'landed', commit, previousTip: tip });
      return { events: [ev], updates: [{ ref: targetRef, new: commit, old: tip }, ...updates] };
    });
  } catch (e) {
    if (isGsError(e) && (e.code === 'damaged' || e.code === 'bad-input' || e.code === 'unknown-ref' || e.code === 'unknown-session')) {
      return answer(repo, q, { ...head, outcome: 'refused', reason: `the server cannot land it: ${e.message}` }, ident);
    }
    throw e;
  }
  // Refusals record no event: the request goes and the verdict stays, in one transaction.
  if (verdict?.outcome === 'refused' || (verdict?.outcome === 'landed' && (await repo.store.objects.resolve(requestRef(id))) === oid)) return answer(repo, q, verdict, ident);
  return verdict;
}

/** Answers without touching the session: the request goes, the verdict is written (compare-and-swap on the request). */
export async function answer(repo: Repo, q: Queued, v: Verdict, ident: Ident): Promise<Verdict | undefined> {
  const id = q.request.session;
  const ok = await transact(repo.cwd, [{ ref: requestRef(id), new: ZERO, old: q.oid }, { ref: verdictRef(id), new: await writeVerdict(repo, v, ident) }]);
  return ok ? v : undefined;
}
