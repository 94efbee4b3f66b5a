import type { ArgsOf, Argv } from '../args.js';
import { snapshot } from '../../repo/work.js';
import { type CliEnv, jsonOption, openRepo, sessionOption } from '../env.js';
import { printJson, printLines } from '../output.js';
import { shortId } from '../../core/ids.js';
import { warnSecrets } from '../warnings.js';
import { plural, shortOid } from '../../core/text.js';

/** `git session snapshot [-m msg]`. */
export const spec = {
  command: 'snapshot',
  describe: "commit the working tree's changes into the session's work",
  builder: (y: Argv) =>
    y.options({
      message: { type: 'string', alias: 'm', describe: 'message of the work commit' },
      ...sessionOption,
      ...jsonOption,
    }),
  exits: { 1: 'the session is closed (landed or abandoned)' },
};

type Args = ArgsOf<typeof spec>;

/** Runs `snapshot`. */
export async function run(args: Args, env: CliEnv): Promise<number> {
  const repo = openRepo(env);
  const id = await repo.resolveSession(args.session);
  const r = (await snapshot(repo, id, args.message, true))!;
  const ev = r.event?.kind === 'snapshot' ? r.event : undefined;
  const res = r.resolution;
  if (ev) warnSecrets(env, r); // said once: when the snapshot was taken, not on every no-op
  if (args.json) {
    printJson(env, { session: id, changed: Boolean(ev), commit: ev?.commit ?? r.summary.work ?? null, tree: r.tree, files: ev?.files ?? [], skipped: r.skipped, secretFiles: r.secretFiles, base: r.summary.base, state: r.summary.state, resolution: res ? { paths: res.paths, remaining: res.remaining } : null });
    return 0;
  }
  const lines = [ev ? `snapshot ${shortOid(ev.commit)}: ${plural(ev.files.length, 'file')} changed since base${ev.base ? ` (base followed the checkout to ${shortOid(ev.base)})` : ''}` : "nothing to snapshot: the working tree matches the session's work"];
  if (res) lines.push(`resolved ${res.paths.map((p) => `${p.path} (${p.how})`).join(', ')}${res.remaining.length ? `; still conflicted: ${res.remaining.join(', ')}` : `; ${shortId(id)} is open again`}`);
  else if (r.summary.state === 'conflicted') lines.push(`still conflicted: ${(r.summary.conflicted ?? []).join(', ')} (remove the markers, or git session resolve <path>)`);
  printLines(env, lines);
  return 0;
}
