// `why <file>[:<line>]`: from a line to the commit that last changed it (git blame at
// HEAD), to the session that produced the commit, to that session's reasoning.
import { posix, relative, sep } from 'node:path';
import { GsError, usage } from '../../core/errors.js';
import { isId } from '../../core/ids.js';
import type { SessionSummary } from '../../core/types.js';
import { checkRepoPath } from '../../core/validate.js';
import { runGit } from '../../git/exec.js';
import type { Repo } from '../repo.js';
import { listSessions, showSession } from '../sessions.js';
import { type Reasoning, reasoningOf } from './markdown.js';
import { plural } from '../../core/text.js';
import { landedCommits, sessionIdsIn } from '../../core/links.js';

/** How the commit was tied to its session (`landing`: a rewritten, cherry-picked or reconciled copy of its landed commit). */
export type WhyVia = 'trailer' | 'land-event' | 'landing' | 'work-tip' | 'import-event' | 'message';

/** What `why` found. */
export interface WhyResult {
  /** The path relative to the repository root. */
  path: string;
  line: number | null;
  /** The line's text at HEAD (with a line number). */
  text: string | null;
  commit: { id: string; author: string; date: string; subject: string };
  session: (Pick<SessionSummary, 'id' | 'goal' | 'state' | 'target' | 'author' | 'agent' | 'landed'> & { via: WhyVia }) | null;
  /** A `Session-Id:` the commit names that this repository does not have (not fetched?). */
  unknownSession: string | null;
  /** Other sessions the same commit carries (a squash of several): the answer is the one whose own change holds the line. */
  otherSessions: string[];
  reasoning: Reasoning | null;
}

/** Splits `file[:line]`; a trailing `:<digits>` is a line unless the whole string is the file. */
export function parseWhyTarget(spec: string, exists: (p: string) => Promise<boolean>): Promise<{ path: string; line: number | null }> {
  const m = /^(.+):(\d+)$/.exec(spec);
  if (!m) return Promise.resolve({ path: spec, line: null });
  return exists(spec).then((whole) => (whole ? { path: spec, line: null } : { path: m[1], line: Number(m[2]) }));
}

/** The repository-relative form of `p` given relative to `cwd`. */
function repoPath(top: string, cwd: string, p: string): string {
  const prefix = relative(top, cwd).split(sep).join('/');
  if (prefix.startsWith('..')) throw new GsError('bad-input', `${cwd} is outside the worktree ${top}`);
  return posix.normalize(prefix ? `${prefix}/${p}` : p).replace(/\/$/, '');
}

