import type { CliEnv } from './env.js';

/** Says once which untracked files were left out as likely secrets, and which tracked files taken look secret. */
export function warnSecrets(env: CliEnv, r: { skipped: string[]; secretFiles: { path: string; kinds: string[] }[] }): void {
  if (r.skipped.length) env.stderr.write(`git-session: left out of the snapshot (untracked, likely secrets; see session.snapshotExclude): ${r.skipped.join(', ')}\n`);
  for (const f of r.secretFiles) env.stderr.write(`git-session: warning: ${f.path} looks like it holds a secret (${f.kinds.join(', ')}); the snapshot took it (list it in .gitignore or session.snapshotExclude to leave it out)\n`);
}
