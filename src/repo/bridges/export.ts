// `export <id> --branch <name>`: a session as a plain branch a forge can review, plus
// the Markdown pull-request description. The branch ref moves in one CAS update, then an
// `export` event remembers the branch and its tip, so reconcile still finds the work
// after a forge merged the branch and deleted it. Commit objects written while planning
// are unreachable until then, so a refusal leaves every ref as it was.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { GsError } from '../../core/errors.js';
import { printable, shortId } from '../../core/ids.js';
import type { FileChange, SessionSummary } from '../../core/types.js';
import { checkRefName } from '../../core/validate.js';
import { runGit } from '../../git/exec.js';
import type { Ident } from '../../git/objects.js';
import { transact, ZERO } from '../../git/refs.js';
import { diffPaths } from '../../git/snapshot.js';
import { listWorktrees } from '../../git/worktrees.js';
import { remotes } from '../remotes.js';
import { branchRef } from '../target.js';
import type { Repo } from '../repo.js';
import { showSession } from '../sessions.js';
import { snapshot } from '../work.js';
import { addLinks } from '../links.js';
import { prBody } from './markdown.js';
import { attestedOf } from '../verify.js';
import { shortOid } from '../../core/text.js';
import { sanitize } from '../../core/sanitize.js';
import type { OnProgress } from '../../core/progress.js';
import { simpleGitTransport } from '../transport.js';

/** Options of `export <id> --branch`. */
export interface ExportOptions {
  branch: string;
  /** Overwrite a branch that is not an earlier export of this session. */
  force?: boolean;
}

/** What an export will write (and, after `applyExport`, did). */
export interface ExportPlan {
  session: string;
  branch: string;
  ref: string;
  base: string;
  tip: string;
  /** The branch's value before, null when it did not exist. */
  previous: string | null;
  /** The branch already pointed at this export: nothing to write. */
  unchanged: boolean;
  /** The exported commits, oldest first. */
  commits: string[];
  /** Work commits folded into one because the chain holds a sync merge (0: none). */
  squashed: number;
  /** Commits re-created (new parent or an added trailer). */
  rewritten: number;
  files: FileChange[];
  prBody: string;
}

interface ChainCommit {
  oid: string;
  parents: string[];
  trailers: string[];
}

/** Full names of the branches checked out in some worktree (never moved under them). */
async function checkedOut(repo: Repo): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const w of await listWorktrees(repo.cwd)) if (w.branch) m.set(w.branch, w.path);
  return m;
}

/**
 * Whether `tip` is an earlier export of session `id`: the commits it has that the
 * target branch and the session's base lack are non-empty and all carry the session's
 * trailer. (A landed commit carries the trailer too, but it is on the target, so a
 * stray `--branch main` is never mistaken for an export.)
 */
async function isExportOf(repo: Repo, tip: string, s: SessionSummary): Promise<boolean> {
  const target = await repo.store.objects.resolve(branchRef(s.target));
  const not = [s.base, ...(target ? [target] : [])];
  const r = await runGit(['log', '-z', '--format=%(trailers:key=Session-Id,valueonly,separator=%x1f)', tip, '--not', ...not, '--'], { cwd: repo.cwd });
  const recs = r.stdout.split('\0').filter((x, i, a) => i < a.length - 1 || x !== '');
  return recs.length > 0 && recs.every((t) => t.split('\x1f').map((v) => v.trim()).includes(s.id));
}

/** Refuses (exit 2, nothing written) to take over a branch that is not this session's export. */
async function guardBranch(repo: Repo, ref: string, name: string, s: SessionSummary, force: boolean, tip?: string): Promise<string | undefined> {
  const where = (await checkedOut(repo)).get(ref);
  if (where) throw new GsError('policy', `branch '${name}' is checked out in ${where}; export to another branch`);
  const existing = await repo.store.objects.resolve(ref);
  if (!existing || force || existing === tip || (await isExportOf(repo, existing, s))) return existing;
  throw new GsError('policy', `branch '${name}' exists and is not an export of session ${shortId(s.id)}; pick another name or pass --force`);
}

/** The work's first-parent chain from the base, oldest first (empty when the work adds nothing). */
async function chainOf(repo: Repo, base: string, work: string): Promise<ChainCommit[]> {
  const r = await runGit(
    ['log', '--first-parent', '-z', '--format=%H%x1e%P%x1e%(trailers:key=Session-Id,valueonly,separator=%x1f)', work, '--not', base, '--'],
    { cwd: repo.cwd },
  );
  const out: ChainCommit[] = [];
  for (const rec of r.stdout.split('\0')) {
    const [oid, parents, trailers] = rec.replace(/^\n+/, '').split('\x1e');
    if (!oid) continue;
    out.push({ oid, parents: parents ? parents.split(' ') : [], trailers: (trailers ?? '').split('\x1f').map((t) => t.trim()).filter(Boolean) });
  }
  return out.reverse();
}

