// What the post-rewrite and post-commit hooks record: a commit a session holds (a landed
// commit, a further landing, the exported tip) that was amended, rebased (several old
// commits squashed into one new: each of their sessions gets it) or cherry-picked gets
// the new commit appended to the session's landings. A landing changes no state; a
// rewrite on the branch the session landed on moves its landed commit along.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shortId } from '../core/ids.js';
import type { LinkVia, SessionSummary } from '../core/types.js';
import { shortOid } from '../core/text.js';
import { runGit } from '../git/exec.js';
import { commitFacts } from '../git/patchid.js';
import { addLinks, type LinkLine, readLinks } from './links.js';
import type { Repo } from './repo.js';
import { currentBranch } from './target.js';

/** One landing a hook recorded. */
export interface Followed {
  session: string;
  commit: string;
  from?: string;
  via: LinkVia;
  branch?: string;
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The sessions holding each linked commit. */
function byCommit(lines: LinkLine[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const l of lines) m.set(l.commit, (m.get(l.commit) ?? new Set()).add(l.session));
  return m;
}

/**
 * Appends one `landing` per (session, new commit) to each session, in one append per
 * session; a commit the session already lists on that branch is skipped.
 */
async function record(repo: Repo, wanted: Map<string, Followed[]>): Promise<Followed[]> {
  const commits = [...new Set([...wanted.values()].flat().map((f) => f.commit))];
  const facts = await commitFacts(repo.cwd, commits);
  const ident = await repo.ident();
  const done: Followed[] = [];
  for (const [id, list] of wanted) {
    if (!(await repo.store.metaTip(id))) continue;
    let added: Followed[] = [];
    const summary: SessionSummary = await repo.store.append(id, ident, (cur) => {
      const have = new Set((cur.landings ?? []).map((l) => `${l.commit} ${l.branch ?? ''}`));
      added = list.filter((f, i) => facts.has(f.commit) && !have.has(`${f.commit} ${f.branch ?? ''}`) && list.findIndex((g) => g.commit === f.commit) === i);
      return {
        events: added.map((f) => {
          const c = facts.get(f.commit)!;
          return repo.event({ kind: 'landing', commit: f.commit, tree: c.tree, ...(c.patchId ? { patchId: c.patchId } : {}), ...(f.branch ? { branch: f.branch } : {}), via: f.via, ...(f.from ? { from: f.from } : {}) });
        }),
      };
    });
    if (added.length) await addLinks(repo, summary);
    done.push(...added);
  }
  return done;
}

/**
 * post-rewrite (`amend` or `rebase`): `input` holds git's `<old> <new> [<extra>]` lines.
 * Every old commit a session holds gives that session a landing of the new one
 * (`via: rewrite`), on the branch HEAD is on (where the rewrite happened). The amends a
 * rebase makes on its own (squash, fixup) are left to the rebase's own post-rewrite,
 * which names them all once the branch is back.
 */
export async function followRewrites(repo: Repo, input: string, kind?: string): Promise<Followed[]> {
  if (kind === 'amend' && ['rebase-merge', 'rebase-apply'].some((d) => existsSync(join(repo.paths.gitDir, d)))) return [];
  const holders = byCommit(await readLinks(repo));
  const branch = currentBranch(repo);
  const wanted = new Map<string, Followed[]>();
  for (const line of input.split('\n')) {
    const [from, commit] = line.trim().split(/\s+/);
    if (!OID.test(from ?? '') || !OID.test(commit ?? '') || from === commit) continue;
    for (const session of holders.get(from) ?? []) {
      wanted.set(session, [...(wanted.get(session) ?? []), { session, commit, from, via: 'rewrite', ...(branch ? { branch } : {}) }]);
    }
  }
  return wanted.size ? record(repo, wanted) : [];
}

/** The commits HEAD's commit was picked from: CHERRY_PICK_HEAD while git's sequencer runs the hook, and `-x` lines. */
async function pickedFrom(repo: Repo, message: string): Promise<string[]> {
  const out = [...message.matchAll(/^\(cherry picked from commit ([0-9a-f]{40,64})\)$/gm)].map((m) => m[1]);
  const head = await readFile(join(repo.paths.gitDir, 'CHERRY_PICK_HEAD'), 'utf8').catch(() => '');
  if (OID.test(head.trim())) out.push(head.trim());
  return [...new Set(out)];
}

/**
 * post-commit after a cherry-pick: HEAD's new commit carries the work of every session
 * holding the commit it was picked from, or a commit with its patch-id (`via:
 * cherry-pick`, on the branch HEAD is on). Never a change of state.
 */
export async function followCherryPick(repo: Repo): Promise<Followed[]> {
  const r = await runGit(['log', '-1', '--no-show-signature', '--format=%H%x00%B', 'HEAD', '--'], { cwd: repo.cwd, allowFail: true });
  const [head, message = ''] = r.stdout.split('\0');
  if (r.code !== 0 || !OID.test(head)) return [];
  const links = await readLinks(repo);
  const sources = await pickedFrom(repo, message);
  const facts = (await commitFacts(repo.cwd, [head])).get(head);
  const branch = currentBranch(repo);
  const wanted = new Map<string, Followed[]>();
  for (const l of links) {
    const bySource = sources.includes(l.commit);
    if (!bySource && !(facts?.patchId && l.patchId === facts.patchId)) continue;
    if (l.commit === head || wanted.has(l.session)) continue;
    wanted.set(l.session, [{ session: l.session, commit: head, ...(bySource ? { from: l.commit } : {}), via: 'cherry-pick', ...(branch ? { branch } : {}) }]);
  }
  return wanted.size ? record(repo, wanted) : [];
}

/** One line per recorded landing, for the hook to print. */
export function followedLines(list: Followed[]): string[] {
  return list.map((f) => `git-session: ${shortOid(f.commit)} carries session ${shortId(f.session)} (${f.via === 'rewrite' && f.from ? `rewritten from ${shortOid(f.from)}` : f.via}${f.branch ? ` on ${f.branch}` : ''})`);
}
