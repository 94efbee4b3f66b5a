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

/** How the commit was tied to its session. */
export type WhyVia = 'trailer' | 'land-event' | 'work-tip' | 'import-event' | 'message';

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

/**
 * The session behind `commit`: its `Session-Id:` trailer (snapshot, sync and landed
 * commits carry it), else a session whose `land` event or work tip is the commit, else
 * a `Session-Id:` line anywhere in the message (a forge's squash merge of an exported
 * branch), else an imported session whose `import` event lists the commit.
 */
async function sessionOf(repo: Repo, commit: string, trailers: string[], body: string): Promise<{ id?: string; via?: WhyVia; unknown?: string }> {
  for (const t of trailers) if (isId(t) && (await repo.store.exists(t))) return { id: t, via: 'trailer' };
  const all = await listSessions(repo);
  const landed = all.find((s) => s.landed?.commit === commit);
  if (landed) return { id: landed.id, via: 'land-event' };
  const tip = all.find((s) => s.work === commit);
  if (tip) return { id: tip.id, via: 'work-tip' };
  for (const m of body.matchAll(/^Session-Id:\s*(\S+)\s*$/gm)) if (isId(m[1]) && (await repo.store.exists(m[1]))) return { id: m[1], via: 'message' };
  // Only sessions with an import event can hold adopted commits: read just their events.
  const imported = all.filter((s) => (s.counts.import ?? 0) > 0);
  if (imported.length) {
    const metas = await repo.store.metaTipsOf(imported.map((s) => s.id));
    const events = await repo.store.readEventsMany([...metas].map(([id, meta]) => ({ id, meta })));
    for (const [id, evs] of events) {
      if (evs.some((e) => e.kind === 'import' && e.commits?.includes(commit))) return { id, via: 'import-event' };
    }
  }
  return { unknown: trailers[0] };
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
  const found = await sessionOf(repo, c.info.id, c.trailers, c.body);
  const out: WhyResult = { path: rel || '.', line, text, commit: c.info, session: null, unknownSession: found.unknown ?? null, reasoning: null };
  if (found.id && found.via) {
    const { summary: s, events } = await showSession(repo, found.id);
    out.session = { id: s.id, goal: s.goal, state: s.state, target: s.target, author: s.author, ...(s.agent ? { agent: s.agent } : {}), ...(s.landed ? { landed: s.landed } : {}), via: found.via };
    out.reasoning = reasoningOf(events);
  }
  return out;
}
