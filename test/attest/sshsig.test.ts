// The in-process SSHSIG check (node:crypto) against ssh-keygen -Y verify itself, with real
// keys of every type ssh-keygen makes by default: both must accept and refuse the same
// signatures, for the same reasons a user meets (tampering, other key, namespaces, time).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AllowedSigners, findSigner, parseAllowedSigners } from '../../src/core/attest/allowed-signers.js';
import { armor, checkSshSig, dearmor, fingerprint, parseSshSig } from '../../src/core/attest/sshsig.js';
import { sshKeygenVerify } from '../../src/git/ssh-signing.js';
import { allowedSigners, makeKey, sshKeygenAccepts, sshSignText, type TestKey } from '../support/keys.js';

const NS = 'git-session-check';
const NOW = Math.floor(Date.parse('2026-03-01T12:00:00Z') / 1000);

/** Ours: signature good and an allowed signer for the namespace at `time`. */
function oursAccepts(file: AllowedSigners, armored: string, message: Buffer, ns = NS, time = NOW): boolean {
  const sig = parseSshSig(armored);
  if (checkSshSig(sig, message, ns) !== null) return false;
  return findSigner(file, sig.publicKey, ns, time).ok;
}

const KEYS: [string, () => TestKey][] = [
  ['ed25519', () => makeKey('ed25519')],
  ['rsa 3072', () => makeKey('rsa', 3072)],
  ['ecdsa p256', () => makeKey('ecdsa', 256)],
  ['ecdsa p384', () => makeKey('ecdsa', 384)],
  ['ecdsa p521', () => makeKey('ecdsa', 521)],
];

