// The local list of commits sessions are linked to (`.git/session/links`), one line each:
// `<commit> <session> <patch-id or -> <landed|exported>`. The post-rewrite hook greps it
// in the shell before starting node, so an amend or rebase of a commit no session holds
// costs no node start; the post-commit hook looks a cherry-pick's patch-id up in it. A
// cache like the index: rebuilt from the sessions' summaries (init, pull, reconcile),
// appended to when this process links a commit; a line missing only means the hook does
// not follow that rewrite, and `reconcile` still links the commit later.
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { landedCommits } from '../core/links.js';
import { commitFacts } from '../git/patchid.js';
import type { SessionSummary } from '../core/types.js';
import type { Repo } from './repo.js';
import { listSessions } from './sessions.js';
import { readLineFile } from './line-file.js';

/** One linked commit as the file lists it. */
export interface LinkLine {
  commit: string;
  session: string;
  patchId?: string;
  kind: 'landed' | 'exported';
}

/** Where the list lives (the hook wrappers are given the same path). */
export function linksPath(repo: Repo): string {
  return join(repo.localDir, 'links');
}

/** The lines of one session: its landed commits (with the patch-ids known for them) and its exported tip. */
export function linkLines(s: SessionSummary): LinkLine[] {
  const pid = new Map<string, string>();
  if (s.landed?.patchId) pid.set(s.landed.commit, s.landed.patchId);
  for (const l of s.landings ?? []) if (l.patchId) pid.set(l.commit, l.patchId);
  const out: LinkLine[] = landedCommits(s).map((c) => ({ commit: c, session: s.id, ...(pid.has(c) ? { patchId: pid.get(c)! } : {}), kind: 'landed' as const }));
  if (s.exported && !out.some((l) => l.commit === s.exported!.tip)) out.push({ commit: s.exported.tip, session: s.id, kind: 'exported' });
  return out;
}

function format(lines: LinkLine[]): string {
  return lines.map((l) => `${l.commit} ${l.session} ${l.patchId ?? '-'} ${l.kind}\n`).join('');
}

/**
 * Adds one session's links (after land, export or a recorded landing); duplicates are
 * harmless. Best effort: the list is a cache, and the command that linked succeeded.
 */
export async function addLinks(repo: Repo, s: SessionSummary): Promise<void> {
  const lines = linkLines(s);
  if (!lines.length) return;
  try {
    await mkdir(repo.localDir, { recursive: true });
    await appendFile(linksPath(repo), format(lines));
  } catch {
    /* an unwritable .git/session: the hooks miss this commit, reconcile still links it */
  }
}

/**
 * Rewrites the list from every session's summary (given, or read through the catalog).
 * Landed commits recorded without a patch-id (by versions before it was kept) get theirs
 * computed here, so a later cherry-pick of them is still recognised.
 */
export async function refreshLinks(repo: Repo, sessions?: SessionSummary[]): Promise<number> {
  const all = sessions ?? (await listSessions(repo));
  const lines = all.flatMap(linkLines);
  const bare = lines.filter((l) => l.kind === 'landed' && !l.patchId).map((l) => l.commit);
  if (bare.length) {
    const facts = await commitFacts(repo.cwd, bare);
    for (const l of lines) if (!l.patchId && facts.get(l.commit)?.patchId) l.patchId = facts.get(l.commit)!.patchId;
  }
  await mkdir(repo.localDir, { recursive: true });
  const tmp = `${linksPath(repo)}.${process.pid}.tmp`;
  await writeFile(tmp, format(lines));
  await rename(tmp, linksPath(repo));
  return lines.length;
}

/** The list as read (unreadable lines skipped; an absent file is empty). */
export async function readLinks(repo: Repo): Promise<LinkLine[]> {
  return readLineFile(linksPath(repo), (line): LinkLine | undefined => {
    const [commit, session, pid, kind] = line.split(' ');
    if (!/^[0-9a-f]{40,64}$/.test(commit ?? '') || !session || (kind !== 'landed' && kind !== 'exported')) return undefined;
    return { commit, session, ...(pid && pid !== '-' ? { patchId: pid } : {}), kind };
  });
}
