// `export --notes`: every landed session's reasoning as a git note on its landed commit,
// under refs/notes/sessions, so plain `git log --notes=sessions` shows why. With a
// thousand sessions `git notes add` would spawn a thousand times and make a thousand
// notes commits; instead the notes tree is built in-process (only changed notes are
// written as blobs) and lands as ONE commit through one compare-and-swap.
import type { SessionSummary } from '../../core/types.js';
import { runGit } from '../../git/exec.js';
import type { Entry } from '../../git/objects.js';
import { transact, withRetry, ZERO } from '../../git/refs.js';
import type { Repo } from '../repo.js';
import { listSessions } from '../sessions.js';
import { notesText } from './markdown.js';
import { attestedOf } from '../verify.js';
import { plural } from '../../core/text.js';

/** The notes ref sessions write to (`git log --notes=sessions` reads it). */
export const NOTES_REF = 'refs/notes/sessions';

/** What `writeSessionNotes` did. */
export interface NotesResult {
  /** Notes added or changed (0 when everything was already up to date). */
  written: number;
  /** Landed sessions considered. */
  sessions: number;
  /** The notes commit made, or null when nothing changed. */
  commit: string | null;
  ref: string;
  /** Landed commits no longer in the object store (history rewritten and pruned): no note. */
  missing: string[];
  /** Private landed sessions left out (a private session never leaves, notes included). */
  privateSkipped: number;
}

/** Entries of the current notes tree, keyed by annotated object (fan-out paths flattened). */
async function notesEntries(repo: Repo, tip: string): Promise<Map<string, Entry>> {
  const r = await runGit(['ls-tree', '-r', '-z', tip], { cwd: repo.cwd });
  const m = new Map<string, Entry>();
  for (const rec of r.stdout.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    const key = rec.slice(tab + 1).replace(/\//g, '');
    m.set(key, { mode, type: type as Entry['type'], oid, path: key });
  }
  return m;
}

/** Which of `commits` exist as commits in the object store (one `cat-file --batch-check`). */
async function existingCommits(repo: Repo, commits: string[]): Promise<Set<string>> {
  if (!commits.length) return new Set();
  const r = await runGit(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd: repo.cwd, input: commits.join('\n') + '\n' });
  const ok = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const [oid, type] = line.split(' ');
    if (type === 'commit') ok.add(oid);
  }
  return ok;
}

/**
 * The commits a landed session's note goes on: its landed commit (followed through
 * rewrites on its branch) and every further landing that was not itself rewritten since
 * (a cherry-pick to `release`, a squash on another branch).
 */
export function noteCommits(s: SessionSummary & { landed: NonNullable<SessionSummary['landed']> }): string[] {
  const rewritten = new Set((s.landings ?? []).map((l) => l.from).filter(Boolean));
  return [...new Set([s.landed.commit, ...(s.landings ?? []).filter((l) => !rewritten.has(l.commit)).map((l) => l.commit)])];
}

/** The note text of every landed session, keyed by each commit it goes on. */
async function wantedNotes(repo: Repo): Promise<{ notes: Map<string, string>; sessions: number; missing: string[]; privateSkipped: number }> {
  const landed = (await listSessions(repo, 'landed')).filter((s): s is SessionSummary & { landed: NonNullable<SessionSummary['landed']> } => Boolean(s.landed));
  const privateSkipped = landed.filter((s) => s.private).length;
  const metas = await repo.store.metaTipsOf(landed.filter((s) => !s.private).map((s) => s.id));
  const withMeta = landed.filter((s) => metas.has(s.id) && !s.private);
  const events = await repo.store.readEventsMany(withMeta.map((s) => ({ id: s.id, meta: metas.get(s.id)! })));
  const present = await existingCommits(repo, withMeta.flatMap(noteCommits));
  const attested = await attestedOf(repo, withMeta.map((s) => ({ summary: s, events: events.get(s.id) ?? [] })));
  const notes = new Map<string, string>();
  const missing: string[] = [];
  // Oldest first, so two sessions on one commit (a rebase squashed them) read in order.
  for (const s of [...withMeta].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (!present.has(s.landed.commit)) missing.push(s.landed.commit);
    const evs = events.get(s.id);
    if (!evs) continue; // damaged: nothing trustworthy to say about it
    const text = notesText(s, evs, attested.get(s.id));
    for (const commit of noteCommits(s)) {
      if (!present.has(commit)) continue;
      const prev = notes.get(commit);
      notes.set(commit, prev ? `${prev}\n${text}` : text);
    }
  }
  return { notes, sessions: withMeta.length, missing, privateSkipped };
}

/**
 * Writes (or refreshes) the note of every landed session under refs/notes/sessions in
 * one notes commit. Idempotent: when every note already holds its text, nothing is
 * written and the ref does not move. Notes on other commits are kept.
 */
export async function writeSessionNotes(repo: Repo): Promise<NotesResult> {
  const { notes, sessions, missing, privateSkipped } = await wantedNotes(repo);
  return withRetry(async () => {
    const tip = await repo.store.objects.resolve(NOTES_REF);
    const entries = tip ? await notesEntries(repo, tip) : new Map<string, Entry>();
    const changed = [...notes].filter(([commit, text]) => entries.get(commit)?.oid !== repo.store.objects.blobId(text));
    if (!changed.length) return { written: 0, sessions, commit: null, ref: NOTES_REF, missing, privateSkipped };
    for (const [commit, text] of changed) {
      entries.set(commit, { mode: '100644', type: 'blob', oid: await repo.store.objects.writeText(text), path: commit });
    }
    const tree = await repo.store.objects.writeTree([...entries.values()]);
    const ident = await repo.ident();
    const commit = await repo.store.objects.writeCommit({
      tree,
      parent: tip ? [tip] : [],
      message: `git-session: notes for ${plural(changed.length, 'landed session')}\n`,
      author: ident,
    });
    const ok = await transact(repo.cwd, [{ ref: NOTES_REF, new: commit, old: tip ?? ZERO }]);
    return ok ? { written: changed.length, sessions, commit, ref: NOTES_REF, missing, privateSkipped } : undefined;
  }, `writing ${NOTES_REF}`);
}
