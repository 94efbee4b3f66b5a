// The landing policy (session.requireCheck) and `land --check`, in real repositories with
// real keys: refused (exit 1, nothing moves) without a valid signed pass on the tree that
// would land; allowed after `check`; the moved-target rule; land --check on a moved target.
import { describe, expect, it } from 'vitest';
import { allowedSigners, makeKey, useSigning } from '../support/keys.js';
import { cli, git, makeRepo, refsSnapshot, writeFile } from '../support/repo.js';

/** A repository with six lines in a.txt, signing as ada, requiring the check `test`. */
function policyRepo(): string {
  const dir = makeRepo();
  writeFile(dir, 'a.txt', '1\n2\n3\n4\n5\n6\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'six lines');
  const key = makeKey();
  useSigning(dir, key, allowedSigners([`ada@example.com ${key.pub}`]));
  git(dir, 'config', 'session.requireCheck', 'test');
  return dir;
}

async function session(dir: string, goal: string, files: Record<string, string>): Promise<{ id: string; wt: string }> {
  const r = await cli(dir, ['start', goal, '--worktree', '', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const { id, worktree } = r.json();
  for (const [p, t] of Object.entries(files)) writeFile(worktree, p, t);
  return { id, wt: worktree };
}

// The check the policy names: a.txt still has six lines.
const TEST = ['check', '--name', 'test', '--', 'sh', '-c', 'test "$(wc -l < a.txt)" -eq 6'];

describe('landing policy', () => {
  it('refuses to land without a signed pass (exit 1, nothing moves), then lands after check', async () => {
    const dir = policyRepo();
    const { id, wt } = await session(dir, 'first line', { 'a.txt': '1x\n2\n3\n4\n5\n6\n' });
    // An unsigned pass does not count either.
    git(dir, 'config', 'gpg.format', 'openpgp');
    expect((await cli(wt, TEST)).code).toBe(0);
    git(dir, 'config', 'gpg.format', 'ssh');
    const before = refsSnapshot(dir);
    const refused = await cli(wt, ['land']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("cannot land");
    expect(refused.stderr).toContain("required check 'test' ran unsigned");
    expect(refsSnapshot(dir)).toBe(before);
    const dry = await cli(wt, ['land', '--dry-run', '--json']);
    expect(dry.code).toBe(1);
    expect(dry.json().policy).toMatchObject({ ok: false, required: [{ name: 'test', satisfied: false }] });

    expect((await cli(wt, TEST)).code).toBe(0);
    const ok = await cli(wt, ['land', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ landed: true, policy: { ok: true, required: [{ name: 'test', satisfied: true, how: 'exact', signer: 'ada@example.com' }] } });
    expect(git(dir, 'show', 'main:a.txt').split('\n')[0]).toBe('1x');
    expect((await cli(dir, ['verify', id])).code).toBe(0);
  });

  it('per-target requirements (session.<branch>.requireCheck); a signed failure does not count', async () => {
    const dir = policyRepo();
    git(dir, 'config', '--unset', 'session.requireCheck');
    git(dir, 'config', 'session.release.requireCheck', 'test');
    git(dir, 'branch', 'release');
    const onMain = await session(dir, 'main is free', { 'b.txt': 'b\n' });
    expect((await cli(onMain.wt, ['land'])).code).toBe(0);
    const r = await cli(dir, ['start', 'release needs test', '--onto', 'release', '--worktree', '', '--json']);
    const wt = r.json().worktree;
    writeFile(wt, 'a.txt', '1\n2\n3\n4\n5\n');
    expect((await cli(wt, TEST)).code).toBe(1);
    const refused = await cli(wt, ['land']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/required check 'test' failed \(exit 1\) on tree [0-9a-f]{12}, signed by ada@example\.com/);
  });

  it('a pass on the session\'s own tree counts while nothing landed since touches its paths', async () => {
    const dir = policyRepo();
    const a = await session(dir, 'edit a', { 'a.txt': '1x\n2\n3\n4\n5\n6\n' });
    expect((await cli(a.wt, TEST)).code).toBe(0);
    // Something else lands, on other paths: the target moved, but not under a's paths.
    const b = await session(dir, 'other file', { 'c.txt': 'c\n' });
    expect((await cli(b.wt, TEST)).code).toBe(0);
    expect((await cli(b.wt, ['land'])).code).toBe(0);
    const r = await cli(a.wt, ['land', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().policy.required[0]).toMatchObject({ satisfied: true, how: 'quiet' });
  });

  it('land --check on a moved target: refused, then the merged tree is checked, signed and landed', async () => {
    const dir = policyRepo();
    const a = await session(dir, 'first line', { 'a.txt': '1x\n2\n3\n4\n5\n6\n' });
    expect((await cli(a.wt, TEST)).code).toBe(0);
    const b = await session(dir, 'last line', { 'a.txt': '1\n2\n3\n4\n5\n6y\n' });
    expect((await cli(b.wt, TEST)).code).toBe(0);
    expect((await cli(b.wt, ['land'])).code).toBe(0);
    // main moved under a.txt: a's own pass no longer speaks for what would land.
    const before = refsSnapshot(dir);
    const refused = await cli(a.wt, ['land']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changes landed since touch its paths: the merged tree [0-9a-f]{12} needs its own check \(land --check\)/);
    expect(refsSnapshot(dir)).toBe(before);

    const r = await cli(a.wt, ['land', '--check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.landed).toBe(true);
    expect(out.ran).toHaveLength(1);
    const merged = out.ran[0];
    expect(merged).toMatchObject({ name: 'test', exitCode: 0, workspace: 'clean', mergedWith: git(dir, 'rev-parse', `${out.commit}~1`) });
    expect(git(dir, 'rev-parse', 'main^{tree}')).toBe(merged.tree);
    expect(git(dir, 'show', 'main:a.txt')).toBe('1x\n2\n3\n4\n5\n6y');
    expect(out.policy.required[0]).toMatchObject({ satisfied: true, how: 'exact', by: merged.id });
    // The merged tree is kept by the session (gc keeps it) and verifies after the landing.
    expect(git(dir, 'ls-tree', `refs/sessions/${a.id}/meta`, `attestations/${merged.id}.tree`)).toContain(merged.tree);
    const v = await cli(dir, ['verify', a.id, '--json', '--require', 'test']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.json().sessions[0].checks.map((c: any) => c.status)).toEqual(['valid', 'valid']);
    expect(git(dir, 'worktree', 'list', '--porcelain')).not.toContain('/check/');
  });

  it('land --check that fails on the merged tree lands nothing; without a known command it says what to run', async () => {
    const dir = policyRepo();
    const a = await session(dir, 'first line', { 'a.txt': '1x\n2\n3\n4\n5\n6\n' });
    expect((await cli(a.wt, TEST)).code).toBe(0);
    // The other side adds a seventh line: the merged tree fails the check.
    const b = await session(dir, 'seventh', { 'a.txt': '1\n2\n3\n4\n5\n6\n7\n' });
    git(dir, 'config', '--unset', 'session.requireCheck');
    expect((await cli(b.wt, ['land'])).code).toBe(0);
    git(dir, 'config', 'session.requireCheck', 'test');
    const before = git(dir, 'rev-parse', 'main');
    const r = await cli(a.wt, ['land', '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/required check 'test' failed \(exit 1\) on the merged tree [0-9a-f]{12}: nothing landed/);
    expect(git(dir, 'rev-parse', 'main')).toBe(before);

    git(dir, 'config', '--add', 'session.requireCheck', 'lint');
    const c = await session(dir, 'never linted', { 'd.txt': 'd\n' });
    const n = await cli(c.wt, ['land', '--check']);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain("required check 'test' never ran in session");
  });
});
