import type { ArgsOf, Argv } from '../args.js';
import { shortId } from '../../core/ids.js';
import { agentLabel, reasoningLines } from '../../repo/bridges/markdown.js';
import { why } from '../../repo/bridges/why.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { shortOid } from '../../core/text.js';

/** `git session why <file>[:<line>]`. */
export const spec = {
  command: 'why <target>',
  describe: 'from a file or line to the commit that last changed it, its session, and that session’s goal, prompts and decisions',
  builder: (y: Argv) => y.positional('target', { type: 'string', describe: '<file> or <file>:<line>, relative to here' }).options(jsonOption),
};

type Args = ArgsOf<typeof spec>;

/** Runs `why`: exit 0 whether or not a session recorded the commit. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await why(repo, env.cwd, String(args.target ?? ''));
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  const c = r.commit;
  const lines = [`${r.path}${r.line !== null ? `:${r.line}` : ''}  ${shortOid(c.id)}  ${c.subject}`, `  ${c.author}, ${c.date}`];
  if (r.text !== null) lines.push(`  | ${r.text}`);
  const s = r.session;
  if (!s) {
    lines.push('', r.unknownSession
      ? `commit names session ${r.unknownSession}, which this repository does not have (git session pull?)`
      : 'no session recorded this commit: it was made with plain git');
    printLines(env, lines);
    return 0;
  }
  lines.push('', `session ${s.id} (${s.state}${s.landed ? ` on ${s.target} as ${shortOid(s.landed.commit)}, ${s.landed.strategy}` : ''}; found by ${s.via})`);
  if (r.otherSessions.length) lines.push(`(the commit also carries ${r.otherSessions.map(shortId).join(', ')}: this session's own change holds the line)`);
  lines.push(`goal:   ${s.goal}`);
  if (s.agent) lines.push(`agent:  ${agentLabel(s.agent)}`);
  lines.push(`author: ${s.author}`);
  lines.push(...reasoningLines(r.reasoning!, { chosen: '✔', rejected: '✘' }));
  lines.push('', `more:   git session show ${shortId(s.id)}`);
  printLines(env, lines);
  return 0;
}
