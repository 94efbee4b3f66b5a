// Signed checks end to end in real repositories with real ssh-keygen keys: what `check`
// stores, what `verify` accepts and refuses (each refusal also refused by ssh-keygen
// itself), and how `show` words it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pae } from '../../src/core/attest/dsse.js';
import { allowedSigners, makeKey, sshKeygenAccepts, type TestKey, useSigning } from '../support/keys.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';

/** A repository signing with a fresh key that its allowed signers file trusts as ada. */
function signedRepo(line = (k: TestKey) => `ada@example.com ${k.pub}`): { dir: string; key: TestKey; allowed: string } {
  const dir = makeRepo();
  const key = makeKey();
  const allowed = allowedSigners([line(key)]);
  useSigning(dir, key, allowed);
  return { dir, key, allowed };
}

/** Starts a session in its own worktree with one file written. */
async function started(dir: string, files: Record<string, string> = { 'app.txt': 'v1\n' }): Promise<{ id: string; wt: string }> {
  const r = await cli(dir, ['start', 'signed work', '--worktree', '', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const { id, worktree } = r.json();
  for (const [p, t] of Object.entries(files)) writeFile(worktree, p, t);
  return { id, wt: worktree };
}

/** The stored envelope of a check event, and the bytes its signature covers. */
function envelopeOf(dir: string, oid: string): { env: any; payload: Buffer; armored: string; message: Buffer } {
  const env = JSON.parse(git(dir, 'cat-file', 'blob', oid));
  const payload = Buffer.from(env.payload, 'base64');
  return { env, payload, armored: Buffer.from(env.signatures[0].sig, 'base64').toString('utf8'), message: pae(env.payloadType, payload) };
}

/** Records a copy of a check event pointing at another attestation blob (what a forged or damaged copy looks like). */
async function recordWithAttestation(dir: string, wt: string, id: string, ev: any, blobText: string): Promise<void> {
  const oid = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: blobText, encoding: 'utf8' }).trim();
  const { Repo } = await import('../../src/repo/repo.js');
  const repo = Repo.open({ cwd: wt, clock: () => Date.parse('2026-03-02T00:00:00Z'), env: process.env });
  const forged = { ...repo.event({ kind: 'check', command: ev.command, exitCode: ev.exitCode, tree: ev.tree, durationMs: ev.durationMs, output: ev.output, name: ev.name }), attestation: oid };
  await repo.append(id, [forged]);
}

