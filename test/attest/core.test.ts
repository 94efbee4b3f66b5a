// Pure parts of signed checks: allowed signers parsing, the statement, the landing policy.
import { describe, expect, it } from 'vitest';
import { matchPatternList, parseAllowedSigners, parseSshTime } from '../../src/core/attest/allowed-signers.js';
import { pae } from '../../src/core/attest/dsse.js';
import { evaluatePolicy } from '../../src/core/attest/policy.js';
import { parseStatement, statementOf, type CheckClaim } from '../../src/core/attest/statement.js';
import type { CheckVerdict } from '../../src/core/attest/verify.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('allowed signers file', () => {
  it('reads principals, options and keys; skips what ssh-keygen would skip, saying why', () => {
    const f = parseAllowedSigners(
      [
        '# team',
        `ada@example.com ${KEY} ada's laptop`,
        `"bob@example.com" namespaces="git,git-session-check",valid-after="20260101" ${KEY}`,
        `*@ci.example cert-authority ${KEY}`,
        `eve@example.com nope="x" ${KEY}`,
        `mal@example.com namespaces="git ${KEY}`,
        'solo@example.com',
        `typo@example.com ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ`,
        `twice@example.com namespaces="a",namespaces="b" ${KEY}`,
      ].join('\n'),
    );
    expect(f.signers.map((s) => [s.line, s.principals, s.certAuthority, s.namespaces, s.validAfter])).toEqual([
      [2, 'ada@example.com', false, undefined, undefined],
      [3, 'bob@example.com', false, 'git,git-session-check', parseSshTime('20260101')],
      [4, '*@ci.example', true, undefined, undefined],
    ]);
    expect(f.skipped).toEqual([
      { line: 5, reason: 'unsupported option "nope"' },
      { line: 6, reason: 'invalid options' },
      { line: 7, reason: 'invalid line' },
      { line: 8, reason: 'invalid key' },
      { line: 9, reason: 'multiple "namespaces" clauses' },
    ]);
  });

  it('times: YYYYMMDD[HHMM[SS]], Z for UTC', () => {
    expect(parseSshTime('20260301Z')).toBe(Date.parse('2026-03-01T00:00:00Z') / 1000);
    expect(parseSshTime('202603011230Z')).toBe(Date.parse('2026-03-01T12:30:00Z') / 1000);
    expect(parseSshTime('20260301123045Z')).toBe(Date.parse('2026-03-01T12:30:45Z') / 1000);
    expect(parseSshTime('20260301')).toBe(new Date(2026, 2, 1).getTime() / 1000);
    for (const bad of ['2026', '2026030112', 'yesterday', '20260301T1200']) expect(parseSshTime(bad)).toBeUndefined();
  });

  it('pattern lists: wildcards, negation wins', () => {
    expect(matchPatternList('git-session-check', 'git,git-session-*')).toBe(true);
    expect(matchPatternList('git-session-check', '*,!git-session-check')).toBe(false);
    expect(matchPatternList('git', 'g?t')).toBe(true);
    expect(matchPatternList('file', 'git')).toBe(false);
  });
});

const claim: CheckClaim = {
  session: '01m8m0xy5cgr13mqw41prgsnj8', tree: 'a'.repeat(40), base: 'b'.repeat(40), target: 'main', merged: false, name: 'npm test', argv: ['npm', 'test'],
  exitCode: 0, durationMs: 5, workspace: 'in-place', event: '01m8m0xykx9tyb69wq521t9mnp', time: '2026-03-01T12:00:00.000Z', environment: [{ name: 'node', annotations: { version: 'v20.20.0' } }],
};

describe('statement', () => {
  it('round-trips a claim and refuses what is not a test result of ours', () => {
    const bytes = (x: unknown) => Buffer.from(JSON.stringify(x));
    expect(parseStatement(bytes(statementOf(claim)))).toEqual(claim);
    const st = statementOf({ ...claim, exitCode: 2 }) as any;
    expect(st.predicate).toMatchObject({ result: 'FAILED', failedTests: ['npm test'] });
    st.predicate.result = 'PASSED';
    expect(() => parseStatement(bytes(st))).toThrow('the result PASSED contradicts exit code 2');
    expect(() => parseStatement(bytes({ ...statementOf(claim), predicateType: 'https://slsa.dev/provenance/v1' }))).toThrow(/is not a test result/);
    expect(() => parseStatement(Buffer.from('{'))).toThrow('the statement is not JSON');
  });

  it('PAE is DSSE v1: lengths in bytes', () => {
    expect(pae('t', Buffer.from('é')).toString('utf8')).toBe('DSSEv1 1 t 2 é');
  });
});

const T = { own: '1'.repeat(40), merged: '2'.repeat(40), old: '3'.repeat(40) };
const B = { base: 'b'.repeat(40), other: 'c'.repeat(40) };
function verdict(over: Partial<CheckVerdict>): CheckVerdict {
  return { event: 'e', ts: '', name: 'test', tree: T.own, passed: true, exitCode: 0, status: 'valid', signer: 'ada@example.com', base: B.base, merged: false, ...over };
}

describe('landing policy', () => {
  const facts = (quiet: boolean | undefined) => ({ landingTrees: new Set([T.merged]), ownTree: T.own, quietSince: new Map(quiet === undefined ? [] : [[B.base, quiet]]) });

  it('exact tree, or own tree with a quiet target; the latest qualifying check decides', () => {
    expect(evaluatePolicy(['test'], [verdict({ tree: T.merged, event: 'm' })], facts(false)).required[0]).toMatchObject({ satisfied: true, how: 'exact', by: 'm' });
    expect(evaluatePolicy(['test'], [verdict({})], facts(true)).required[0]).toMatchObject({ satisfied: true, how: 'quiet' });
    // A stale verdict (the session moved on) still counts for its own tree: what counts is which tree it was signed on.
    expect(evaluatePolicy(['test'], [verdict({ status: 'stale', tree: T.merged })], facts(false)).ok).toBe(true);
    const flaky = [verdict({ event: '1' }), verdict({ event: '2', passed: false, exitCode: 1 })];
    expect(evaluatePolicy(['test'], flaky, facts(true)).required[0]).toMatchObject({ satisfied: false, reason: expect.stringMatching(/^failed \(exit 1\)/) });
  });

  it('says why not: moved target, unsigned, invalid, never ran, merged tree of another landing', () => {
    const why = (vs: CheckVerdict[], quiet?: boolean) => evaluatePolicy(['test'], vs, facts(quiet)).required[0].reason;
    expect(why([verdict({})], false)).toMatch(/^passed on the session's tree 111111111111, but changes landed since touch its paths/);
    expect(why([verdict({})])).toMatch(/^passed on the session's tree/); // unknown is not quiet
    expect(why([verdict({ status: 'unsigned', signer: undefined })])).toBe('ran unsigned (no SSH signing key configured)');
    expect(why([verdict({ status: 'invalid', reason: 'the signature does not match the signed data' })])).toBe('its attestation is invalid: the signature does not match the signed data');
    expect(why([])).toBe('never ran in this session');
    expect(why([verdict({ merged: true, tree: T.old })], true)).toBe('no signed pass on tree 222222222222');
    expect(evaluatePolicy(['test', 'lint', 'test'], [verdict({ tree: T.merged })], facts(true)).required.map((r) => [r.name, r.satisfied])).toEqual([['test', true], ['lint', false]]);
  });
});
