// `reconcile`: links commits on a branch that carry a session's work but were not made by
// `land` (a forge's squash merge of an exported branch, a rebase-merge, a cherry-pick) to
// their sessions, by the rules of core/links.ts: a `Session-Id:` line anywhere in the
// message, a commit the hooks already recorded as a landing, the exact tree the
// session's work merged onto the commit's parent gives, the same patch-id. Never a
// guess: two sessions matching, or a near match, are reported and nothing is linked. A
// linked open session becomes landed (only through a commit on its own target); anything
// else is a further landing and changes no state. It walks the branch's first-parent
// history (and its remote copies) since where it stopped last time (reconcile-state.ts).
import { GsError } from '../core/errors.js';
import { applyEvent } from '../core/fold.js';
import { type CommitMatches, decideLink, landedCommits, landedPatchIds, linkKind, sessionIdsIn, withoutPrNumber } from '../core/links.js';
import type { OnProgress } from '../core/progress.js';
import type { LandVia, LinkVia, SessionEvent, SessionSummary } from '../core/types.js';
import { checkRefName } from '../core/validate.js';
import { runGit } from '../git/exec.js';
import { mergedTree, mergeOnto } from '../git/merge.js';
import { changedPaths, commitFacts, patchIds } from '../git/patchid.js';
import { treeOf } from '../git/snapshot.js';
import { walkFirstParent, type WalkedCommit } from '../git/walk.js';
import { addLinks, readLinks } from './links.js';
import { branchTips, defaultBranches, floorOf, type RefsOf, refsReader } from './reconcile-refs.js';
import { type BranchMark, readState, type ReconcileState, SEEN_TIPS, writeState } from './reconcile-state.js';
import type { Repo } from './repo.js';
import { listAll, listSessions } from './sessions.js';

/** Options of `reconcile`. */
export interface ReconcileOptions {
  /** The branch to walk (default: every open session's target, else the current branch). */
  onto?: string;
  dryRun?: boolean;
  /** Walk again from the sessions' bases, as if reconcile had never run. */
  rescan?: boolean;
  onProgress?: OnProgress;
  /** The sessions with refs, when the caller has just listed them. */
  sessions?: SessionSummary[];
}

/** One commit linked to one session. */
export interface ReconcileLink {
  commit: string;
  subject: string;
  branch: string;
  session: string;
  via: LandVia;
  /** `land`: the session became landed; `landing`: a further landing (no change of state). */
  recorded: 'land' | 'landing';
}

/** A commit reported and not linked. */
export interface ReconcileFinding {
  commit: string;
  subject: string;
  branch: string;
  sessions: string[];
  /** What matched more than one session (ambiguous findings). */
  via?: 'tree' | 'patch-id';
}

/** What a reconcile did (or, with dryRun, would do). */
export interface ReconcileResult {
  dryRun: boolean;
  branches: { branch: string; refs: string[]; walked: number }[];
  linked: ReconcileLink[];
  /** Sessions that became landed. */
  landed: string[];
  /** Commits more than one session matches by tree or patch-id: not linked. */
  ambiguous: ReconcileFinding[];
  /** Commits that nearly match a session (its files, or its goal as subject) but neither its tree nor its patch-id: not linked. */
  partial: ReconcileFinding[];
  /** Commits naming sessions this repository does not have (pull them, then reconcile --rescan). */
  unknown: ReconcileFinding[];
}

/** At most this many commits are read per walk (a first run on a long history reads the newest). */
const MAX_WALK = 10_000;

/** A commit that may hold a session's work, with the base its change is measured from. */
interface Source {
  session: string;
  commit: string;
  base: string;
  /** The session's own work: merged cherry-pick style onto a parent (as land does); else git's own merge. */
  work: boolean;
  tree?: string;
  paths?: string[];
  patchId?: string;
}

/** A link decided while walking, turned into an event when appending. */
interface Planned {
  session: string;
  c: WalkedCommit;
  patchId?: string;
  branch: string;
  via: LandVia;
  /** The landed commit this one replaces on the session's branch (it is no longer there: history was rewritten). */
  from?: string;
}

/** Everything one run knows about the sessions. */
interface Ctx {
  repo: Repo;
  summaries: Map<string, SessionSummary>;
  ids: Set<string>;
  /** Read on first use: a run that finds no new commit reads no session's work. */
  sources: () => Promise<Source[]>;
  /** Linked commit -> sessions holding it. */
  held: Map<string, Set<string>>;
  /** Patch-id -> landed sessions known by it. */
  landedPids: Map<string, Set<string>>;
  merges: Map<string, Promise<string | undefined>>;
  refsOf: RefsOf;
  res: ReconcileResult;
  planned: Planned[];
}

