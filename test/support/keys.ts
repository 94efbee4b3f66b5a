// Real SSH keys for the signed-check tests, made by ssh-keygen in temporary directories,
// and the git configuration that signs checks with them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './repo.js';

/** A key pair on disk. */
export interface TestKey {
  /** The private key file (what user.signingKey names). */
  path: string;
  /** `type base64` of the public key, as an allowed signers line wants it. */
  pub: string;
}

const keyDir = realpathSync(mkdtempSync(join(tmpdir(), 'gs-keys-')));
let n = 0;

/** A fresh key without passphrase (`type`: ed25519, rsa, ecdsa; `bits` for rsa/ecdsa). */
export function makeKey(type = 'ed25519', bits?: number): TestKey {
  const path = join(keyDir, `key${n++}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'test', '-f', path], { stdio: 'ignore' });
  const pub = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return { path, pub };
}

/** Writes an allowed signers file with these lines and returns its path. */
export function allowedSigners(lines: string[]): string {
  const path = join(keyDir, `allowed${n++}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Makes `dir` sign with `key` (git's own setting, gpg.format=ssh) and verify against `allowed`. */
export function useSigning(dir: string, key: TestKey, allowed: string): void {
  git(dir, 'config', 'gpg.format', 'ssh');
  git(dir, 'config', 'user.signingKey', key.path);
  git(dir, 'config', 'gpg.ssh.allowedSignersFile', allowed);
}

/** Signs `message` with ssh-keygen for `namespace` and returns the armored signature. */
export function sshSignText(key: TestKey, message: Buffer, namespace: string): string {
  return execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-n', namespace, '-f', key.path], { input: message, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
}

/** What `ssh-keygen -Y verify` says (exit 0 or not) for a signature, principal and namespace. */
export function sshKeygenAccepts(allowed: string, principal: string, namespace: string, armored: string, message: Buffer, at?: string): boolean {
  const sig = join(keyDir, `sig${n++}`);
  writeFileSync(sig, armored);
  try {
    execFileSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', principal, '-n', namespace, '-s', sig, ...(at ? [`-Overify-time=${at}`] : [])], { input: message, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}
