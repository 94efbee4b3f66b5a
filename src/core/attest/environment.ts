// What a signed check records about what it ran with (README "Trusted checks"): the node
// and git versions, the OS, the digests of lockfiles at the top of the tree and of the
// installed-dependency manifests package managers keep beside the packages (node_modules
// is ignored, so it is not in the tree: its manifest's digest is what pins it), and the
// values of an allow-list of environment variables. Pure: the caller gathers the facts.
import { createHash } from 'node:crypto';
import type { ResourceDescriptor } from './statement.js';

/** Lockfiles looked for at the top of the checked tree. */
export const LOCKFILES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'deno.lock',
  'Cargo.lock', 'go.sum', 'Gemfile.lock', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'composer.lock', 'flake.lock',
  'mix.lock', 'pubspec.lock', 'Package.resolved', 'gradle.lockfile',
] as const;

/** Manifests of what is installed (npm's hidden lockfile, yarn's and pnpm's state files), relative to the run directory. */
export const INSTALLED_MANIFESTS = ['node_modules/.package-lock.json', 'node_modules/.yarn-state.yml', 'node_modules/.modules.yaml'] as const;

/** Environment variables whose values are part of the claim (plus `session.checkEnv`). */
export const ENV_ALLOW_LIST = ['CI', 'NODE_ENV', 'NODE_OPTIONS', 'TZ', 'LANG', 'LC_ALL', 'SOURCE_DATE_EPOCH'] as const;

/** The facts gathered about one run. */
export interface RunFacts {
  node?: string;
  git?: string;
  os: { platform: string; release: string; arch: string };
  /** Lockfiles in the tree: git blob id and sha256 of the bytes. */
  lockfiles: { path: string; gitBlob: string; sha256: string }[];
  /** Installed-dependency manifests found in the run directory. */
  installed: { path: string; sha256: string }[];
  /** Allow-listed variables that were set (already redacted). */
  env: Record<string, string>;
}

/** sha256 hex of bytes. */
export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The configuration descriptors for a run. */
export function environmentOf(f: RunFacts): ResourceDescriptor[] {
  const out: ResourceDescriptor[] = [];
  if (f.node) out.push({ name: 'node', annotations: { version: f.node } });
  if (f.git) out.push({ name: 'git', annotations: { version: f.git } });
  out.push({ name: 'os', annotations: { ...f.os } });
  for (const l of f.lockfiles) out.push({ name: `lockfile:${l.path}`, digest: { sha256: l.sha256, gitBlob: l.gitBlob } });
  for (const m of f.installed) out.push({ name: `installed:${m.path}`, digest: { sha256: m.sha256 } });
  const keys = Object.keys(f.env).sort();
  const vars = Object.fromEntries(keys.map((k) => [k, f.env[k]]));
  out.push({ name: 'env', digest: { sha256: sha256(JSON.stringify(vars)) }, annotations: vars });
  return out;
}