describe('SSHSIG in-process, cross-checked with ssh-keygen -Y verify', () => {
  for (const [label, make] of KEYS) {
    it(`${label}: good, tampered message, tampered signature, other namespace, unknown key`, () => {
      const key = make();
      const other = makeKey();
      const allowed = allowedSigners([`ada@example.com ${key.pub}`]);
      const file = parseAllowedSigners(`ada@example.com ${key.pub}\n`);
      const msg = Buffer.from(`DSSEv1 28 application/vnd.in-toto+json 11 hello ${label}`);
      const armored = sshSignText(key, msg, NS);
      const cases: [string, string, Buffer, string, boolean][] = [
        ['good', armored, msg, NS, true],
        ['tampered message', armored, Buffer.concat([msg, Buffer.from('!')]), NS, false],
        ['other namespace', armored, msg, 'git', false],
        ['signed for git', sshSignText(key, msg, 'git'), msg, NS, false],
        ['unknown key', sshSignText(other, msg, NS), msg, NS, false],
      ];
      // Flip one bit of the signature value itself (the last bytes of the blob).
      const blob = dearmor(armored)!;
      blob[blob.length - 5] ^= 0x01;
      cases.push(['tampered signature', armor(blob), msg, NS, false]);
      for (const [what, sig, m, ns, want] of cases) {
        expect(oursAccepts(file, sig, m, ns), `ours: ${what}`).toBe(want);
        expect(sshKeygenAccepts(allowed, 'ada@example.com', ns, sig, m), `ssh-keygen: ${what}`).toBe(want);
      }
      expect(fingerprint(parseSshSig(armored).publicKey)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    });
  }

  it('namespaces="..." and validity windows as ssh-keygen applies them', () => {
    const key = makeKey();
    const msg = Buffer.from('payload');
    const armored = sshSignText(key, msg, NS);
    const lines: [string, boolean][] = [
      [`ada@example.com namespaces="git" ${key.pub}`, false],
      [`ada@example.com namespaces="git,git-session-*" ${key.pub}`, true],
      [`ada@example.com namespaces="*,!git-session-check" ${key.pub}`, false],
      [`ada@example.com valid-after="20990101" ${key.pub}`, false],
      [`ada@example.com valid-before="20000101Z" ${key.pub}`, false],
      [`ada@example.com valid-after="20200101",valid-before="20990101000000Z" ${key.pub}`, true],
      [`ada@example.com cert-authority ${key.pub}`, false],
      [`ada@example.com unknown-option ${key.pub}`, false],
      [`# a comment\n\n  ada@example.com ${key.pub} trailing comment`, true],
      [`"ada@example.com" ${key.pub}`, true],
    ];
    for (const [text, want] of lines) {
      const allowed = allowedSigners([text]);
      expect(oursAccepts(parseAllowedSigners(text), armored, msg), `ours: ${text}`).toBe(want);
      expect(sshKeygenAccepts(allowed, 'ada@example.com', NS, armored, msg, '20260301120000Z'), `ssh-keygen: ${text}`).toBe(want);
    }
  });

  it('names the signer as git does (find-principals, then verify)', async () => {
    const key = makeKey();
    const msg = Buffer.from('hello');
    const armored = sshSignText(key, msg, NS);
    const text = `bob@example.com ${makeKey().pub}\nada@example.com,ada@corp.example ${key.pub}\n`;
    const file = parseAllowedSigners(text);
    const ours = findSigner(file, parseSshSig(armored).publicKey, NS, NOW);
    expect(ours).toMatchObject({ ok: true, signer: { principals: 'ada@example.com,ada@corp.example', line: 2 } });
    const theirs = await sshKeygenVerify('ssh-keygen', allowedSigners([text.trim()]), armored, msg, NS, NOW);
    // git names the first principal of the line (ssh-keygen prints them one per line); so does verify.
    expect(theirs).toEqual({ ok: true, principals: 'ada@example.com' });
  });

  it('refuses any single-byte change of message or signature, as ssh-keygen does (property)', () => {
    const key = makeKey();
    const msg = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 20 {"result":"PASSED"}');
    const armored = sshSignText(key, msg, NS);
    const blob = dearmor(armored)!;
    const file = parseAllowedSigners(`ada@example.com ${key.pub}`);
    const allowed = allowedSigners([`ada@example.com ${key.pub}`]);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (inSig, at, x) => {
        const m = Buffer.from(msg);
        const b = Buffer.from(blob);
        if (inSig) b[at % b.length] ^= x;
        else m[at % m.length] ^= x;
        let ours: boolean;
        try {
          ours = oursAccepts(file, armor(b), m);
        } catch {
          ours = false; // a byte flip in the key's type name: no key we know
        }
        expect(ours).toBe(false);
        expect(sshKeygenAccepts(allowed, 'ada@example.com', NS, armor(b), m)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});

describe('hostile envelopes', () => {
  it('any mutation of a stored envelope is refused with a reason, never a crash', async () => {
    const { verifyEnvelope, verifyBatch } = await import('../../src/core/attest/verify.js');
    const { envelope, pae, INTOTO_PAYLOAD_TYPE } = await import('../../src/core/attest/dsse.js');
    const { statementOf } = await import('../../src/core/attest/statement.js');
    const key = makeKey();
    const payload = Buffer.from(JSON.stringify(statementOf({
      session: '01m8m0xy5cgr13mqw41prgsnj8', tree: 'a'.repeat(40), base: 'b'.repeat(40), target: 'main', merged: false, name: 't', argv: ['true'],
      exitCode: 0, durationMs: 1, workspace: 'clean', event: '01m8m0xykx9tyb69wq521t9mnp', time: '2026-03-01T12:00:00Z', environment: [],
    })));
    const armored = sshSignText(key, pae(INTOTO_PAYLOAD_TYPE, payload), NS);
    const text = JSON.stringify(envelope(payload, armored, 'k'));
    const batch = verifyBatch(parseAllowedSigners(`ada@example.com ${key.pub}`));
    expect(verifyEnvelope(text, batch)).toMatchObject({ ok: true, signer: 'ada@example.com' });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = Buffer.from(text);
        b[at % b.length] ^= x;
        const r = verifyEnvelope(b.toString('latin1'), batch);
        // A flip inside JSON whitespace or an unused field may leave it valid; anything else is refused with a reason.
        if (!r.ok) expect(typeof r.reason).toBe('string');
      }),
      { numRuns: 500 },
    );
    for (const junk of ['', 'null', '[]', '{"payloadType":1}', '{"payloadType":"x","payload":"","signatures":[]}', JSON.stringify({ ...JSON.parse(text), signatures: [{ sig: Buffer.from('-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----').toString('base64') }] })]) {
      expect(verifyEnvelope(junk, batch).ok).toBe(false);
    }
  });
});