/** `message` with `Key: value` as its last trailer (a new trailer paragraph when it has none). */
export function addTrailer(message: string, key: string, value: string): string {
  const body = message.replace(/\s+$/, '');
  const paras = body.split(/\n[ \t]*\n/);
  const last = paras[paras.length - 1];
  const isTrailers = paras.length > 1 && last.split('\n').every((l) => /^[A-Za-z0-9][A-Za-z0-9-]*:\s*\S/.test(l) || /^\s+\S/.test(l));
  return `${body}${isTrailers ? '\n' : '\n\n'}${key}: ${value}\n`;
}

/** Subjects of the non-merge commits in `tip` not reachable from `base` (for a squash message). */
async function subjects(repo: Repo, tip: string, base: string): Promise<string[]> {
  const r = await runGit(['log', '--no-merges', '-z', '--format=%s', '-n', '51', tip, '--not', base, '--'], { cwd: repo.cwd });
  return r.stdout.split('\0').map((s) => s.replace(/^\n+/, '')).filter(Boolean);
}

/**
 * The exported tip. A linear work chain whose commits already carry the trailer is
 * exported as is (the branch points at the work tip). A sync merge (first parent the
 * new base, second the old work) can't go on a reviewable branch without dragging the
 * old base along, so everything up to the newest one becomes a single commit on the
 * current base with that merge's tree; later commits are re-created on top. If the
 * base is not on the work's first-parent chain at all (an imported branch that merged
 * its target), the whole work becomes one commit. All re-created commits keep their
 * author, committer and message (plus the trailer), so exporting again is
 * deterministic and yields the same ids.
 */
async function exportTip(repo: Repo, s: SessionSummary, work: string): Promise<{ tip: string; commits: string[]; squashed: number; rewritten: number }> {
  const read = (oid: string) => repo.store.objects.readCommit(oid);
  const chain = await chainOf(repo, s.base, work);
  if (!chain.length) throw new GsError('bad-input', `session ${shortId(s.id)} has no work beyond its base ${shortOid(s.base)}: nothing to export`);
  const write = (tree: string, parent: string, message: string, author: Ident, committer: Ident) =>
    repo.store.objects.writeCommit({ tree, parent: [parent], message, author, committer });
  const squash = async (upto: number, why: string): Promise<string> => {
    const top = await read(chain[upto].oid);
    const subj = (await subjects(repo, chain[upto].oid, s.base)).filter((x) => !/^sync: rebase onto /.test(x));
    const list = subj.slice(0, 50).map((x) => `- ${x}`);
    if (subj.length > 50) list.push('- …');
    const msg = sanitize(`${s.goal}\n\n${why}${list.length ? `:\n${list.join('\n')}` : '.'}\n\nSession-Id: ${s.id}\n`);
    return write(top.tree, s.base, msg, top.author, top.committer);
  };
  let parent = s.base;
  let start = 0;
  let squashed = 0;
  let rewritten = 0;
  const commits: string[] = [];
  if (chain[0].parents[0] !== s.base) {
    parent = await squash(chain.length - 1, `Session work squashed onto ${shortOid(s.base)} (its base is not on the work's first-parent chain)`);
    return { tip: parent, commits: [parent], squashed: chain.length, rewritten: 1 };
  }
  const lastMerge = chain.map((c) => c.parents.length > 1).lastIndexOf(true);
  if (lastMerge >= 0) {
    parent = await squash(lastMerge, `Session work up to its last merge (a sync onto ${shortOid(s.base)}), squashed`);
    commits.push(parent);
    start = lastMerge + 1;
    squashed = lastMerge + 1;
    rewritten = 1;
  }
  for (const c of chain.slice(start)) {
    if (c.parents[0] === parent && c.trailers.includes(s.id)) {
      parent = c.oid;
    } else {
      const full = await read(c.oid);
      const message = c.trailers.includes(s.id) ? full.message : addTrailer(full.message, 'Session-Id', s.id);
      parent = await write(full.tree, parent, message, full.author, full.committer);
      rewritten++;
    }
    commits.push(parent);
  }
  return { tip: parent, commits, squashed, rewritten };
}

/**
 * Plans an export: validates the name, snapshots an open session's worktree (as land
 * does), computes the branch tip and the PR description. Refuses (exit 2) before
 * writing anything when the branch is taken.
 */