describe('signed checks', () => {
  it('signs a check (in-toto test-result in a DSSE envelope, SSHSIG in our namespace) that verify and ssh-keygen accept', async () => {
    const { dir, allowed } = signedRepo();
    const { id, wt } = await started(dir);
    const r = await cli(wt, ['check', '--name', 'test', '--json', '--', 'sh', '-c', 'test -f app.txt']);
    expect(r.code, r.stderr).toBe(0);
    const ev = r.json().event;
    expect(ev).toMatchObject({ kind: 'check', name: 'test', exitCode: 0, workspace: 'in-place', attestation: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(ev.tree).toBe(git(dir, 'rev-parse', `refs/sessions/${id}/work^{tree}`));

    // Plain git reads it, and the meta tree keeps it reachable.
    expect(git(dir, 'ls-tree', '-r', '--name-only', `refs/sessions/${id}/meta`)).toContain(`attestations/${ev.id}.dsse.json`);
    const { env, payload, armored, message } = envelopeOf(dir, ev.attestation);
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    const st = JSON.parse(payload.toString());
    expect(st).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { gitTree: ev.tree }, annotations: { session: id, merged: false, target: 'main' } }],
      predicateType: 'https://in-toto.io/attestation/test-result/v0.1',
      predicate: { result: 'PASSED', passedTests: ['test'] },
    });
    const names = st.predicate.configuration.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['command', 'node', 'git', 'os', 'env']));
    expect(st.predicate.configuration[0].annotations).toMatchObject({ check: 'test', argv: ['sh', '-c', 'test -f app.txt'], exitCode: 0, event: ev.id });
    expect(armored).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    // ssh-keygen agrees, in our namespace only.
    expect(sshKeygenAccepts(allowed, 'ada@example.com', 'git-session-check', armored, message)).toBe(true);
    expect(sshKeygenAccepts(allowed, 'ada@example.com', 'git', armored, message)).toBe(false);

    const v = await cli(wt, ['verify', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json().sessions[0].checks[0]).toMatchObject({ status: 'valid', signer: 'ada@example.com', name: 'test', passed: true, tree: ev.tree });
    const shown = await cli(wt, ['show']);
    expect(shown.stdout).toContain(`✓ test, signed by ada@example.com on tree ${ev.tree.slice(0, 12)}`);
    expect((await cli(wt, ['verify'])).stdout).toContain('verified: 1 valid');
  });

  it('a tampered payload and a tampered signature are invalid: verify exits 1 (ssh-keygen refuses them too)', async () => {
    const { dir, allowed } = signedRepo();
    const { id, wt } = await started(dir);
    const ev = (await cli(wt, ['check', '--name', 'test', '--json', '--', 'false'])).json().event;
    expect(ev.exitCode).toBe(1);
    const { env, payload, armored } = envelopeOf(dir, ev.attestation);

    // FAILED rewritten as PASSED.
    const st = JSON.parse(payload.toString());
    st.predicate.result = 'PASSED';
    st.predicate.configuration[0].annotations.exitCode = 0;
    const forgedPayload = Buffer.from(JSON.stringify(st));
    const tampered = { ...env, payload: forgedPayload.toString('base64') };
    await recordWithAttestation(dir, wt, id, { ...ev, exitCode: 0 }, JSON.stringify(tampered));
    let v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks.at(-1)).toMatchObject({ status: 'invalid', reason: 'the signature does not match the signed data' });
    expect(sshKeygenAccepts(allowed, 'ada@example.com', 'git-session-check', armored, pae(env.payloadType, forgedPayload))).toBe(false);
    expect((await cli(wt, ['show'])).stdout).toMatch(/✗ test passed on tree [0-9a-f]{12}: attestation INVALID: the signature does not match the signed data/);

    // One byte of the signature changed.
    const lines = armored.trim().split('\n');
    const body = Buffer.from(lines.slice(1, -1).join(''), 'base64');
    body[body.length - 3] ^= 0x40;
    const badArmor = `${lines[0]}\n${body.toString('base64')}\n${lines.at(-1)}\n`;
    await recordWithAttestation(dir, wt, id, ev, JSON.stringify({ ...env, signatures: [{ ...env.signatures[0], sig: Buffer.from(badArmor).toString('base64') }] }));
    v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks.at(-1)).toMatchObject({ status: 'invalid', reason: 'the signature does not match the signed data' });
    expect(sshKeygenAccepts(allowed, 'ada@example.com', 'git-session-check', badArmor, pae(env.payloadType, payload))).toBe(false);

    // A valid envelope moved onto another event: signed, but not for this one.
    await recordWithAttestation(dir, wt, id, ev, JSON.stringify(env));
    v = await cli(wt, ['verify', '--json']);
    expect(v.json().sessions[0].checks.at(-1)).toMatchObject({ status: 'invalid', reason: 'the signed statement does not match the check event (event)' });
  });

  it('another key, and a key allowed only for another namespace, are refused', async () => {
    const { dir, allowed } = signedRepo();
    const { wt } = await started(dir);
    // Signed with a key the allowed signers file does not list.
    const stranger = makeKey();
    git(dir, 'config', 'user.signingKey', stranger.path);
    const ev = (await cli(wt, ['check', '--json', '--', 'true'])).json().event;
    let v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks[0].reason).toMatch(/^the key is not in the allowed signers file \(SHA256:/);
    const e = envelopeOf(dir, ev.attestation);
    expect(sshKeygenAccepts(allowed, 'ada@example.com', 'git-session-check', e.armored, e.message)).toBe(false);

    // Listed, but for commits only (namespaces="git").
    const gitOnly = allowedSigners([`ada@example.com namespaces="git" ${stranger.pub}`]);
    git(dir, 'config', 'gpg.ssh.allowedSignersFile', gitOnly);
    v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks[0].reason).toMatch(/^the key \(ada@example.com\) is allowed only for namespaces "git"/);
    expect(sshKeygenAccepts(gitOnly, 'ada@example.com', 'git-session-check', e.armored, e.message)).toBe(false);

    // No allowed signers file at all: nobody can be trusted, and it says why.
    git(dir, 'config', '--unset', 'gpg.ssh.allowedSignersFile');
    v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks[0].reason).toMatch(/^cannot verify: gpg\.ssh\.allowedSignersFile is not set/);
  });

  it('a later edit makes the latest signed check stale (tree mismatch, exit 1) until the new tree is checked', async () => {
    const { dir } = signedRepo();
    const { wt } = await started(dir);
    expect((await cli(wt, ['check', '--name', 'test', '--', 'true'])).code).toBe(0);
    writeFile(wt, 'app.txt', 'v2\n');
    expect((await cli(wt, ['snapshot'])).code).toBe(0);
    let v = await cli(wt, ['verify', '--json']);
    expect(v.code).toBe(1);
    expect(v.json().sessions[0].checks[0]).toMatchObject({ status: 'stale', reason: expect.stringMatching(/^tree mismatch: signed on tree [0-9a-f]{12}, which is not the session's snapshot$/) });
    expect((await cli(wt, ['verify'])).stdout).toMatch(/! test passed, signed by ada@example\.com on tree [0-9a-f]{12}: stale/);
    expect((await cli(wt, ['check', '--name', 'test', '--', 'true'])).code).toBe(0);
    v = await cli(wt, ['verify', '--json', '--require', 'test']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json().sessions[0].checks.map((c: any) => [c.status, Boolean(c.superseded)])).toEqual([['stale', true], ['valid', false]]);
    expect((await cli(wt, ['verify', '--require', 'lint'])).code).toBe(1);
  });

  it('runs in place when the worktree equals the snapshot (ignored files stay), in a clean worktree with --clean', async () => {
    const { dir } = signedRepo();
    const { wt } = await started(dir, { '.gitignore': 'node_modules/\n', 'package-lock.json': '{"lockfileVersion":3}\n' });
    writeFile(wt, 'node_modules/.package-lock.json', '{"installed":true}\n');
    const here = await cli(wt, ['check', '--name', 'deps', '--json', '--', 'test', '-f', 'node_modules/.package-lock.json']);
    expect(here.code, here.stderr).toBe(0);
    expect(here.json().event.workspace).toBe('in-place');
    const st = JSON.parse(envelopeOf(dir, here.json().event.attestation).payload.toString());
    const conf = Object.fromEntries(st.predicate.configuration.map((c: any) => [c.name, c]));
    const sha = (t: string) => execFileSync('sha256sum', { input: t, encoding: 'utf8' }).split(' ')[0];
    expect(conf['lockfile:package-lock.json'].digest).toEqual({ sha256: sha('{"lockfileVersion":3}\n'), gitBlob: git(wt, 'hash-object', 'package-lock.json') });
    expect(conf['installed:node_modules/.package-lock.json'].digest).toEqual({ sha256: sha('{"installed":true}\n') });

    const clean = await cli(wt, ['check', '--name', 'deps', '--clean', '--json', '--', 'test', '-f', 'node_modules/.package-lock.json']);
    expect(clean.code).toBe(1);
    expect(clean.json().event).toMatchObject({ workspace: 'clean', exitCode: 1, tree: here.json().event.tree });
    expect(git(dir, 'worktree', 'list', '--porcelain')).not.toContain('/check/');
  });

  it('records unsigned without a key, and unsigned with a warning when the key cannot sign', async () => {
    const dir = makeRepo();
    const { wt } = await started(dir);
    const r = await cli(wt, ['check', '--json', '--', 'true']);
    expect(r.json().event.attestation).toBeUndefined();
    expect((await cli(wt, ['verify', '--json'])).json().sessions[0].checks[0]).toMatchObject({ status: 'unsigned' });
    expect((await cli(wt, ['verify'])).code).toBe(0);
    git(dir, 'config', 'session.signingKey', join(dir, 'no-such-key'));
    const w = await cli(wt, ['check', '--', 'true']);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/^warning: recorded unsigned: ssh-keygen could not sign with session.signingKey/m);
  });

  it('session.signingKey wins over git\'s key, and the statement carries no secret from the environment', async () => {
    const { dir, allowed } = signedRepo();
    const own = makeKey();
    writeFileSync(allowed, readFileSync(allowed, 'utf8') + `bot@example.com ${own.pub}\n`);
    git(dir, 'config', 'session.signingKey', own.path);
    git(dir, 'config', 'session.checkEnv', 'DEPLOY_TOKEN');
    const { wt } = await started(dir);
    const ev = (await cli(wt, ['check', '--json', '--', 'true'], { env: { DEPLOY_TOKEN: 'ghp_R7x2Lq9ZtW4mKp8VbN3cYs6HdJf1Ge5Ua0Xi', CI: 'true' } })).json().event;
    const st = JSON.parse(envelopeOf(dir, ev.attestation).payload.toString());
    const env = st.predicate.configuration.find((c: any) => c.name === 'env').annotations;
    expect(env.CI).toBe('true');
    expect(env.DEPLOY_TOKEN).toMatch(/^\[REDACTED:/);
    expect((await cli(wt, ['verify', '--json'])).json().sessions[0].checks[0].signer).toBe('bot@example.com');
  });
});

describe('signed checks with an SSH certificate (verified through ssh-keygen)', () => {
  it('a certificate from a trusted CA (cert-authority line) is valid; from another CA it is not', async () => {
    const dir = makeRepo();
    const ca = makeKey();
    const user = makeKey();
    execFileSync('ssh-keygen', ['-q', '-s', ca.path, '-I', 'ada', '-n', 'ada@example.com', '-V', '20200101:20991231', `${user.path}.pub`]);
    useSigning(dir, { path: `${user.path}-cert.pub`, pub: '' }, allowedSigners([`ada@example.com cert-authority ${ca.pub}`]));
    const { wt } = await started(dir);
    const ev = (await cli(wt, ['check', '--name', 'test', '--json', '--', 'true'])).json().event;
    expect(ev.attestation).toBeDefined();
    const v = await cli(wt, ['verify', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json().sessions[0].checks[0]).toMatchObject({ status: 'valid', signer: 'ada@example.com' });
    git(dir, 'config', 'gpg.ssh.allowedSignersFile', allowedSigners([`ada@example.com cert-authority ${makeKey().pub}`]));
    const bad = await cli(wt, ['verify', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.json().sessions[0].checks[0]).toMatchObject({ status: 'invalid', reason: 'the key is not in the allowed signers file' });
  });
});

describe('a signing key held by ssh-agent', () => {
  it('user.signingKey = "key::<public key>" signs through the agent (ssh-keygen -U), as git does', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const sock = join(mkdtempSync(join(tmpdir(), 'gs-agent-')), 'sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 25));
      const key = makeKey();
      execFileSync('ssh-add', ['-q', key.path], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const dir = makeRepo();
      useSigning(dir, key, allowedSigners([`ada@example.com ${key.pub}`]));
      git(dir, 'config', 'user.signingKey', `key::${key.pub}`);
      const { wt } = await started(dir);
      const r = await cli(wt, ['check', '--json', '--', 'true'], { env: { SSH_AUTH_SOCK: sock } });
      expect(r.stderr).not.toContain('recorded unsigned');
      expect(r.json().event.attestation).toBeDefined();
      expect((await cli(wt, ['verify', '--json'])).json().sessions[0].checks[0]).toMatchObject({ status: 'valid', signer: 'ada@example.com' });
      // Without the agent the same setting cannot sign: recorded unsigned, with why.
      const none = await cli(wt, ['check', '--', 'true'], { env: { SSH_AUTH_SOCK: join(sock, 'missing') } });
      expect(none.stderr).toMatch(/warning: recorded unsigned: ssh-keygen could not sign with user\.signingKey \(a key in ssh-agent\)/);
    } finally {
      agent.kill();
    }
  });
});
