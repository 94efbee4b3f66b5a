// `prepare` (npm install, npm ci, npm install -g .): build the CLI. `npm install -g .`
// from a fresh clone links the folder without installing its dependencies (npm 7+), so
// the runtime dependencies and esbuild (a regular dependency: the build needs no
// devDependencies) are installed here first, exactly as the lockfile says.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.GIT_SESSION_PREPARING) process.exit(0); // the nested npm ci below
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys(dependencies).filter((d) => !existsSync(join(root, 'node_modules', d, 'package.json')));
if (missing.length) {
  process.stderr.write(`git-session: installing its dependencies (${missing.length} missing)\n`);
  // Not global, not into the install prefix: this folder's own node_modules.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k) || /^npm_config_(cache|registry|userconfig)$/i.test(k)));
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env: { ...env, GIT_SESSION_PREPARING: '1' } })
    : spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env: { ...env, GIT_SESSION_PREPARING: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('./build-bundle.mjs');