export async function planExport(repo: Repo, id: string, o: ExportOptions): Promise<ExportPlan> {
  const name = await checkExportBranch(repo, o.branch);
  const ref = `refs/heads/${name}`;
  const before = await repo.store.readSummary(id);
  await guardBranch(repo, ref, name, before, Boolean(o.force));
  if (before.state === 'open') await snapshot(repo, id);
  const { summary: s, events } = await showSession(repo, id);
  const work = await repo.store.workTip(id);
  if (!work) throw new GsError('bad-input', `session ${shortId(id)} has no snapshot: nothing to export`);
  const t = await exportTip(repo, s, work);
  const previous = await guardBranch(repo, ref, name, s, Boolean(o.force), t.tip);
  const files = await diffPaths(repo.cwd, s.base, t.tip);
  const attested = (await attestedOf(repo, [{ summary: s, events }])).get(id);
  return {
    session: id, branch: name, ref, base: s.base, tip: t.tip, previous: previous ?? null, unchanged: previous === t.tip,
    commits: t.commits, squashed: t.squashed, rewritten: t.rewritten, files, prBody: prBody(s, events, files, { base: s.base, branch: name, attested }),
  };
}

/**
 * A branch name export may write: one `git check-ref-format --branch` accepts as it is
 * (no `@{-1}` expansion), that does not start with `refs/` and shadows neither `HEAD` (nor
 * FETCH_HEAD and its kin) nor a remote-tracking ref (`origin/main` would make
 * refs/heads/origin/main, which `git log origin/main` then reads instead). Exit 2 otherwise.
 */
export async function checkExportBranch(repo: Repo, name: string): Promise<string> {
  const bad = (why: string) => new GsError('bad-name', `invalid branch name '${printable(name)}': ${why}`);
  checkRefName(name);
  const r = await runGit(['check-ref-format', '--branch', name], { cwd: repo.cwd, allowFail: true });
  if (r.code !== 0 || r.stdout.trim() !== name) throw bad('git check-ref-format --branch refuses it');
  if (/^[A-Z_]*HEAD$/.test(name) || /^head$/i.test(name)) throw bad('it would shadow HEAD');
  const first = name.split('/')[0];
  if (first === 'refs' || first === 'remotes') throw bad(`give the branch name without '${first}/'`);
  if ((await remotes(repo)).includes(first) || (await repo.store.objects.resolve(`refs/remotes/${name}`))) {
    throw bad(`it would shadow the remote-tracking ref refs/remotes/${name}`);
  }
  return name;
}

/** Refuses (exit 2, before anything is written) a `--pr-body` path that is a symlink, or exists without `force`. */
export async function checkPrBodyPath(path: string, force: boolean): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st?.isSymbolicLink()) throw new GsError('bad-input', `${path} is a symbolic link: not following it`);
  if (st && !force) throw new GsError('bad-input', `${path} exists: pass --force to overwrite it`);
}

/**
 * Writes the PR description: a new file (O_EXCL), or with `force` over an existing one,
 * and never through a symbolic link (O_NOFOLLOW), even one created since the check.
 */
export async function writePrBody(path: string, text: string, force: boolean): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (force ? constants.O_TRUNC : constants.O_EXCL);
  let fh;
  try {
    fh = await open(path, flags, 0o644);
    await fh.writeFile(text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new GsError('bad-input', `${path} is a symbolic link: not following it`);
    if (code === 'EEXIST') throw new GsError('bad-input', `${path} exists: pass --force to overwrite it`);
    throw new GsError('bad-input', `cannot write ${path}: ${code ?? (e as Error).message}`);
  } finally {
    await fh?.close();
  }
}

/**
 * Moves the branch to the planned tip (compare-and-swap against what planning saw), then
 * records the export (unless the session's last export already names this branch and tip).
 */
export async function applyExport(repo: Repo, p: ExportPlan): Promise<void> {
  if (!p.unchanged) {
    const ok = await transact(repo.cwd, [{ ref: p.ref, new: p.tip, old: p.previous ?? ZERO }]);
    if (!ok) throw new GsError('contention', `branch '${p.branch}' moved while exporting; run the export again`);
  }
  const s = await repo.store.append(p.session, await repo.ident(), (cur) => ({
    events: cur.exported?.branch === p.branch && cur.exported.tip === p.tip ? [] : [repo.event({ kind: 'export', branch: p.branch, tip: p.tip, base: p.base })],
  }));
  await addLinks(repo, s);
}

/** A remote name or URL as given to `--push`: checked before anything is written. */
export function checkRemote(remote: string): string {
  // eslint-disable-next-line no-control-regex
  if (!remote || remote.startsWith('-') || /[\x00-\x1f\x7f]/.test(remote)) throw new GsError('bad-name', `invalid remote '${printable(remote)}'`);
  return remote;
}

/** Pushes the exported branch (`--force-with-lease` only when asked to force), through simple-git. */
export async function pushBranch(repo: Repo, remote: string, p: ExportPlan, force: boolean, onProgress?: OnProgress): Promise<void> {
  checkRemote(remote);
  const r = await simpleGitTransport(onProgress).push(repo, remote, force ? ['--force-with-lease'] : [], [`${p.ref}:${p.ref}`]);
  if (!r.ok) throw new GsError('git-failed', `git push to ${remote} failed: ${r.message}`);
}