/** Whether reconcile looks for the session's work (it may still land). */
export const isOpen = (s: SessionSummary) => s.state === 'open' || s.state === 'conflicted';

/** The open sessions' work, exported tips and exported branches' tips (seen now or before), with their trees, paths and patch-ids. */
async function gatherSources(repo: Repo, refsOf: RefsOf, open: SessionSummary[], state: ReconcileState): Promise<Source[]> {
  const out: Source[] = [];
  for (const s of open) {
    if (s.state === 'open' && s.work) out.push({ session: s.id, commit: s.work, base: s.base, work: true });
    if (!s.exported) continue;
    for (const t of new Set([s.exported.tip, ...(state.seen[s.id] ?? []), ...(await branchTips(refsOf, s))])) out.push({ session: s.id, commit: t, base: s.exported.base, work: false });
  }
  const facts = await commitFacts(repo.cwd, out.map((x) => x.commit));
  const known = out.filter((x) => facts.has(x.commit));
  const pairs = known.map((x) => [x.commit, x.base] as [string, string]);
  const [pids, paths] = await Promise.all([patchIds(repo.cwd, pairs), changedPaths(repo.cwd, pairs)]);
  for (const x of known) {
    x.tree = facts.get(x.commit)!.tree;
    x.paths = paths.get(x.commit) ?? [];
    x.patchId = pids.get(x.commit);
  }
  return known;
}

