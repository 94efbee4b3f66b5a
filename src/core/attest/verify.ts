// Verifying signed checks: pure functions over the stored envelope texts, the check events
// they belong to, and a parsed allowed signers file. No repository, worktree or process
// is needed (a server verifies from a bare repository with these same functions); the
// caller reads the objects and says which trees exist and which are the session's now.
import type { EventOf } from '../types.js';
import { commandLine } from '../text.js';
import { type AllowedSigners, findSigner } from './allowed-signers.js';
import { INTOTO_PAYLOAD_TYPE, pae, parseEnvelope } from './dsse.js';
import { CHECK_NAMESPACE, checkSshSig, fingerprint, keyCache, keyType, parseSshSig, UnsupportedKey } from './sshsig.js';
import { type CheckClaim, parseStatement } from './statement.js';

type CheckEvent = EventOf<'check'>;

/** The name a check goes by: `--name`, else its command line. */
export function checkName(ev: Pick<CheckEvent, 'command'> & { name?: string }): string {
  return ev.name ?? commandLine(ev.command);
}

/** A signature left to ssh-keygen (a key type not checked in-process): what it needs. */
export interface ExternalCheck {
  armored: string;
  /** The signed bytes (the envelope's PAE). */
  message: Buffer;
  /** Judged at this time (seconds), as the in-process check would be. */
  time: number;
}

/** ssh-keygen's answer for an ExternalCheck: the signer's principals, or why not. */
export type ExternalAnswer = { ok: true; principals: string } | { ok: false; reason: string };

/**
 * The signature of an envelope that only ssh-keygen can check (a key type node:crypto is
 * not used for), found without checking anything: undefined for every other envelope.
 */
export function externalCheckOf(text: string): ExternalCheck | undefined {
  try {
    const env = parseEnvelope(text);
    const sig = parseSshSig(env.sigs[0].armored);
    if (inProcessKeyTypes.has(keyType(sig.publicKey))) return undefined;
    return { armored: env.sigs[0].armored, message: pae(env.payloadType, env.payload), time: Math.floor(Date.parse(parseStatement(env.payload).time) / 1000) };
  } catch {
    return undefined; // malformed: the in-process check says why
  }
}

const inProcessKeyTypes = new Set(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);

/** What checking one envelope gave. */
export type EnvelopeVerdict =
  | { ok: true; claim: CheckClaim; signer: string; key: string }
  | { ok: false; reason: string; key?: string; external?: ExternalCheck };

/** Shared state of one verification batch (parsed keys are reused across envelopes). */
export interface VerifyBatch {
  signers: AllowedSigners;
  cache: ReturnType<typeof keyCache>;
}

/** A batch over one allowed signers file. */
export function verifyBatch(signers: AllowedSigners): VerifyBatch {
  return { signers, cache: keyCache() };
}

/**
 * Checks one DSSE envelope: its SSHSIG over the PAE bytes in our namespace, the signer
 * in the allowed signers file (namespaces and validity window judged at the check's own
 * signed time, as git judges a commit's signature at its date), and that the payload is
 * a test-result statement. `external` answers signatures of key types left to ssh-keygen.
 */