/** The object type at HEAD:<path>, or undefined when HEAD has no such path. */
async function typeAtHead(repo: Repo, rel: string): Promise<string | undefined> {
  const r = await runGit(['cat-file', '-t', `HEAD:${rel}`], { cwd: repo.top, allowFail: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The commit that last changed line `line` of `rel` at HEAD, and the line's text. */
async function blameLine(repo: Repo, rel: string, line: number): Promise<{ commit: string; text: string }> {
  const r = await runGit(['blame', '--porcelain', '-L', `${line},${line}`, 'HEAD', '--', rel], { cwd: repo.top, allowFail: true });
  if (r.code !== 0) {
    const m = /has only (\d+) lines?/.exec(r.stderr);
    throw new GsError('bad-input', m ? `${rel} has only ${plural(Number(m[1]), 'line')} at HEAD` : `cannot blame ${rel}:${line}: ${r.stderr.trim().split('\n').pop()}`);
  }
  const lines = r.stdout.split('\n');
  const text = lines.find((l) => l.startsWith('\t'));
  return { commit: lines[0].split(' ')[0], text: text ? text.slice(1) : '' };
}

/** Author, date, subject, `Session-Id:` trailers and body of one commit. */
async function commitInfo(repo: Repo, commit: string): Promise<{ info: WhyResult['commit']; trailers: string[]; body: string }> {
  const r = await runGit(['show', '-s', '--no-show-signature', '--format=%H%x00%an <%ae>%x00%aI%x00%s%x00%(trailers:key=Session-Id,valueonly,separator=%x1f)%x00%B', commit, '--'], { cwd: repo.cwd });
  const [id, author, date, subject, trailers, body] = r.stdout.split('\0');
  return { info: { id, author, date, subject }, trailers: trailers.split('\x1f').map((t) => t.trim()).filter(Boolean), body: body ?? '' };
}

/** Whether the session's own change (its base to its work) adds `text` to `path` (or, without a line, touches `path`). */
async function changeHolds(repo: Repo, s: SessionSummary, path: string, text: string | null): Promise<boolean> {
  if (!s.work) return false;
  const r = await runGit(['diff-tree', '-p', '--no-renames', '--no-color', '--no-ext-diff', s.base, s.work, '--', path], { cwd: repo.cwd, allowFail: true });
  if (r.code !== 0 || !r.stdout) return false;
  return text === null || r.stdout.split('\n').some((l) => l === `+${text}`);
}

/**
 * The sessions behind `commit`, the best first: those its `Session-Id:` trailers name
 * (snapshot, sync and landed commits carry one), those whose landed commit it is or
 * that hold it as a landing (a rewrite, a cherry-pick, a reconciled squash merge), those
 * a `Session-Id:` line anywhere in the message names, the session whose work tip it is,
 * an imported session whose `import` event lists it. A commit several sessions share (a
 * rebase squashed them) answers with the one whose own change holds the line.
 */
async function sessionOf(repo: Repo, commit: string, trailers: string[], body: string, at: { path: string; text: string | null }): Promise<{ id?: string; via?: WhyVia; unknown?: string; others: string[] }> {
  const all = await listSessions(repo);
  const byId = new Map(all.map((s) => [s.id, s]));
  const found: { id: string; via: WhyVia }[] = [];
  const add = (id: string, via: WhyVia) => {
    if (!found.some((f) => f.id === id)) found.push({ id, via });
  };
  for (const t of trailers) if (isId(t) && (await repo.store.exists(t))) add(t, 'trailer');
  for (const s of all) if (s.landed?.commit === commit || s.landed?.first === commit) add(s.id, 'land-event');
  for (const s of all) if (landedCommits(s).includes(commit)) add(s.id, 'landing');
  for (const id of sessionIdsIn(body)) if (isId(id) && (await repo.store.exists(id))) add(id, 'message');
  if (!found.length) {
    const tip = all.find((s) => s.work === commit);
    if (tip) add(tip.id, 'work-tip');
  }
  if (!found.length) {
    // Only sessions with an import event can hold adopted commits: read just their events.
    const imported = all.filter((s) => (s.counts.import ?? 0) > 0);
    if (imported.length) {
      const metas = await repo.store.metaTipsOf(imported.map((s) => s.id));
      const events = await repo.store.readEventsMany([...metas].map(([id, meta]) => ({ id, meta })));
      for (const [id, evs] of events) {
        if (evs.some((e) => e.kind === 'import' && e.commits?.includes(commit))) add(id, 'import-event');
      }
    }
  }
  if (!found.length) return { unknown: trailers[0], others: [] };
  let best = found[0];
  if (found.length > 1) {
    for (const f of found) {
      const s = byId.get(f.id);
      if (s && (await changeHolds(repo, s, at.path, at.text))) {
        best = f;
        break;
      }
    }
  }
  return { id: best.id, via: best.via, others: found.filter((f) => f !== best).map((f) => f.id) };
}

/** Answers `why <file>[:<line>]` (path relative to `cwd`, which must be in the worktree). */
export async function why(repo: Repo, cwd: string, spec: string): Promise<WhyResult> {
  if (!spec) throw usage('say which file: git session why <file>[:<line>]');
  const top = repo.top;
  const head = await runGit(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { cwd: top, allowFail: true });
  if (head.code !== 0) throw new GsError('bad-input', 'HEAD has no commits yet: nothing to explain');
  const { path, line } = await parseWhyTarget(spec, async (p) => {
    try {
      return (await typeAtHead(repo, repoPath(top, cwd, checkRepoPath(p)))) !== undefined;
    } catch {
      return false;
    }
  });
  const rel = repoPath(top, cwd, checkRepoPath(path));
  const type = rel ? await typeAtHead(repo, rel) : 'tree';
  if (!type) throw new GsError('bad-input', `'${path}' is not in the repository at HEAD`);
  let commit: string;
  let text: string | null = null;
  if (line !== null) {
    if (type !== 'blob') throw new GsError('bad-input', `'${path}' is not a file: give a line only for files`);
    if (line < 1) throw new GsError('bad-input', 'line numbers start at 1');
    ({ commit, text } = await blameLine(repo, rel, line));
  } else {
    commit = (await runGit(['log', '-1', '--format=%H', 'HEAD', '--', rel || '.'], { cwd: top })).stdout.trim();
  }
  const c = await commitInfo(repo, commit);
  const found = await sessionOf(repo, c.info.id, c.trailers, c.body, { path: rel || '.', text });
  const out: WhyResult = { path: rel || '.', line, text, commit: c.info, session: null, unknownSession: found.unknown ?? null, otherSessions: found.others, reasoning: null };
  if (found.id && found.via) {
    const { summary: s, events } = await showSession(repo, found.id);
    out.session = { id: s.id, goal: s.goal, state: s.state, target: s.target, author: s.author, ...(s.agent ? { agent: s.agent } : {}), ...(s.landed ? { landed: s.landed } : {}), via: found.via };
    out.reasoning = reasoningOf(events);
  }
  return out;
}