/** Whether merging `src` onto the parent of `c` gives exactly `c`'s tree (cached per source and parent). */
async function treeMatches(ctx: Ctx, src: Source, c: WalkedCommit): Promise<boolean> {
  const parent = c.parents[0];
  const key = `${src.work ? 'w' : 'm'}${src.commit}:${src.base}:${parent}`;
  let p = ctx.merges.get(key);
  if (!p) {
    p = src.work
      ? treeOf(ctx.repo.cwd, parent).then(async (pt) => {
          const m = await mergeOnto(ctx.repo.store.objects, ctx.repo.cwd, src.base, src.tree!, pt);
          return m.clean ? m.tree : undefined;
        })
      : mergedTree(ctx.repo.cwd, parent, src.commit);
    ctx.merges.set(key, p);
  }
  return (await p) === c.tree;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** What matched commit `c` among the sessions `allowed` (undefined: all). */
async function matchCommit(ctx: Ctx, c: WalkedCommit, pid: string | undefined, allowed: Set<string> | undefined, branch: string): Promise<CommitMatches> {
  const ok = (id: string) => !allowed || allowed.has(id);
  const named = sessionIdsIn(c.message);
  // A name not among the refs may be an archived session (looked up only then).
  const here: string[] = [];
  for (const id of named) if (ctx.ids.has(id) || (await ctx.repo.store.exists(id))) here.push(id);
  const missing = named.filter((id) => !here.includes(id));
  if (missing.length && !allowed) ctx.res.unknown.push(finding(c, branch, missing));
  const m: CommitMatches = { trailer: here.filter(ok), rewrite: [...(ctx.held.get(c.commit) ?? [])].filter(ok), tree: [], patchId: [], partial: [] };
  if (m.trailer.length || m.rewrite.length) return m;
  // Sessions linked earlier in this walk are no longer looked for by their work.
  const srcs = (await ctx.sources()).filter((x) => ok(x.session) && isOpen(ctx.summaries.get(x.session)!));
  if (c.paths.length) {
    for (const x of srcs) {
      if (m.tree.includes(x.session) || !c.paths.every((p) => x.paths!.includes(p))) continue;
      if (await treeMatches(ctx, x, c)) m.tree.push(x.session);
    }
  }
  if (pid) {
    for (const x of srcs) if (x.patchId === pid) m.patchId.push(x.session);
    for (const id of ctx.landedPids.get(pid) ?? []) if (ok(id)) m.patchId.push(id);
  }
  const subject = withoutPrNumber(c.message.split('\n')[0]).toLowerCase();
  for (const x of srcs) {
    const goal = ctx.summaries.get(x.session)!.goal.trim().toLowerCase();
    if ((c.paths.length && sameSet(c.paths, x.paths!)) || (subject && subject === goal)) m.partial.push(x.session);
  }
  return m;
}

function finding(c: WalkedCommit, branch: string, sessions: string[], via?: 'tree' | 'patch-id'): ReconcileFinding {
  return { commit: c.commit, subject: c.message.split('\n')[0], branch, sessions, ...(via ? { via } : {}) };
}

/** The event linking `p` records for a session as it is now (undefined: it already holds the commit). */
function linkEvent(repo: Repo, s: SessionSummary, p: Planned): SessionEvent | undefined {
  const kind = linkKind(s, p.c.commit, p.branch);
  if (!kind) return undefined;
  const pid = p.patchId ? { patchId: p.patchId } : {};
  if (kind === 'land') {
    const strategy = p.c.parents.length > 1 ? 'merge' : 'squash';
    return repo.event({ kind: 'land', commit: p.c.commit, target: p.branch, strategy, previousTip: p.c.parents[0], tree: p.c.tree, ...pid, via: p.via });
  }
  return repo.event({ kind: 'landing', commit: p.c.commit, tree: p.c.tree, ...pid, branch: p.branch, via: p.via as LinkVia, ...(p.from ? { from: p.from } : {}) });
}

/**
 * For a landed session found again on the branch it landed on: the landed commit this one
 * replaces when that is no longer on the branch (amended or rebased without the hooks),
 * so the session's landed commit follows it.
 */
async function replaced(ctx: Ctx, s: SessionSummary, c: WalkedCommit, branch: string): Promise<{ from?: string }> {
  const l = s.landed;
  if (s.state !== 'landed' || !l || l.commit === c.commit || branch !== (l.target ?? s.target)) return {};
  const r = await runGit(['merge-base', '--is-ancestor', l.commit, c.commit], { cwd: ctx.repo.cwd, allowFail: true });
  return r.code === 1 ? { from: l.commit } : {};
}

/** A session's summary: one with refs from the run's list, an archived one read the first time a commit links to it. */
async function summaryOf(ctx: Ctx, id: string): Promise<SessionSummary | undefined> {
  const known = ctx.summaries.get(id);
  if (known) return known;
  const a = await ctx.repo.store.archived(id);
  if (!a || a.damaged) return undefined;
  const s = await ctx.repo.store.readSummary(id, a.meta);
  ctx.summaries.set(id, s);
  return s;
}

/** Walks `commits` oldest first, deciding each; `allowed` limits the sessions looked for (a walk further back for new ones). */
async function walk(ctx: Ctx, commits: WalkedCommit[], branch: string, allowed?: Set<string>, onProgress?: OnProgress): Promise<void> {
  const pids = await patchIds(ctx.repo.cwd, commits.map((c) => [c.commit, c.parents[0]]));
  let done = 0;
  for (const c of commits) {
    if (done++ % 50 === 0) onProgress?.({ stage: `reconciling ${branch}`, done, total: commits.length });
    const pid = pids.get(c.commit);
    const d = decideLink(await matchCommit(ctx, c, pid, allowed, branch));
    if (!d) continue;
    if ('ambiguous' in d) ctx.res.ambiguous.push(finding(c, branch, d.ambiguous, d.via));
    else if ('partial' in d) ctx.res.partial.push(finding(c, branch, d.partial));
    else {
      for (const id of d.link) {
        const s = await summaryOf(ctx, id);
        const p: Planned = { session: id, c, branch, via: d.via, ...(pid ? { patchId: pid } : {}), ...(s ? await replaced(ctx, s, c, branch) : {}) };
        const ev = s && linkEvent(ctx.repo, s, p);
        if (!s || !ev) continue;
        ctx.summaries.set(id, applyEvent(s, ev));
        ctx.planned.push(p);
        ctx.res.linked.push({ commit: c.commit, subject: c.message.split('\n')[0], branch, session: id, via: d.via, recorded: ev.kind === 'land' ? 'land' : 'landing' });
        if (ev.kind === 'land') ctx.res.landed.push(id);
      }
    }
  }
}

/** Reconciles one branch: new commits for every session, older ones for sessions not looked for before. */
async function reconcileBranch(ctx: Ctx, branch: string, mark: BranchMark | undefined, o: ReconcileOptions): Promise<BranchMark | undefined> {
  const refs = await ctx.refsOf(branch);
  if (!refs.size) return mark;
  const tips = [...refs.values()];
  const open = [...ctx.summaries.values()].filter(isOpen);
  const prev = mark && !o.rescan ? (await commitFacts(ctx.repo.cwd, Object.values(mark.tips))).keys() : undefined;
  const prevTips = prev ? [...prev] : [];
  let floor: string | undefined;
  if (!prevTips.length) {
    // First walk of this branch: back to where the sessions started (open ones, and landed
    // ones, archived too, for cherry-picks): the one time a run reads every session.
    const bases = (await listSessions(ctx.repo)).filter((s) => isOpen(s) || s.state === 'landed').map((s) => (isOpen(s) ? s.base : s.startBase));
    floor = bases.length ? await floorOf(ctx.repo, bases) : tips[0];
  }
  const fresh = await walkFirstParent(ctx.repo.cwd, tips, prevTips.length ? prevTips : floor ? [floor] : [], MAX_WALK);
  await walk(ctx, fresh, branch, undefined, o.onProgress);
  let walked = fresh.length;
  const newcomers = prevTips.length ? open.filter((s) => !mark!.covered.includes(s.id)) : [];
  if (newcomers.length) {
    const back = await floorOf(ctx.repo, newcomers.map((s) => s.base));
    const older = await walkFirstParent(ctx.repo.cwd, prevTips, back ? [back] : [], MAX_WALK);
    await walk(ctx, older, branch, new Set(newcomers.map((s) => s.id)), o.onProgress);
    walked += older.length;
  }
  ctx.res.branches.push({ branch, refs: [...refs.keys()], walked });
  return { tips: Object.fromEntries(refs), covered: open.map((s) => s.id) };
}

/** Appends the planned links, one append per session, each re-decided against the session as it is then. */
async function applyPlanned(ctx: Ctx): Promise<void> {
  const { repo } = ctx;
  const ident = await repo.ident();
  const bySession = new Map<string, Planned[]>();
  for (const p of ctx.planned) bySession.set(p.session, [...(bySession.get(p.session) ?? []), p]);
  for (const [id, list] of bySession) {
    const s = await repo.store.append(id, ident, (cur) => {
      let now = cur;
      const events: SessionEvent[] = [];
      for (const p of list) {
        const ev = linkEvent(repo, now, p);
        if (!ev) continue;
        events.push(ev);
        now = applyEvent(now, ev);
      }
      return { events };
    });
    await addLinks(repo, s);
  }
}

/**
 * Links the commits of `onto` (default: every open session's target; the current branch
 * when none is open) to sessions, walking only what is new since the last run (and, for
 * sessions not looked for before, back to their base). `dryRun` decides the same and
 * writes nothing (no event, no remembered position).
 */
export async function reconcile(repo: Repo, o: ReconcileOptions = {}): Promise<ReconcileResult> {
  // Sessions with refs (every open one); archived ones are known through the links list
  // and read only when a commit links to one, so a run costs the open sessions, not all.
  const all = o.sessions ?? (await listAll(repo, undefined, { refsOnly: true })).sessions;
  const refsOf = await refsReader(repo);
  const summaries = new Map(all.map((s) => [s.id, s]));
  const open = all.filter(isOpen);
  let branches: string[];
  if (o.onto !== undefined) {
    const b = checkRefName(o.onto).replace(/^refs\/heads\//, '');
    if (!(await refsOf(b)).size) throw new GsError('unknown-ref', `no branch '${b}' here or on a remote`);
    branches = [b];
  } else branches = defaultBranches(repo, open);
  const state = await readState(repo);
  const held = new Map<string, Set<string>>();
  const landedPids = new Map<string, Set<string>>();
  const addPid = (p: string, id: string) => landedPids.set(p, (landedPids.get(p) ?? new Set()).add(id));
  for (const s of all) {
    for (const c of landedCommits(s)) held.set(c, (held.get(c) ?? new Set()).add(s.id));
    if (s.state === 'landed') for (const p of landedPatchIds(s)) addPid(p, s.id);
  }
  // The links list also knows the patch-ids of commits landed before they were recorded.
  // An archived session (closed, not in `summaries`) is there with the commits it landed.
  for (const l of await readLinks(repo)) {
    if (l.kind !== 'landed') continue;
    const s = summaries.get(l.session);
    if (!s) held.set(l.commit, (held.get(l.commit) ?? new Set()).add(l.session));
    if (l.patchId && (s ? s.state === 'landed' : true)) addPid(l.patchId, l.session);
  }
  const res: ReconcileResult = { dryRun: Boolean(o.dryRun), branches: [], linked: [], landed: [], ambiguous: [], partial: [], unknown: [] };
  let gathered: Promise<Source[]> | undefined;
  const sources = () => (gathered ??= gatherSources(repo, refsOf, open, state));
  const ctx: Ctx = { repo, summaries, ids: repo.store.listIds(), sources, held, landedPids, merges: new Map(), refsOf, res, planned: [] };
  const marks: Record<string, BranchMark> = {};
  for (const b of branches) {
    const m = await reconcileBranch(ctx, b, state.branches[b], o);
    if (m) marks[b] = m;
  }
  if (o.dryRun) return res;
  await applyPlanned(ctx);
  // Exported branches' tips seen now are remembered (a PR branch deleted after its merge still counts).
  for (const s of open) {
    if (!s.exported) continue;
    const seen = [...new Set([...(state.seen[s.id] ?? []), ...(await branchTips(refsOf, s))])].filter((t) => t !== s.exported!.tip);
    state.seen[s.id] = seen.slice(-SEEN_TIPS);
  }
  for (const id of Object.keys(state.seen)) if (!open.some((s) => s.id === id)) delete state.seen[id];
  await writeState(repo, { ...state, branches: { ...state.branches, ...marks } });
  const current = await repo.current();
  if (current && res.landed.includes(current)) await repo.setCurrent(undefined);
  return res;
}