export function verifyEnvelope(text: string, batch: VerifyBatch, external?: ExternalAnswer): EnvelopeVerdict {
  let env;
  try {
    env = parseEnvelope(text);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE) return { ok: false, reason: `payload type ${env.payloadType.slice(0, 80)} is not an in-toto statement` };
  let claim: CheckClaim;
  try {
    claim = parseStatement(env.payload);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const time = Math.floor(Date.parse(claim.time) / 1000);
  const message = pae(env.payloadType, env.payload);
  let reason = 'no signature';
  for (const s of env.sigs) {
    let sig;
    try {
      sig = parseSshSig(s.armored);
    } catch (e) {
      reason = (e as Error).message;
      continue;
    }
    const key = fingerprint(sig.publicKey);
    if (external) {
      if (external.ok) return { ok: true, claim, signer: external.principals, key };
      reason = external.reason;
      continue;
    }
    let bad: string | null;
    try {
      bad = checkSshSig(sig, message, CHECK_NAMESPACE, batch.cache);
    } catch (e) {
      if (e instanceof UnsupportedKey) return { ok: false, reason: `${keyType(sig.publicKey).slice(0, 60)} signatures are checked by ssh-keygen`, key, external: { armored: s.armored, message, time } };
      throw e;
    }
    if (bad) return { ok: false, reason: bad, key };
    const who = findSigner(batch.signers, sig.publicKey, CHECK_NAMESPACE, time);
    if (!who.ok) return { ok: false, reason: `${who.reason} (${key})`, key };
    // Named as git names a signer: the first principal of the line (find-principals prints one per line).
    return { ok: true, claim, signer: who.signer.principals.split(',').find((p) => p && !p.startsWith('!')) ?? who.signer.principals, key };
  }
  return { ok: false, reason };
}

/**
 * How a check stands: `valid` (signed by an allowed signer, consistent with its event, on
 * a tree that exists and is the session's now), `stale` (all that, but on a tree the
 * session has since moved off: "tree mismatch"), `invalid`, or `unsigned` (recorded without
 * a signing key: a claim, not a proof).
 */
export type CheckStatus = 'valid' | 'stale' | 'invalid' | 'unsigned';

/** One check event, judged. */
export interface CheckVerdict {
  event: string;
  ts: string;
  name: string;
  tree: string;
  passed: boolean;
  exitCode: number;
  status: CheckStatus;
  /** Why it is not valid (stale, invalid, unsigned). */
  reason?: string;
  /** The allowed signer's principals (e.g. ada@example.com). */
  signer?: string;
  /** The signing key's fingerprint. */
  key?: string;
  /** The envelope blob. */
  attestation?: string;
  /** From the signed statement: the commit the tree was checked against, and whether it was a merged tree. */
  base?: string;
  merged?: boolean;
  /** A later check of the same name replaced this one (its staleness does not fail verification). */
  superseded?: boolean;
}

/** What a session's checks are judged against. */
export interface SessionContext {
  session: string;
  /** The trees the session stands for now: its work tip's (and, once landed, the landed commit's). */
  currentTrees: ReadonlySet<string>;
  /** Whether a tree object exists in the repository. */
  treeExists: (tree: string) => boolean;
  /** Envelope text by blob id (undefined: the object is missing). */
  envelopes: ReadonlyMap<string, string | undefined>;
  /** ssh-keygen's answers for envelopes with key types not checked in-process, by blob id. */
  external?: ReadonlyMap<string, ExternalAnswer>;
}

/** Judges one check event (staleness is decided per name by judgeChecks). */
function judgeOne(ev: CheckEvent & { name?: string; attestation?: string }, ctx: SessionContext, batch: VerifyBatch): CheckVerdict {
  const v: CheckVerdict = { event: ev.id, ts: ev.ts, name: checkName(ev), tree: ev.tree, passed: ev.exitCode === 0, exitCode: ev.exitCode, status: 'unsigned' };
  if (!ev.attestation) return { ...v, reason: 'not signed' };
  v.attestation = ev.attestation;
  const text = ctx.envelopes.get(ev.attestation);
  if (text === undefined) return { ...v, status: 'invalid', reason: `attestation ${ev.attestation} is missing from the repository` };
  const r = verifyEnvelope(text, batch, ctx.external?.get(ev.attestation));
  if (!r.ok) return { ...v, status: 'invalid', reason: r.reason, key: r.key };
  const c = r.claim;
  Object.assign(v, { signer: r.signer, key: r.key, base: c.base, merged: c.merged });
  const differs = [
    c.session !== ctx.session && 'session',
    c.event !== ev.id && 'event',
    c.tree !== ev.tree && 'tree',
    c.exitCode !== ev.exitCode && 'exit code',
    c.name !== v.name && 'name',
    (c.argv.length !== ev.command.length || c.argv.some((a, i) => a !== ev.command[i])) && 'command',
  ].filter(Boolean);
  if (differs.length) return { ...v, status: 'invalid', reason: `the signed statement does not match the check event (${differs.join(', ')})` };
  if (!ctx.treeExists(c.tree)) return { ...v, status: 'invalid', reason: `tree ${c.tree} is not in this repository` };
  return { ...v, status: 'valid' };
}

/**
 * Judges every check event of a session. A signed check whose tree is not the session's
 * now is `stale` when it is the latest check of its name (nothing signed stands for the
 * current tree), and merely `superseded` when a later check of that name replaced it. A
 * check of a merged tree (`land --check`) that did not land never stands for the
 * session's own tree: stale, superseded.
 */
export function judgeChecks(events: readonly (CheckEvent & { name?: string; attestation?: string })[], ctx: SessionContext, batch: VerifyBatch): CheckVerdict[] {
  const out = events.map((ev) => judgeOne(ev, ctx, batch));
  const latest = new Map<string, number>();
  out.forEach((v, i) => {
    if (!v.merged) latest.set(v.name, i);
  });
  out.forEach((v, i) => {
    if (v.merged || latest.get(v.name) !== i) v.superseded = true;
    if (v.status === 'valid' && !ctx.currentTrees.has(v.tree)) {
      v.status = 'stale';
      v.reason = v.merged
        ? `signed on merged tree ${v.tree.slice(0, 12)}, which did not land`
        : `tree mismatch: signed on tree ${v.tree.slice(0, 12)}, which is not the session's snapshot`;
    }
  });
  return out;
}

/** True when verification of these verdicts fails: an invalid attestation, or a latest one on a stale tree. */
export function verdictsFail(vs: readonly CheckVerdict[]): boolean {
  return vs.some((v) => v.status === 'invalid' || (v.status === 'stale' && !v.superseded));
}

/** Verification results to show beside a session's checks: verdicts by event id, envelope texts by blob id. */
export interface Attested {
  verdicts: ReadonlyMap<string, CheckVerdict>;
  envelopes: ReadonlyMap<string, string>;
}
