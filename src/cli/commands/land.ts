import type { ArgsOf, Argv } from '../args.js';
import { GsError, isGsError, usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { autoGc } from '../../repo/archive.js';
import { landSession, type LandResult, policyText } from '../../repo/land.js';
import { type LandCheckResult, landWithChecks } from '../../repo/land-check.js';
import { landRemote } from '../../repo/land-remote.js';
import type { Repo } from '../../repo/repo.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { commandLine, shortOid } from '../../core/text.js';

/** `git session land [<id>] [--onto b] [--strategy squash|merge] [--dry-run | --check] [--sync]`. */
export const spec = {
  command: 'land [id]',
  describe: 'conflict check, three-way merge, atomic update of the target branch',
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      onto: { type: 'string', describe: 'target branch (default: the session target)' },
      strategy: { choices: ['squash', 'merge'] as const, default: 'squash' as const, describe: 'one commit, or the work commits under a merge commit' },
      'dry-run': { type: 'boolean', describe: 'report what landing the checkout as it is would do; record nothing' },
      sync: { type: 'boolean', describe: 'sync first; stop conflicted if the sync conflicts' },
      check: { type: 'boolean', describe: 'run the required checks (session.requireCheck) the policy lacks on the merged tree, signed, then land' },
      remote: { type: 'string', describe: 'land through a shared server (git session server init there): push, wait for its verdict, follow it here' },
      wait: { type: 'boolean', default: true, describe: 'with --remote: wait for the verdict (--no-wait returns once the request is pushed)' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: {
    1: 'a conflict (recorded as a conflict event; nothing else moves), a conflicted session, nothing to land (every change already on the target), a required check without a valid signed pass on the tree that would land (nothing moves), a failed --check, or the session is closed; with --remote, the server found a conflict (its commits and paths; nothing moved), refused by policy (saying why; nothing moved), or did not answer in time',
  },
};

type Args = ArgsOf<typeof spec>;

/** Runs `land`: exit 0 landed (or would land), 1 conflict. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  if (args.check && args.dryRun) throw usage('--check runs checks and lands; --dry-run changes nothing: give one');
  if (args.remote !== undefined) {
    if (args.check || args.dryRun || args.sync) throw usage('--remote lands on the server as pushed: --check, --dry-run and --sync are local');
    return runRemote(repo, id, args, env);
  }
  if (args.wait === false) throw usage('--no-wait goes with --remote');
  let r: LandResult;
  // With --json the checks' own output goes to stderr, keeping stdout one JSON document.
  const out = args.json ? env.stderr : env.stdout;
  try {
    const o = { onto: args.onto, strategy: args.strategy, dryRun: args.dryRun, sync: args.sync };
    r = args.check ? await landWithChecks(repo, id, o, { stdout: (b) => out.write(b), stderr: (b) => env.stderr.write(b) }) : await landSession(repo, id, o);
  } catch (e) {
    if (isGsError(e) && (e.code === 'conflict' || e.code === 'policy' || e.code === 'check-failed') && args.json && e.details) {
      printJson(env, e.details);
      return 1;
    }
    throw e;
  }
  const refused = r.dryRun && r.policy && !r.policy.ok;
  // Like git's gc --auto: archives closed sessions only when many sessions have refs.
  if (!r.dryRun) await autoGc(repo);
  if (args.json) {
    printJson(env, r);
    return r.conflicts.length || refused ? 1 : 0;
  }
  const lines: string[] = [];
  if (r.synced?.changed) lines.push(`synced ${shortId(id)}: base ${shortOid(r.synced.from)} -> ${shortOid(r.synced.to)}`);
  if (r.dryRun) {
    if (r.conflicts.length) lines.push(`would conflict on ${r.target}: ${r.conflicts.join(', ')}`);
    else if (r.alreadyOnTarget) lines.push(`would make no commit: every change of ${shortId(id)} is already on ${r.target}`);
    else if (refused) lines.push(`would be refused on ${r.target}: required checks not met`);
    else lines.push(`would land ${shortId(id)} on ${r.target} cleanly (${r.strategy}) as tree ${r.tree}`);
  } else if (r.finished) {
    lines.push(`finished landing ${shortId(id)} (landed as ${r.commit}): its checkout is now at the new tip`);
  } else if (r.alreadyOnTarget) {
    lines.push(`${shortId(id)} was already on ${r.target} as ${r.commit}: marked landed, no commit made`);
  } else {
    lines.push(`landed ${shortId(id)} on ${r.target} as ${r.commit} (${r.strategy})`);
  }
  for (const e of 'ran' in r ? (r as LandCheckResult).ran : []) lines.push(`  ran ${e.name ?? commandLine(e.command)} on the merged tree ${shortOid(e.tree)}: ${e.exitCode === 0 ? 'passed' : `failed (exit ${e.exitCode})`}${e.attestation ? ', signed' : ''}`);
  for (const q of r.policy?.required ?? []) lines.push(`  required check ${q.name}: ${q.satisfied ? `met, signed by ${q.signer}${q.how === 'quiet' ? " on the session's tree (nothing landed since touches its paths)" : ' on the tree that lands'}` : `NOT met: ${q.reason}`}`);
  for (const o of r.overlapping) lines.push(`  overlaps ${shortOid(o.commit)}${o.sessionId ? ` (session ${shortId(o.sessionId)})` : ''}: ${o.paths.join(', ')}`);
  for (const w of r.worktrees) (w.updated ? lines : []).push(`  worktree ${w.path}: ${w.reason}`);
  printLines(env, lines);
  for (const w of r.worktrees) if (!w.updated) env.stderr.write(`warning: worktree ${w.path} ${w.reason}\n`);
  if (r.dryRun && r.conflicts.length) throw new GsError('conflict', `landing ${shortId(id)} would conflict`);
  if (refused) throw new GsError('policy', `landing ${shortId(id)} would be refused: ${policyText(r.policy!)}`);
  return 0;
}

/** `land --remote`: exit 0 landed (or asked, with --no-wait), 1 conflict, refused by the server's policy (as a local land refuses), or no answer in time. */
async function runRemote(repo: Repo, id: string, args: Args, env: CliEnv): Promise<number> {
  const r = await landRemote(repo, args.remote!, id, { onto: args.onto, strategy: args.strategy, wait: args.wait });
  const v = r.verdict;
  const code = !v || v.outcome === 'landed' ? 0 : 1;
  if (args.json) {
    printJson(env, r);
    return code;
  }
  if (!v) {
    printLines(env, [`asked ${r.remote} to land ${shortId(id)} on ${r.target} (request ${shortOid(r.request)}); git session status shows it until the verdict is fetched`]);
    return 0;
  }
  if (v.outcome === 'landed') {
    const lines = [`landed ${shortId(id)} on ${r.target} as ${v.commit} through ${r.remote}${v.alreadyOnTarget ? ' (every change was already there: no commit made)' : ''}`];
    if (r.branch === 'fast-forwarded') lines.push(`  ${r.target} here fast-forwarded to it`);
    if (r.branch === 'diverged') lines.push(`  ${r.target} here has commits ${r.remote} lacks: left as it is`);
    for (const w of r.worktrees) (w.updated ? lines : []).push(`  worktree ${w.path}: ${w.reason}`);
    printLines(env, lines);
    for (const w of r.worktrees) if (!w.updated) env.stderr.write(`warning: worktree ${w.path} ${w.reason}\n`);
    return 0;
  }
  if (v.outcome === 'conflict') {
    const lines = [`${r.remote} found a conflict landing ${shortId(id)} on ${r.target} (at ${shortOid(v.previousTip ?? '')}): ${(v.conflicts ?? []).join(', ')}; nothing moved`];
    for (const o of v.overlapping ?? []) lines.push(`  overlaps ${shortOid(o.commit)}${o.sessionId ? ` (session ${shortId(o.sessionId)})` : ''}: ${o.paths.join(', ')}`);
    printLines(env, lines);
    env.stderr.write(`git-session: git session sync ${shortId(id)} merges ${r.target} in; resolve, then land again\n`);
    return 1;
  }
  env.stderr.write(`git-session: ${r.remote} refused to land ${shortId(id)} on ${r.target}: ${v.reason ?? 'no reason given'}\n`);
  // Every line goes through the one sanitizer (main's safeEnv): the verdict is the server's data.
  for (const c of v.checks ?? []) env.stderr.write(`  required check ${c.name}: ${c.satisfied ? `met${c.signer ? `, signed by ${c.signer}` : ''}` : `NOT met: ${c.reason ?? ''}`}\n`);
  return 1;
}
