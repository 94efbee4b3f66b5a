import type { ArgsOf, Argv } from '../args.js';
import { describeEvent, describeForeign } from '../../core/describe.js';
import { shortId } from '../../core/ids.js';
import { conflictView } from '../../repo/conflict-context.js';
import { showSession } from '../../repo/sessions.js';
import { hasSignedChecks, verifySession } from '../../repo/verify.js';
import { verdictLine } from '../../core/attest/describe.js';
import { conflictLines } from '../conflict-lines.js';
import { type CliEnv, fullOption, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { painter, printJson, printLines } from '../output.js';
import { shortOid } from '../../core/text.js';

/** `git session show [<id>]`. */
export const spec = {
  command: 'show [id]',
  describe: 'one session: goal, state, decisions, checks, files',
  builder: (y: Argv) => y.positional('id', idPositional).options({ ...sessionOption, ...fullOption, ...jsonOption }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `show`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  const { summary: s, events, archived } = await showSession(repo, id, { full: args.full });
  const conflicted = await conflictView(repo, s);
  // Signed checks are shown verified (who signed, on which tree, or why not); reads happen only when there are some.
  const verified = hasSignedChecks(events) ? await verifySession(repo, s, events) : undefined;
  if (args.json) {
    printJson(env, { session: s, events, ...(conflicted ? { conflicted } : {}), ...(verified ? { checks: verified.checks } : {}), ...(archived ? { archived } : {}) });
    return 0;
  }
  const p = painter(env);
  const lines = [
    `${p('bold', 'session')} ${p('yellow', s.id)}`,
    `goal:    ${s.goal}`,
    `state:   ${s.state}${s.landed ? ` as ${s.landed.commit} (${s.landed.strategy}${s.landed.via ? `; found by ${s.landed.via}` : ''}${s.landed.first ? `; landed as ${shortOid(s.landed.first)}, rewritten since` : ''})` : ''}`,
    `target:  ${s.target}   base: ${s.base}`,
    `author:  ${s.author}${s.agent ? `   agent: ${s.agent.name}${s.agent.model ? ` (${s.agent.model})` : ''}` : ''}`,
    `created: ${s.createdAt}   updated: ${s.updatedAt}   events: ${s.events}`,
    ...(archived ? [`archived: refs/sessions/archive/${archived}`] : []),
  ];
  if (s.exported) lines.push(`exported: branch ${s.exported.branch} at ${s.exported.tip}`);
  if (conflicted) lines.push('', ...conflictLines(conflicted, p));
  if (s.landings?.length) {
    // The same work in other commits: rewritten (amend, rebase), cherry-picked, found by reconcile.
    lines.push('', p('bold', 'landings'));
    for (const l of s.landings) lines.push(`  ${l.commit}${l.branch ? ` on ${l.branch}` : ''} (${l.via}${l.from ? ` of ${shortOid(l.from)}` : ''})`);
  }
  const decisions = events.filter((e) => e.kind === 'decision');
  if (decisions.length) {
    lines.push('', p('bold', 'decisions'));
    for (const d of decisions) {
      if (d.kind !== 'decision') continue;
      lines.push(`  ${p('green', '✔')} ${d.chosen} — ${d.rationale}`);
      for (const r of d.rejected) lines.push(`    ${p('red', '✘')} ${r.option}: ${r.reason}`);
    }
  }
  const checks = events.filter((e) => e.kind === 'check');
  if (checks.length) {
    lines.push('', p('bold', 'checks'));
    const byEvent = new Map(verified?.checks.map((v) => [v.event, v]));
    for (const c of checks) {
      const v = byEvent.get(c.id);
      lines.push(`  ${v && v.status !== 'unsigned' ? verdictLine(v) : describeEvent(c)}`);
    }
  }
  const snap = [...events].reverse().find((e) => e.kind === 'snapshot');
  if (snap?.kind === 'snapshot') {
    lines.push('', p('bold', `files (${snap.files.length})`));
    for (const f of snap.files) lines.push(`  ${f.status} ${f.path}`);
  }
  // What this session keeps as data but does not obey (see the README's "Trust model").
  const flagged = s.flagged ?? [];
  const unknown = events.filter((e) => e.kind === 'foreign' && !e.invalid);
  if (flagged.length || unknown.length) {
    lines.push('', p('bold', 'kept as data, not obeyed'));
    for (const f of flagged) lines.push(`  ${p('red', '!')} ${f.kind || 'event'} ${shortId(f.id)}: ${f.reason}`);
    for (const e of unknown) if (e.kind === 'foreign') lines.push(`  ${p('dim', '?')} ${describeForeign(e)}`);
  }
  printLines(env, lines);
  return 0;
}
