// What is published, and to whom: the per-remote choice (`remote.<name>.sessions =
// push | ask | never`) and private sessions. Every path that sends refs/sessions/* to a
// remote (`git session push`, the pre-push hook) passes through `publishable`, so a
// `never` remote and a private session are kept home in one place.
import { GsError } from '../core/errors.js';
import { parseSessionRef } from '../core/layout.js';
import { runGit } from '../git/exec.js';
import { type ArchivedCopy, withdrawArchived } from './archive-private.js';
import type { Repo } from './repo.js';

/** A remote's publishing choice; unset (a remote added after `init`, or a URL) behaves as `ask`. */
export type SessionsPolicy = 'push' | 'ask' | 'never';

/** The choices, in the order `init` offers them. */
export const POLICIES: readonly SessionsPolicy[] = ['push', 'ask', 'never'];

/** The config key holding `remote`'s choice. */
export function policyKey(remote: string): string {
  return `remote.${remote}.sessions`;
}

/** `remote`'s choice as configured, or undefined when none is (or the value is not one we know). */
export async function readPolicy(repo: Repo, remote: string): Promise<SessionsPolicy | undefined> {
  const r = await runGit(['config', '--get', policyKey(remote)], { cwd: repo.cwd, allowFail: true });
  const v = r.stdout.trim().toLowerCase();
  return (POLICIES as readonly string[]).includes(v) ? (v as SessionsPolicy) : undefined;
}

/** Records `remote`'s choice in the repository's local config. */
export async function writePolicy(repo: Repo, remote: string, policy: SessionsPolicy): Promise<void> {
  await runGit(['config', '--local', policyKey(remote), policy], { cwd: repo.cwd });
}

/** Removes every `remote.*.sessions` choice (eject; `dryRun`: only finds them); returns the remotes that had one. */
export async function clearPolicies(repo: Repo, dryRun = false): Promise<string[]> {
  const r = await runGit(['config', '--local', '--get-regexp', '^remote\\..*\\.sessions$'], { cwd: repo.cwd, allowFail: true });
  const keys = [...new Set(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]))];
  if (!dryRun) for (const k of keys) await runGit(['config', '--local', '--unset-all', k], { cwd: repo.cwd });
  return keys.map((k) => k.slice('remote.'.length, -'.sessions'.length));
}

/** One session a push would carry. */
export interface OutgoingSession {
  id: string;
  goal: string;
  events: number;
  state: string;
}

/** Refs that may go, the sessions held back because they are private, and those too damaged to judge. */
export interface Publishable<T> {
  refs: T[];
  sessions: OutgoingSession[];
  privateIds: string[];
  damaged: { id: string; reason: string }[];
}

/**
 * The choke point: refuses a `never` remote outright (exit 1), and drops the refs of
 * private sessions. `refs` are [ref, oid] pairs under refs/sessions/.
 */
export async function publishable<T extends readonly [string, string]>(repo: Repo, remote: string, refs: T[]): Promise<Publishable<T>> {
  if ((await readPolicy(repo, remote)) === 'never') {
    throw new GsError('policy', `${remote} is set to receive no sessions (${policyKey(remote)} = never); change it with git config ${policyKey(remote)} push`);
  }
  const ids = [...new Set(refs.map(([ref]) => parseSessionRef(ref)?.id).filter((x): x is string => Boolean(x)))];
  const sessions: OutgoingSession[] = [];
  const privateIds: string[] = [];
  const damaged: { id: string; reason: string }[] = [];
  for (const id of ids) {
    // A session we cannot read might be private: it stays home (and is named) rather than stop the push.
    const s = await repo.store.readSummary(id).catch((e: unknown) => {
      damaged.push({ id, reason: `unreadable here, not pushed: ${(e as Error).message}` });
      return undefined;
    });
    if (!s) continue;
    if (s.private) privateIds.push(id);
    else sessions.push({ id, goal: s.goal, events: s.events, state: s.state });
  }
  const hidden = new Set([...privateIds, ...damaged.map((d) => d.id)]);
  return { refs: refs.filter(([ref]) => !hidden.has(parseSessionRef(ref)?.id ?? '')), sessions, privateIds, damaged };
}

/** Bytes git would add to a pack sending `oids` to a remote that has `known` (on-disk size of the new objects). */
export async function outgoingBytes(repo: Repo, oids: string[], known: string[]): Promise<number> {
  if (oids.length === 0) return 0;
  const input = [...oids, ...known.map((k) => `^${k}`)].join('\n') + '\n';
  const r = await runGit(['rev-list', '--objects', '--disk-usage', '--stdin'], { cwd: repo.cwd, input, allowFail: true });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : 0;
}

/**
 * Marks a session private (or public again) with an event, so the mark travels with it and
 * survives eject. An archived session comes back to its refs (any write does), and its
 * archived copy is taken out of its shard unless a remote already has it (`archived`).
 */
export async function setPrivate(repo: Repo, id: string, on: boolean): Promise<{ changed: boolean; archived?: ArchivedCopy }> {
  let changed = false;
  await repo.store.append(id, await repo.ident(), (cur) => {
    changed = Boolean(cur.private) !== on;
    return { events: changed ? [repo.event({ kind: 'private', private: on })] : [] };
  });
  if (!on) return { changed };
  const archived = await withdrawArchived(repo, id);
  return { changed, ...(archived !== 'none' ? { archived } : {}) };
}
