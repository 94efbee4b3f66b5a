// Signing a check (README "Trusted checks"): gathers what the command ran with, writes the
// in-toto statement, signs its DSSE PAE with `ssh-keygen -Y sign -n git-session-check`
// and stores the envelope as a blob the check event references (kept reachable under the
// session's meta tree, so push, pull and gc carry it). Also reads the repository's check
// settings: the signing key, the allowed signers file and the required checks.
import { accessSync, constants, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { envelope, INTOTO_PAYLOAD_TYPE, pae } from '../core/attest/dsse.js';
import { ENV_ALLOW_LIST, environmentOf, INSTALLED_MANIFESTS, LOCKFILES, type RunFacts, sha256 } from '../core/attest/environment.js';
import { CHECK_NAMESPACE, fingerprint, parseSshSig } from '../core/attest/sshsig.js';
import { statementOf, type Workspace } from '../core/attest/statement.js';
import { checkName } from '../core/attest/verify.js';
import { redactText } from '../core/redact/index.js';
import type { EventOf } from '../core/types.js';
import { gitOut } from '../git/exec.js';
import { allowedSignersPath, type ConfigMap, readSigningConfig, type SigningSetup, signingSetup, sshSign } from '../git/ssh-signing.js';
import type { Repo } from './repo.js';

/** A repository's check settings, read once per command (one `git config` call). */
export interface CheckSettings {
  config: ConfigMap;
  /** How checks are signed; undefined: they are recorded unsigned. */
  signing?: SigningSetup;
  /** `gpg.ssh.allowedSignersFile`, resolved. */
  allowedSigners?: string;
  /** `session.checkEnv`: more variables whose values join the claim. */
  envNames: string[];
}

/** Reads the check settings of a repository (works in a bare one too). */
export async function checkSettings(repo: Repo): Promise<CheckSettings> {
  const config = await readSigningConfig(repo.cwd, repo.env);
  const top = repo.paths.top ?? repo.paths.gitDir;
  return {
    config,
    signing: signingSetup(config, top, repo.env),
    allowedSigners: allowedSignersPath(config, top, repo.env),
    envNames: (config.get('session.checkenv') ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean),
  };
}

/**
 * The checks a landing onto `target` requires: every `session.requireCheck` value, plus
 * those of `session.<target>.requireCheck` (git's subsection form: `[session "main"]`).
 */
export function requiredChecks(s: CheckSettings, target: string): string[] {
  // git prints section and key lower-cased, the subsection (the branch) as written.
  const all = [...(s.config.get('session.requirecheck') ?? []), ...(s.config.get(`session.${target}.requirecheck`) ?? [])];
  return [...new Set(all.map((x) => x.trim()).filter(Boolean))];
}

/** The `node` the check's PATH finds: this process's own when it is the same binary (no spawn), else `node --version`. */
async function nodeVersion(pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'node');
    try {
      accessSync(p, constants.X_OK);
    } catch {
      continue;
    }
    try {
      if (realpathSync(p) === realpathSync(process.execPath)) return process.version;
    } catch {
      /* compare failed: ask it */
    }
    return new Promise((res) => {
      const child = spawn(p, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.on('error', () => res(undefined));
      child.on('close', (code) => res(code === 0 ? out.trim() : undefined));
    });
  }
  return undefined;
}

/** What a run used, from the directory it ran in and the tree it ran on. */
export async function gatherFacts(repo: Repo, runDir: string, tree: string, envNames: string[]): Promise<RunFacts> {
  const env = { ...process.env, ...repo.env };
  const top = await repo.store.objects.readTree(tree);
  const wanted = new Set<string>(LOCKFILES);
  const lockfiles: RunFacts['lockfiles'] = [];
  for (const e of top) {
    if (e.type !== 'blob' || !wanted.has(e.path)) continue;
    const bytes = await readFile(join(runDir, e.path)).catch(() => undefined);
    if (bytes) lockfiles.push({ path: e.path, gitBlob: e.oid, sha256: sha256(bytes) });
  }
  const installed: RunFacts['installed'] = [];
  for (const m of INSTALLED_MANIFESTS) {
    const bytes = await readFile(join(runDir, m)).catch(() => undefined);
    if (bytes) installed.push({ path: m, sha256: sha256(bytes) });
  }
  const vars: Record<string, string> = {};
  for (const name of new Set([...ENV_ALLOW_LIST, ...envNames])) {
    const v = env[name];
    if (v !== undefined) vars[name] = redactText(v).text;
  }
  const [node, gitV] = await Promise.all([
    nodeVersion(env.PATH),
    gitOut(['--version'], { cwd: repo.cwd }).then((s) => s.replace(/^git version /, ''), () => undefined),
  ]);
  return { node, git: gitV, os: { platform: platform(), release: release(), arch: arch() }, lockfiles, installed, env: vars };
}

/** Where a check's tree sits relative to the target (signed with it). */
export interface AttestSubject {
  session: string;
  /** The commit the tree was checked against (the session's base, or the target tip of a merged tree). */
  base: string;
  target: string;
  merged: boolean;
  workspace: Workspace;
}

/**
 * Signs a check event about to be recorded (its fields already redacted) and stores the
 * envelope; returns the blob id for the event's `attestation`. `runDir` is where the
 * command ran, still on disk (lockfiles and installed manifests are read there).
 */
export async function attestCheck(repo: Repo, s: CheckSettings, ev: EventOf<'check'>, sub: AttestSubject, runDir: string): Promise<string> {
  const signing = s.signing!;
  const facts = await gatherFacts(repo, runDir, ev.tree, s.envNames);
  const statement = statementOf({
    ...sub,
    tree: ev.tree,
    name: checkName(ev),
    argv: ev.command,
    exitCode: ev.exitCode,
    durationMs: ev.durationMs,
    event: ev.id,
    time: ev.ts,
    environment: environmentOf(facts),
  });
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const armored = await sshSign(signing, pae(INTOTO_PAYLOAD_TYPE, payload), CHECK_NAMESPACE, repo.env);
  const env = envelope(payload, armored, fingerprint(parseSshSig(armored).publicKey));
  return repo.store.objects.writeText(JSON.stringify(env, null, 2) + '\n');
}
