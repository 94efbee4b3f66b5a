// `verify`, and the verdicts `show`, the browser, the PR body, notes and `land` print:
// reads a session's check events and their envelopes (one `cat-file --batch` for any
// number), which trees exist (one `--batch-check`), and the allowed signers file, then
// judges them in-process (core/attest/verify.ts). Key types node:crypto does not cover
// go to `ssh-keygen -Y verify`, one signature at a time.
import { readFile } from 'node:fs/promises';
import { type AllowedSigners, parseAllowedSigners } from '../core/attest/allowed-signers.js';
import { evaluatePolicy, type PolicyAnswer } from '../core/attest/policy.js';
import { CHECK_NAMESPACE } from '../core/attest/sshsig.js';
import { type Attested, type CheckVerdict, type ExternalAnswer, externalCheckOf, judgeChecks, verdictsFail, verifyBatch } from '../core/attest/verify.js';
import type { EventOf, SessionSummary, StoredEvent } from '../core/types.js';
import { catBatch, objectTypes } from '../git/batch.js';
import { lastValue, sshKeygenVerify } from '../git/ssh-signing.js';
import { type CheckSettings, checkSettings } from './attest.js';
import type { Repo } from './repo.js';
import { listSessions } from './sessions.js';

/** One session's checks, judged. */
export interface SessionVerification {
  session: string;
  state: string;
  /** The trees the session stands for now (work tip; landed commit once landed). */
  trees: string[];
  checks: CheckVerdict[];
  /** False when an attestation is invalid or the latest of a name is stale. */
  ok: boolean;
}

/** The allowed signers file, parsed (an unset or unreadable file allows nobody, and says why). */
export interface SignersFile {
  path: string | null;
  file: AllowedSigners;
  /** Why nobody is allowed, when that is the case. */
  problem?: string;
}

