// `import <range or branch>`: adopts commits made with plain git as a session, so work
// done before (or without) git-session gets a goal, a timeline and can land, export or
// be asked `why`. Only refs/sessions/<id>/ is written; no branch moves.
import { GsError, usage } from '../../core/errors.js';
import { printable } from '../../core/ids.js';
import { workRef } from '../../core/layout.js';
import type { FileChange, SessionEvent, SessionSummary } from '../../core/types.js';
import { checkGoal } from '../../core/validate.js';
import { runGit } from '../../git/exec.js';
import { isAncestor, mergeBase, revParse } from '../../git/history.js';
import { ZERO } from '../../git/refs.js';
import { diffPaths } from '../../git/snapshot.js';
import type { Repo } from '../repo.js';
import { listSessions } from '../sessions.js';
import { resolveTarget } from '../target.js';
import { shortOid } from '../../core/text.js';

/** Options of `import <range or branch>`. */
export interface ImportRangeOptions {
  /** `A..B`, `..B`, `A..`, or a branch (any commit-ish), as the user typed it. */
  source: string;
  goal?: string;
  /** Target branch (default: the current branch). */
  onto?: string;
}

/** What `import` made. */
export interface ImportRangeResult {
  summary: SessionSummary;
  source: string;
  base: string;
  tip: string;
  /** The adopted commits, oldest first. */
  commits: string[];
  files: FileChange[];
  /** The same range was imported before: `summary` is that session, nothing was written. */
  existing: boolean;
}

interface GitCommit {
  oid: string;
  message: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL_BUT_WS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Base and tip of what the user named; exit 2 for anything git can't resolve. */
async function resolveSource(repo: Repo, source: string, targetTip: string): Promise<{ base: string; tip: string }> {
  if (!source.trim()) throw usage('say what to import: a range A..B or a branch');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(source)) throw new GsError('bad-input', `'${printable(source)}' has a control character`);
  if (source.startsWith('-')) throw new GsError('bad-input', `'${source}' is not a range or a branch`);
  if (source.includes('...')) throw new GsError('bad-input', `'${source}': a symmetric range (A...B) has no single base; use A..B or a branch`);
  const dots = source.indexOf('..');
  if (dots < 0) {
    const tip = await revParse(repo.cwd, source);
    const base = await mergeBase(repo.cwd, tip, targetTip);
    if (!base) throw new GsError('bad-input', `'${source}' shares no history with the target branch`);
    return { base, tip };
  }
  const from = source.slice(0, dots) || 'HEAD';
  const to = source.slice(dots + 2) || 'HEAD';
  const [start, tip] = await Promise.all([revParse(repo.cwd, from), revParse(repo.cwd, to)]);
  if (await isAncestor(repo.cwd, start, tip)) return { base: start, tip };
  // `main..feat` after main moved on: git means "feat's own commits", which start at the fork point.
  const base = await mergeBase(repo.cwd, start, tip);
  if (!base) throw new GsError('bad-input', `'${from}' and '${to}' share no history`);
  return { base, tip };
}

/** The commits in `tip` not reachable from `base`, oldest first, with their messages. */
async function commitsBetween(repo: Repo, base: string, tip: string): Promise<GitCommit[]> {
  const r = await runGit(['log', '--reverse', '--topo-order', '--no-show-signature', '-z', '--format=%H%x1e%B', tip, '--not', base, '--'], { cwd: repo.cwd });
  const out: GitCommit[] = [];
  for (const rec of r.stdout.split('\0')) {
    const sep = rec.indexOf('\x1e');
    if (sep < 0) continue;
    out.push({ oid: rec.slice(0, sep).replace(/^\n+/, ''), message: rec.slice(sep + 1).replace(CONTROL_BUT_WS, '\ufffd').trim() });
  }
  return out;
}

/**
 * Adopts the commits of a range (base = its start, or the fork point when the start is
 * not an ancestor of the end) or of a branch (base = its merge base with the target) as
 * a new session: a `message` event per commit (role user, name `commit`, the commit id
 * on its last line), an `import` event, and a `snapshot` event for the tip with the
 * files changed since the base, the new work ref moved to the tip in the one transaction
 * that creates the session. Everything is validated before the first write. The
 * session is not made current: this worktree holds the target, not the imported work.
 */
export async function importRange(repo: Repo, o: ImportRangeOptions): Promise<ImportRangeResult> {
  const { target, tip: targetTip } = await resolveTarget(repo, o.onto);
  const { base, tip } = await resolveSource(repo, o.source, targetTip);
  const commits = await commitsBetween(repo, base, tip);
  if (!commits.length) throw new GsError('bad-input', `nothing to import: '${o.source}' has no commits beyond ${shortOid(base)}`);
  const goal = checkGoal(o.goal ?? commits[0].message.split('\n')[0]);
  const files = await diffPaths(repo.cwd, base, tip);
  const key = `range:${base}..${tip}`;
  const before = (await listSessions(repo)).find((s) => s.imports?.[key]);
  if (before) return { summary: before, source: o.source, base, tip, commits: commits.map((c) => c.oid), files, existing: true };

  const id = repo.newId();
  const events: SessionEvent[] = [repo.event({ kind: 'start', goal, target, base, author: await repo.author() })];
  for (const c of commits) events.push(repo.event({ kind: 'message', role: 'user', name: 'commit', text: `${c.message}\n\ncommit ${c.oid}` }));
  events.push(repo.event({ kind: 'import', source: o.source, count: commits.length, commits: commits.map((c) => c.oid), key }));
  events.push(repo.event({ kind: 'snapshot', commit: tip, parent: base, message: `import ${o.source}`, files }));
  // The session and its work ref appear together or not at all.
  const summary = await repo.store.create(id, await repo.ident(), events, [{ ref: workRef(id), new: tip, old: ZERO }]);
  return { summary, source: o.source, base, tip, commits: commits.map((c) => c.oid), files, existing: false };
}
