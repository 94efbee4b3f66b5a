// git's SSH signing setup, used for check attestations: the key (`session.signingKey`,
// else `user.signingKey` when `gpg.format` is `ssh`), the program (`gpg.ssh.program`,
// default ssh-keygen) and `gpg.ssh.allowedSignersFile`, resolved as git resolves them.
// Signing spawns `ssh-keygen -Y sign` exactly as git does for commits (a key file, or a
// literal public key held by ssh-agent with -U), only with our own namespace.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';

/** Config values under session.*, user.signingkey and gpg.* (keys lower-cased as git prints them). */
export type ConfigMap = Map<string, string[]>;

/** Reads the config values signing and the landing policy need, in one git call. */
export async function readSigningConfig(cwd: string, env?: Record<string, string | undefined>): Promise<ConfigMap> {
  const r = await runGit(['config', '-z', '--get-regexp', '^(session\\.|user\\.signingkey$|gpg\\.)'], { cwd, allowFail: true, env });
  const m: ConfigMap = new Map();
  for (const rec of r.stdout.split('\0')) {
    if (!rec) continue;
    const nl = rec.indexOf('\n');
    const key = nl < 0 ? rec : rec.slice(0, nl);
    const val = nl < 0 ? '' : rec.slice(nl + 1);
    m.set(key, [...(m.get(key) ?? []), val]);
  }
  return m;
}

/** The last value of a config key (git's "last one wins"). */
export function lastValue(m: ConfigMap, key: string): string | undefined {
  return m.get(key.toLowerCase())?.at(-1);
}

/** How this repository signs checks. */
export interface SigningSetup {
  /** A key file path, or a literal public key (held by ssh-agent). */
  key: string;
  literal: boolean;
  program: string;
  /** Which setting named the key. */
  source: 'session.signingKey' | 'user.signingKey';
}

/** `~/x` as git expands it; a relative path is taken from the worktree top (where git runs ssh-keygen). */
function expandPath(p: string, top: string, env: Record<string, string | undefined>): string {
  if (p.startsWith('~/')) return join(env.HOME ?? '', p.slice(2));
  return isAbsolute(p) ? p : resolve(top, p);
}

/** The signing setup, or undefined when no SSH key is configured. */
export function signingSetup(m: ConfigMap, top: string, env: Record<string, string | undefined>): SigningSetup | undefined {
  const own = lastValue(m, 'session.signingkey');
  const git = lastValue(m, 'gpg.format') === 'ssh' ? lastValue(m, 'user.signingkey') : undefined;
  const raw = own || git;
  if (!raw) return undefined;
  const source = own ? 'session.signingKey' : 'user.signingKey';
  const program = lastValue(m, 'gpg.ssh.program') || 'ssh-keygen';
  if (raw.startsWith('key::')) return { key: raw.slice(5), literal: true, program, source };
  if (raw.startsWith('ssh-') || raw.startsWith('ecdsa-') || raw.startsWith('sk-')) return { key: raw, literal: true, program, source };
  return { key: expandPath(raw, top, env), literal: false, program, source };
}

/** The allowed signers file git verifies against (`gpg.ssh.allowedSignersFile`), if set. */
export function allowedSignersPath(m: ConfigMap, top: string, env: Record<string, string | undefined>): string | undefined {
  const p = lastValue(m, 'gpg.ssh.allowedsignersfile');
  return p ? expandPath(p, top, env) : undefined;
}

/** Runs a program and collects its output (ssh-keygen here). */
function run(program: string, args: string[], input?: Buffer, env?: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    // The caller's environment: SSH_AUTH_SOCK (ssh-agent) and HOME (~/.ssh) come from it.
    const child = spawn(program, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b) => (stdout += b));
    child.stderr!.on('data', (b) => (stderr += b));
    child.on('error', (e) => rej(new GsError('check-failed', `cannot run ${program}: ${e.message}`)));
    child.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
    if (input) {
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
  });
}

/**
 * Signs `message` with `ssh-keygen -Y sign -n <namespace>` and returns the armored
 * signature. The message goes through a private temporary file, as git does, so
 * ssh-keygen keeps the terminal for a passphrase prompt.
 */
export async function sshSign(setup: SigningSetup, message: Buffer, namespace: string, env?: Record<string, string | undefined>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'git-session-sign-'));
  try {
    const msg = join(dir, 'message');
    await writeFile(msg, message, { mode: 0o600 });
    let keyFile = setup.key;
    if (setup.literal) {
      keyFile = join(dir, 'key.pub');
      await writeFile(keyFile, setup.key + '\n', { mode: 0o600 });
    }
    const r = await run(setup.program, ['-Y', 'sign', '-n', namespace, '-f', keyFile, ...(setup.literal ? ['-U'] : []), msg], undefined, env);
    if (r.code !== 0) {
      const why = r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.code}`;
      throw new GsError('check-failed', `${setup.program} could not sign with ${setup.source} (${setup.literal ? 'a key in ssh-agent' : setup.key}): ${why}`);
    }
    return await readFile(`${msg}.sig`, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `YYYYMMDDHHMMSSZ`, the time form ssh-keygen's verify-time option takes. */
function sshTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/**
 * Verifies one signature the way `git verify-commit` does with SSH keys: `ssh-keygen -Y
 * find-principals` for the signer, then `-Y verify -I <principal> -n <namespace>`, both
 * judged at `time` (seconds). Two processes per signature: the slow path, kept for key
 * types not checked in-process (security keys, certificates) and as the reference the
 * tests and the benchmark compare the in-process check against.
 */
export async function sshKeygenVerify(
  program: string,
  allowedSigners: string,
  armored: string,
  message: Buffer,
  namespace: string,
  time: number,
): Promise<{ ok: true; principals: string } | { ok: false; reason: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'git-session-verify-'));
  try {
    const sig = join(dir, 'sig');
    await writeFile(sig, armored);
    const at = `-Overify-time=${sshTime(time)}`;
    const found = await run(program, ['-Y', 'find-principals', '-f', allowedSigners, '-s', sig, at]);
    const principal = found.code === 0 ? found.stdout.split('\n')[0].trim() : '';
    if (!principal) return { ok: false, reason: 'the key is not in the allowed signers file' };
    const r = await run(program, ['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', namespace, '-s', sig, at], message);
    if (r.code !== 0) return { ok: false, reason: r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'ssh-keygen refused the signature' };
    return { ok: true, principals: principal };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
