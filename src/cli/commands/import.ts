import type { ArgsOf, Argv } from '../args.js';
import { usage } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { resolve } from 'node:path';
import { importRange } from '../../repo/bridges/import-range.js';
import { importTranscript } from '../../repo/bridges/import-transcript.js';
import { type CliEnv, jsonOption, openRepo } from '../env.js';
import { printJson, printLines } from '../output.js';
import { plural, shortOid } from '../../core/text.js';
import { progressLine } from '../progress.js';

/** `git session import <range or branch> [--goal g] [--onto b]`. */
export const spec = {
  command: 'import [range]',
  describe: 'adopt existing commits (A..B, or a branch) as a session, or attach an agent transcript (--transcript)',
  builder: (y: Argv) =>
    y.positional('range', { type: 'string', describe: 'A..B, or a branch' }).options({
      goal: { type: 'string', describe: "the session's goal (default: the first commit's subject)" },
      onto: { type: 'string', describe: 'target branch (default: the current branch)' },
      transcript: { type: 'string', describe: 'a Claude Code or Codex CLI JSONL transcript to attach' },
      format: { choices: ['claude-code', 'codex', 'gemini', 'auto'] as const, default: 'auto' as const, describe: 'transcript format' },
      session: { type: 'string', alias: 's', describe: 'attach the transcript to this session (default: a new one)' },
      ...jsonOption,
    }),
};

type Args = ArgsOf<typeof spec>;

/** Runs `import`: one source per run (each kind of source has its own runner below). */
export async function run(args: Args, env: CliEnv): Promise<number> {
  if (args.transcript !== undefined && args.range !== undefined) throw usage('import one thing at a time: a range or --transcript <file>');
  if (args.transcript !== undefined) return runTranscript(args, args.transcript, env);
  if (args.session !== undefined) throw usage('--session goes with --transcript');
  if (args.range !== undefined) return runRange(args, args.range, env);
  throw usage('say what to import: a range A..B, a branch, or --transcript <file>');
}

/** `import --transcript <file>`: streams, redacts and attaches an agent conversation. */
async function runTranscript(args: Args, file: string, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const line = progressLine(env, args);
  const r = await importTranscript(repo, { file: resolve(env.cwd, file), format: args.format ?? 'auto', session: args.session, goal: args.goal, onto: args.onto, onProgress: line.onProgress }).finally(() => line.done());
  if (args.json) {
    printJson(env, r);
    return 0;
  }
  printLines(env, [r.session]);
  if (r.unchanged) {
    env.stderr.write(`already imported in ${shortId(r.session)}: nothing new in this transcript\n`);
    return 0;
  }
  const red = Object.entries(r.redactedKinds).map(([k, n]) => `${n} ${k}`).join(', ');
  env.stderr.write(`${r.created ? 'started' : 'added to'} ${shortId(r.session)} from a ${r.format} transcript${r.model ? ` (${r.model})` : ''}: ${plural(r.added, 'new item')}, ${plural(r.events, 'event')} in all${red ? `; redacted ${red}` : ''}\n`);
  return 0;
}

/** `import <range or branch>`: prints the new id on stdout (details on stderr). */
async function runRange(args: Args, range: string, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const r = await importRange(repo, { source: String(range), goal: args.goal, onto: args.onto });
  if (args.json) {
    printJson(env, { id: r.summary.id, session: r.summary, source: r.source, base: r.base, tip: r.tip, commits: r.commits, files: r.files, existing: r.existing });
    return 0;
  }
  printLines(env, [r.summary.id]);
  if (r.existing) {
    env.stderr.write(`${r.source} was imported before, as ${shortId(r.summary.id)}: nothing written\n`);
    return 0;
  }
  env.stderr.write(`imported ${plural(r.commits.length, 'commit')} from ${r.source} as ${shortId(r.summary.id)} on ${r.summary.target} (base ${shortOid(r.base)}, ${plural(r.files.length, 'file')}): ${r.summary.goal}\n`);
  return 0;
}
