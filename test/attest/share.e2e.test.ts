// Attestations travel with sessions: push/pull through a real git daemon carry them, gc
// keeps them, a clone verifies them against its own allowed signers; the PR body and the
// notes carry them for reviewers; and the README's ssh-keygen-only recipe verifies one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Daemon, startDaemon } from '../support/daemon.js';
import { allowedSigners, makeKey, useSigning } from '../support/keys.js';
import { cli, git, makeRepo, ROOT, spawnBin, writeFile } from '../support/repo.js';

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon?.stop());

describe('sharing signed checks', () => {
  it('push and pull carry the attestations, gc keeps them, and a clone verifies them', async () => {
    const url = daemon.remote('attest');
    const a = makeRepo();
    git(a, 'remote', 'add', 'origin', url);
    const key = makeKey();
    const allowed = allowedSigners([`ada@example.com ${key.pub}`]);
    useSigning(a, key, allowed);
    expect((await cli(a, ['init', '--publish', 'push'])).code).toBe(0);
    git(a, 'push', '-q', 'origin', 'main');
    const id = (await cli(a, ['start', 'shared check', '--json'])).json().id;
    writeFile(a, 'x.txt', 'x\n');
    expect((await cli(a, ['check', '--name', 'test', '--', 'true'])).code).toBe(0);
    expect((await cli(a, ['push', 'origin'])).code).toBe(0);

    const b = realpathSync(mkdtempSync(join(tmpdir(), 'gs-clone-')));
    git(b, 'clone', '-q', url, '.');
    expect((await cli(b, ['init'])).code).toBe(0);
    expect((await cli(b, ['pull', 'origin'])).code).toBe(0);
    git(b, 'config', 'gpg.ssh.allowedSignersFile', allowed);
    git(b, 'gc', '-q', '--prune=now');
    const v = await cli(b, ['verify', id, '--json', '--require', 'test']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json().sessions[0].checks[0]).toMatchObject({ status: 'valid', signer: 'ada@example.com' });
    // A bare repository (what a server holds) verifies the same way, with no worktree.
    const bare = realpathSync(mkdtempSync(join(tmpdir(), 'gs-bare-')));
    git(bare, 'clone', '-q', '--mirror', url, '.');
    git(bare, 'config', 'gpg.ssh.allowedSignersFile', allowed);
    const vb = await cli(bare, ['verify', '--all', '--json']);
    expect(vb.code, vb.stderr).toBe(0);
    expect(vb.json().sessions.map((x: any) => [x.session, x.checks[0].status])).toEqual([[id, 'valid']]);
    // The clone's own trust decides: not listed there, not valid there.
    git(b, 'config', 'gpg.ssh.allowedSignersFile', allowedSigners([`bob@example.com ${makeKey().pub}`]));
    expect((await cli(b, ['verify', id])).code).toBe(1);
  });

  it('the PR body and the notes carry verdicts, the envelopes and the verify one-liner', async () => {
    const dir = makeRepo();
    const key = makeKey();
    useSigning(dir, key, allowedSigners([`ada@example.com ${key.pub}`]));
    const id = (await cli(dir, ['start', 'reviewed', '--json'])).json().id;
    writeFile(dir, 'r.txt', 'r\n');
    const ev = (await cli(dir, ['check', '--name', 'npm test', '--json', '--', 'true'])).json().event;
    const pr = await cli(dir, ['export', '--branch', 'review', '--json']);
    expect(pr.code, pr.stderr).toBe(0);
    const body: string = pr.json().prBody;
    expect(body).toContain(`- ✓ npm test, signed by ada@example.com on tree ${ev.tree.slice(0, 12)}`);
    expect(body).toContain(`git session verify ${id} --require 'npm test'`);
    const envelope = JSON.stringify(JSON.parse(git(dir, 'cat-file', 'blob', ev.attestation)));
    expect(body).toContain(envelope);
    expect((await cli(dir, ['land'])).code).toBe(0);
    expect((await cli(dir, ['export', '--notes'])).code).toBe(0);
    const note = git(dir, 'log', '-1', '--notes=sessions', '--format=%N');
    expect(note).toContain(`✓ npm test, signed by ada@example.com on tree ${ev.tree.slice(0, 12)}`);
    expect(note).toContain(`Verify: git session verify ${id} --require 'npm test'`);
    expect(note).toContain(`Attestation: ${envelope}`);
  });

  it("the README's ssh-keygen-only recipe verifies an attestation, and the built binary agrees", async () => {
    const dir = makeRepo();
    const key = makeKey();
    const allowed = allowedSigners([`ada@example.com ${key.pub}`]);
    useSigning(dir, key, allowed);
    const id = (await cli(dir, ['start', 'recipe', '--json'])).json().id;
    writeFile(dir, 'r.txt', 'r\n');
    const ev = (await cli(dir, ['check', '--json', '--', 'true'])).json().event;
    // The recipe exactly as the README gives it, the blob id filled in.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const recipe = /with `ssh-keygen` alone[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1].replace('<attestation-blob>', ev.attestation);
    const out = execFileSync('bash', ['-c', recipe], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('Good "git-session-check" signature for ada@example.com');
    const r = await spawnBin(dir, ['verify', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('✓ true, signed by ada@example.com');
  });

  it("the README's three set-up commands make checks signed and verified", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /Set up a key in three commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1];
    expect(block.trim().split('\n')).toHaveLength(3);
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'gs-home-')));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 }); // as any ssh user's home has
    const global = join(home, '.gitconfig');
    writeFileSync(global, '');
    const env = { HOME: home, GIT_CONFIG_GLOBAL: global };
    execFileSync('bash', ['-euo', 'pipefail', '-c', block], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const dir = makeRepo();
    expect((await spawnBin(dir, ['start', 'readme key'], { env })).code).toBe(0);
    writeFile(dir, 'k.txt', 'k\n');
    const c = await spawnBin(dir, ['check', '--name', 'test', '--', 'true'], { env });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(', signed (attestation ');
    const v = await spawnBin(dir, ['verify', '--require', 'test'], { env });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('✓ test, signed by ada@example.com on tree ');
  });
});