/** Reads `gpg.ssh.allowedSignersFile`. */
export async function loadSigners(s: CheckSettings): Promise<SignersFile> {
  const empty: AllowedSigners = { signers: [], skipped: [] };
  if (!s.allowedSigners) return { path: null, file: empty, problem: 'gpg.ssh.allowedSignersFile is not set' };
  try {
    return { path: s.allowedSigners, file: parseAllowedSigners(await readFile(s.allowedSigners, 'utf8')) };
  } catch (e) {
    return { path: s.allowedSigners, file: empty, problem: `cannot read ${s.allowedSigners}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

type CheckEvent = EventOf<'check'>;

/** The trees a session stands for now: its work tip's (or its base's before any work) and, once landed, the landed commit's. */
async function currentTrees(repo: Repo, s: SessionSummary): Promise<string[]> {
  const tip = (await repo.store.workTip(s.id)) ?? s.base;
  const commits = [tip, ...(s.landed ? [s.landed.commit] : [])];
  const trees: string[] = [];
  for (const c of commits) {
    try {
      trees.push((await repo.store.objects.readCommit(c)).tree);
    } catch {
      /* a landed commit rewritten away: it stands for nothing here */
    }
  }
  return trees;
}

/** Inputs shared by one batch of sessions. */
export interface VerifyInputs {
  settings: CheckSettings;
  signers: SignersFile;
}

/** Reads settings and the allowed signers file once for a batch. */
export async function verifyInputs(repo: Repo, known?: CheckSettings): Promise<VerifyInputs> {
  const settings = known ?? (await checkSettings(repo));
  return { settings, signers: await loadSigners(settings) };
}

/**
 * Judges the checks of many sessions (summary and events given) in one batch: every
 * envelope read by one `git cat-file --batch`, every tree's existence by one
 * `--batch-check`, every signature checked in-process with parsed keys reused.
 */
export async function verifyMany(
  repo: Repo,
  sessions: { summary: SessionSummary; events: readonly StoredEvent[] }[],
  inputs?: VerifyInputs,
  /** Filled with the envelope texts read, by blob id (for the PR body and notes). */
  keep?: Map<string, string>,
): Promise<SessionVerification[]> {
  const { settings, signers } = inputs ?? (await verifyInputs(repo));
  const checks = sessions.map((x) => x.events.filter((e): e is CheckEvent => e.kind === 'check'));
  const all = checks.flat();
  const oids = [...new Set(all.flatMap((c) => (c.attestation ? [c.attestation] : [])))];
  const texts = await catBatch(repo.cwd, oids);
  const envelopes = new Map(oids.map((o, i) => [o, texts[i]]));
  if (keep) for (const [o, t] of envelopes) if (t !== undefined) keep.set(o, t);
  const types = await objectTypes(repo.cwd, all.filter((c) => c.attestation).map((c) => c.tree));
  const batch = verifyBatch(signers.file);
  // Signatures of key types node:crypto does not cover: ssh-keygen, one at a time.
  const external = new Map<string, ExternalAnswer>();
  for (const [oid, text] of envelopes) {
    const x = text === undefined ? undefined : externalCheckOf(text);
    if (!x) continue;
    external.set(
      oid,
      signers.path && !signers.problem
        ? await sshKeygenVerify(lastValue(settings.config, 'gpg.ssh.program') || 'ssh-keygen', signers.path, x.armored, x.message, CHECK_NAMESPACE, x.time)
        : { ok: false, reason: signers.problem ?? 'no allowed signers file' },
    );
  }
  const out: SessionVerification[] = [];
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i].summary;
    const trees = checks[i].some((c) => c.attestation) ? await currentTrees(repo, s) : [];
    let verdicts = judgeChecks(checks[i], { session: s.id, currentTrees: new Set(trees), treeExists: (t) => types.get(t) === 'tree', envelopes, external }, batch);
    if (signers.problem) {
      verdicts = verdicts.map((v) => (v.status === 'invalid' && v.reason?.startsWith('the key is not in the allowed signers file') ? { ...v, reason: `cannot verify: ${signers.problem}` } : v));
    }
    out.push({ session: s.id, state: s.state, trees, checks: verdicts, ok: !verdictsFail(verdicts) });
  }
  return out;
}

/** Judges one session's checks. */
export async function verifySession(repo: Repo, summary: SessionSummary, events: readonly StoredEvent[], inputs?: VerifyInputs): Promise<SessionVerification> {
  return (await verifyMany(repo, [{ summary, events }], inputs))[0];
}

/** True when any of these events is a signed check (only then is verification worth its reads). */
export function hasSignedChecks(events: readonly StoredEvent[]): boolean {
  return events.some((e) => e.kind === 'check' && Boolean(e.attestation));
}

/** `verify --require`: how each named check stands on the trees the session stands for now. */
export function requiredNow(v: SessionVerification, required: readonly string[]): PolicyAnswer {
  return evaluatePolicy(required, v.checks, { landingTrees: new Set(v.trees), ownTree: '', quietSince: new Map() });
}

/** Every session's checks judged in one batch (events read a chunk number at a time for all sessions). */
export async function verifyAll(repo: Repo): Promise<SessionVerification[]> {
  const sessions = await listSessions(repo);
  const metas = repo.store.metaTips();
  const withMeta = sessions.filter((s) => metas.has(s.id));
  const events = await repo.store.readEventsMany(withMeta.map((s) => ({ id: s.id, meta: metas.get(s.id)! })));
  const signed = withMeta.map((s) => ({ summary: s, events: events.get(s.id) ?? [] })).filter((x) => hasSignedChecks(x.events));
  return verifyMany(repo, signed);
}

/** Verdicts and envelopes of sessions' signed checks, as the PR body and notes show them (empty when none is signed). */
export async function attestedOf(repo: Repo, sessions: { summary: SessionSummary; events: readonly StoredEvent[] }[]): Promise<Map<string, Attested>> {
  const signed = sessions.filter((x) => hasSignedChecks(x.events));
  const out = new Map<string, Attested>();
  if (!signed.length) return out;
  const envelopes = new Map<string, string>();
  const vs = await verifyMany(repo, signed, undefined, envelopes);
  for (const v of vs) out.set(v.session, { verdicts: new Map(v.checks.map((c) => [c.event, c])), envelopes });
  return out;
}
