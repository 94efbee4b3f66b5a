import { resolve } from 'node:path';
import type { ArgsOf, Argv } from '../args.js';
import { GsError, usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { checkFsPath } from '../../core/validate.js';
import { applyExport, checkPrBodyPath, checkRemote, planExport, pushBranch, writePrBody } from '../../repo/bridges/export.js';
import { writeSessionNotes } from '../../repo/bridges/notes.js';
import { type CliEnv, idPositional, jsonOption, openRepo, sessionArg, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { plural, shortOid } from '../../core/text.js';
import { progressLine } from '../progress.js';

/** `git session export <id> --branch <name>` and `git session export --notes`. */
export const spec = {
  command: 'export [id]',
  describe: 'a plain branch of a session for a pull request (with its Markdown description), or --notes for every landed session',
  builder: (y: Argv) =>
    y.positional('id', idPositional).options({
      branch: { type: 'string', describe: 'branch to write (refs/heads/<name>)' },
      push: { type: 'string', describe: 'push the branch to this remote' },
      'pr-body': { type: 'string', describe: 'write the PR description to this new file instead of stdout (never through a symlink)' },
      force: { type: 'boolean', describe: 'overwrite a branch that is not an earlier export of this session, or an existing --pr-body file' },
      notes: { type: 'boolean', describe: "write every landed session's reasoning as git notes (refs/notes/sessions)" },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'the branch exists and is not an earlier export of this session (--force), or is checked out; --push of a private session', 3: 'the push failed' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `export`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  if (args.notes) return runNotes(args, env);
  if (args.branch === undefined) throw usage('export needs --branch <name> (or --notes)');
  const remote = args.push !== undefined ? checkRemote(String(args.push)) : undefined;
  const bodyFile = args.prBody !== undefined ? resolve(env.cwd, checkFsPath(String(args.prBody), '--pr-body file')) : undefined;
  const repo = openRepo(env);
  const id = await repo.resolveSession(sessionArg(args));
  if (remote && (await repo.store.readSummary(id)).private) {
    throw new GsError('policy', `session ${shortId(id)} is private: it is never pushed (git session private ${shortId(id)} --off makes it publishable)`);
  }
  if (bodyFile) await checkPrBodyPath(bodyFile, Boolean(args.force));
  const plan = await planExport(repo, id, { branch: String(args.branch), force: args.force });
  if (bodyFile) await writePrBody(bodyFile, plan.prBody, Boolean(args.force));
  await applyExport(repo, plan);
  if (remote) {
    const line = progressLine(env, args);
    await pushBranch(repo, remote, plan, Boolean(args.force), line.onProgress).finally(() => line.done());
  }
  if (args.json) {
    printJson(env, { ...plan, pushed: remote ?? null, prBodyFile: bodyFile ?? null });
    return 0;
  }
  const includes = `the branch carries the code (${plural(plan.commits.length, 'commit')}, each with its message and a Session-Id trailer); the description carries the goal, agent, author, prompts, decisions with the alternatives rejected, checks and files, not the messages, tool output, notes or feedback`;
  const what = `${plan.unchanged ? 'branch already up to date' : 'exported'}: ${shortId(id)} -> ${plan.branch} at ${shortOid(plan.tip)} (${plural(plan.commits.length, 'commit')} on ${shortOid(plan.base)}${plan.squashed ? `, ${plan.squashed} squashed` : ''})${remote ? `, pushed to ${remote}` : ''}`;
  if (bodyFile) printLines(env, [what, `PR description: ${bodyFile}`, `includes: ${includes}`]);
  else {
    // stdout carries only the description so `git session export ... | gh pr create -F -` works.
    env.stdout.write(plan.prBody);
    env.stderr.write(`${what}\nincludes: ${includes}\n`);
  }
  return 0;
}

async function runNotes(args: Args, env: CliEnv): Promise<number> {
  if (args.id !== undefined || args.session !== undefined || args.branch !== undefined || args.push !== undefined || args.prBody !== undefined) {
    throw usage('export --notes covers every landed session: it takes no id, --branch, --push or --pr-body');
  }
  const r = await writeSessionNotes(openRepo(env));
  if (args.json) printJson(env, r);
  else {
    const lines = [r.written ? `wrote ${plural(r.written, 'note')} to ${r.ref} (${plural(r.sessions, 'landed session')}); read them with git log --notes=sessions` : `notes up to date (${plural(r.sessions, 'landed session')})`];
    for (const m of r.missing) lines.push(`  skipped ${shortOid(m)}: the landed commit is no longer in the repository`);
    if (r.privateSkipped) lines.push(`  left out ${plural(r.privateSkipped, 'private session')}`);
    lines.push(`includes: each landed session's goal, agent, author, prompts, decisions with the alternatives rejected, and checks; not messages or tool output. The notes stay local until you push ${r.ref}`);
    printLines(env, lines);
  }
  return 0;
}
