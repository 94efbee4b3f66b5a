// Prompt requests: a contributor submits the prompt (and why it matters) as a session in
// state `requested`, with no work; maintainers review it (`review`), the contributor
// refines it (`record prompt`: the next iteration), and an accepted request is run with an
// agent the maintainer trusts (request-run.ts). The rules of which review is obeyed are in
// core/request.ts; this file writes the events and reads a request back.
import { posix, relative, resolve, sep } from 'node:path';
import { GsError, usage } from '../core/errors.js';
import { shortId } from '../core/ids.js';
import { type RequestView, requestView } from '../core/request.js';
import type { SessionEvent, SessionSummary, Verdict } from '../core/types.js';
import { checkGoal, checkRepoPath, checkText } from '../core/validate.js';
import { runGit } from '../git/exec.js';
import type { Repo } from './repo.js';
import { showSession } from './sessions.js';
import { resolveTarget } from './target.js';

/** Options of `request`. */
export interface RequestOptions {
  prompt: string;
  goal?: string;
  onto?: string;
  /** Paths the prompt refers to, relative to `cwd`. */
  context?: string[];
  /** Where relative context paths start (the command's directory). */
  cwd: string;
}

// A goal taken from the prompt is its first line, cut here.
const GOAL_CHARS = 72;

/** The goal a prompt suggests: its first non-blank line (a Markdown heading's text), cut short. */
export function goalOf(prompt: string): string {
  const line = prompt.split('\n').map((l) => l.replace(/^\s*#+\s*/, '').trim()).find(Boolean) ?? '';
  const chars = [...line];
  return chars.length > GOAL_CHARS ? `${chars.slice(0, GOAL_CHARS - 1).join('').trimEnd()}…` : line;
}

/**
 * Creates a prompt request: a `start` with `request` (state `requested`) based at the
 * target's tip, and the prompt as its first iteration, in one write. Context paths must
 * name files or directories on the target. Not made current: there is no work here.
 */
export async function createRequest(repo: Repo, o: RequestOptions): Promise<SessionSummary> {
  const text = checkText('the prompt', o.prompt);
  const goal = checkGoal(o.goal ?? goalOf(text));
  const { target, tip } = await resolveTarget(repo, o.onto);
  const context = await contextPaths(repo, o.cwd, o.context ?? [], tip, target);
  const author = await repo.author();
  const id = repo.newId();
  const start = repo.event({ kind: 'start', goal, target, base: tip, author, request: { context } });
  const prompt = repo.event({ kind: 'prompt', text, author });
  return repo.store.create(id, await repo.ident(), [start, prompt]);
}

/** Context paths made repository-relative, each checked to exist on the target (`git ls-tree`). */
async function contextPaths(repo: Repo, cwd: string, given: string[], tip: string, target: string): Promise<string[]> {
  if (!given.length) return [];
  const top = repo.paths.top ?? repo.cwd;
  const prefix = relative(top, resolve(cwd)).split(sep).join('/');
  const paths = [...new Set(given.map((p) => {
    const rel = posix.normalize(prefix ? `${prefix}/${checkRepoPath(p, 'context path')}` : checkRepoPath(p, 'context path')).replace(/\/$/, '');
    if (rel === '.' || rel.startsWith('../')) throw new GsError('bad-name', `context path '${p}' is not a path inside the repository`);
    return rel;
  }))];
  const r = await runGit(['ls-tree', '--name-only', '-z', tip, '--', ...paths], { cwd: repo.cwd });
  const found = new Set(r.stdout.split('\0').filter(Boolean));
  const missing = paths.filter((p) => !found.has(p));
  if (missing.length) throw new GsError('bad-input', `context path '${missing[0]}' is not on ${target}`);
  return paths;
}

/** What `review` did: the event written (none when it would change nothing). */
export interface ReviewResult {
  summary: SessionSummary;
  event?: SessionEvent;
}

/**
 * Appends a review of the request's latest iteration, refusing (exit 1) what the fold would
 * not obey: an accept or reject of a request already run, landed or withdrawn, a reject of
 * one already closed. Accepting what is accepted writes nothing. Not a request: exit 2.
 */
export async function reviewRequest(repo: Repo, id: string, verdict: Verdict, text?: string): Promise<ReviewResult> {
  if (verdict !== 'accept' && !text?.trim()) throw usage(verdict === 'reject' ? 'say why it is rejected: --reject "<reason>"' : 'the comment is empty');
  const reason = text?.trim() ? checkText(verdict === 'comment' ? 'the comment' : 'the reason', text) : undefined;
  const reviewer = await repo.author();
  let event: SessionEvent | undefined;
  const summary = await repo.store.append(id, await repo.ident(), (cur) => {
    event = undefined;
    const r = cur.request;
    if (!r) throw new GsError('bad-input', `session ${shortId(id)} is not a prompt request`);
    if (!r.prompt) throw new GsError('damaged', `request ${shortId(id)} has no prompt`);
    if (verdict !== 'comment') {
      if (r.ran) throw new GsError('session-closed', `request ${shortId(id)} was already run by ${r.ran.by}: it is a ${cur.state} session now`);
      const reopens = verdict === 'accept' && cur.state === 'abandoned' && r.status === 'rejected';
      if (cur.state !== 'requested' && !reopens) throw new GsError('session-closed', `request ${shortId(id)} is ${cur.state}${cur.state === 'abandoned' ? ' (withdrawn)' : ''}`);
      if (verdict === 'accept' && r.status === 'accepted') return { events: [] };
    }
    event = repo.event({ kind: 'review', verdict, reviewer, promptId: r.prompt, ...(reason ? { reason } : {}) });
    return { events: [event] };
  });
  return { summary, ...(event ? { event } : {}) };
}

/** A request whole: its summary and its history (iterations and reviews); exit 2 when it is not one. */
export async function showRequest(repo: Repo, id: string): Promise<{ summary: SessionSummary; view: RequestView }> {
  const { summary, events } = await showSession(repo, id);
  const view = requestView(summary, events);
  if (!view) throw new GsError('bad-input', `session ${shortId(id)} is not a prompt request`);
  return { summary, view };
}
