import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { hookErrorSummary } from '../../repo/capture/log.js';
import { conflictView } from '../../repo/conflict-context.js';
import { hooksStatus } from '../../repo/hooks.js';
import { pendingLandings } from '../../repo/land-remote.js';
import { sessionStatus } from '../../repo/sessions.js';
import { conflictLines } from '../conflict-lines.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { clip, painter, printJson, printLines } from '../output.js';
import { damagedRow, sessionRow, warnIgnored } from './list.js';
import { plural, shortOid } from '../../core/text.js';

/** `git session status`. */
export const spec = {
  command: 'status',
  describe: 'the current session and the open ones (and any damaged ones)',
  builder: (y: Argv) => y.options(jsonOption),
};

type Args = ArgsOf<typeof spec>;

/** Runs `status`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const [{ current, currentDamaged, open, damaged, ignored }, hooks, hookErrors, landing] = await Promise.all([sessionStatus(repo), hooksStatus(repo), hookErrorSummary(repo.paths.commonDir), pendingLandings(repo)]);
  const pending = Object.entries(landing).map(([session, p]) => ({ session, ...p }));
  const conflicted = current ? await conflictView(repo, current) : undefined;
  if (args.json) {
    printJson(env, { current: current ?? null, currentDamaged: currentDamaged ?? null, open, damaged, ignoredRefs: ignored, hooks, ...(conflicted ? { conflicted } : {}), ...(hookErrors ? { hookErrors } : {}), ...(pending.length ? { pendingLandings: pending } : {}) });
    return 0;
  }
  warnIgnored(env, ignored);
  // Another tool (husky's prepare on npm install) took core.hooksPath back: say how to chain it again.
  if (hooks === 'replaced') env.stderr.write('git-session: another tool took over core.hooksPath since init, so sessions are not pushed by git push: run git session init to chain it\n');
  const paint = painter(env);
  const lines: string[] = [];
  if (current) {
    lines.push(
      `current session ${paint('yellow', shortId(current.id))} (${current.state}): ${clip(current.goal, 200)}`,
      `  target ${current.target}, base ${shortOid(current.base)}${current.work ? `, work ${shortOid(current.work)}` : ', no snapshot yet'}`,
      `  ${plural(current.events, 'event')}, ${plural(current.files, 'file')} changed${current.agent ? `, agent ${current.agent.name}${current.agent.model ? `/${current.agent.model}` : ''}` : ''}`,
    );
    if (conflicted) lines.push(...conflictLines(conflicted, paint).map((l) => `  ${l}`));
    if (current.flagged?.length) lines.push(`  ${paint('red', plural(current.flagged.length, 'event'))} kept as data and not obeyed (git session show)`);
  } else if (currentDamaged) {
    lines.push(`current session ${paint('yellow', shortId(currentDamaged.id))} is ${paint('red', 'damaged')}: ${clip(currentDamaged.reason, 200)}`);
  } else lines.push('no current session in this worktree');
  lines.push('', plural(open.length, 'open session'));
  const now = env.clock();
  for (const s of open.slice(0, 20)) lines.push(sessionRow(s, now, paint, current?.id));
  if (open.length > 20) lines.push(`  … ${open.length - 20} more (git session list --state open)`);
  if (damaged.length) {
    lines.push('', plural(damaged.length, 'damaged session'));
    for (const d of damaged.slice(0, 20)) lines.push(damagedRow(d, paint, currentDamaged?.id));
    if (damaged.length > 20) lines.push(`  … ${damaged.length - 20} more (git session list --state damaged)`);
  }
  if (pending.length) {
    lines.push('', plural(pending.length, 'landing request') + ' sent, no verdict fetched yet');
    for (const p of pending) lines.push(`  ${shortId(p.session)}: landing requested on ${p.remote} onto ${p.target} at ${p.at} (git session land --remote ${p.remote} ${shortId(p.session)} waits for the verdict)`);
  }
  if (hookErrors) lines.push('', `${plural(hookErrors.count, 'hook error')} since ${hookErrors.since} (git session hooks status shows them)`);
  printLines(env, lines);
  return 0;
}
