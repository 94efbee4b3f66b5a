import type { ArgsOf, Argv } from '../args.js';
import { verdictLine } from '../../core/attest/describe.js';
import { shortId } from '../../core/ids.js';
import { plural } from '../../core/text.js';
import { showSession } from '../../repo/sessions.js';
import { requiredNow, type SessionVerification, verifyAll, verifySession } from '../../repo/verify.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { usage } from '../../core/errors.js';

/** `git session verify [<id>] [--all] [--require <name>]... [--json]`. */
export const spec = {
  command: 'verify [id]',
  describe: "check the signed attestations of a session's checks against git's allowed signers",
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      all: { type: 'boolean', describe: 'every session with signed checks, in one batch' },
      require: { type: 'string', array: true, describe: 'a check that must have a valid signed pass on the session\'s current tree (repeatable)' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'an attestation is invalid (tampered, unknown or disallowed key, wrong namespace, tree mismatch), or a --require check has no valid signed pass' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `verify`: exit 0 when every attestation holds (and every --require is met), else 1. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const required = (args.require ?? []).map(String).map((s) => s.trim()).filter(Boolean);
  if (args.all && (args.id !== undefined || args.session !== undefined)) throw usage('--all verifies every session: name no session with it');
  let results: SessionVerification[];
  if (args.all) results = await verifyAll(repo);
  else {
    const id = await repo.resolveSession(sessionArg(args));
    const { summary, events } = await showSession(repo, id);
    results = [await verifySession(repo, summary, events)];
  }
  const rows = results.map((v) => ({ ...v, required: required.length ? requiredNow(v, required).required : [] }));
  const ok = rows.every((r) => r.ok && r.required.every((q) => q.satisfied));
  if (args.json) {
    printJson(env, { ok, sessions: rows });
    return ok ? 0 : 1;
  }
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`session ${shortId(r.session)} (${r.state}): ${r.checks.length ? plural(r.checks.length, 'check') : 'no checks'}`);
    for (const c of r.checks) lines.push(`  ${verdictLine(c)}`);
    for (const q of r.required) lines.push(`  required ${q.name}: ${q.satisfied ? `met, signed by ${q.signer}` : `NOT met: ${q.reason}`}`);
  }
  if (!rows.length) lines.push('no session has signed checks');
  const counts = rows.flatMap((r) => r.checks).reduce<Record<string, number>>((m, c) => ((m[c.status] = (m[c.status] ?? 0) + 1), m), {});
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  if (summary) lines.push(`${ok ? 'verified' : 'FAILED'}: ${summary}`);
  printLines(env, lines);
  return ok ? 0 : 1;
}
