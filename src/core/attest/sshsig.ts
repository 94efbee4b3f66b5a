// SSHSIG (OpenSSH's PROTOCOL.sshsig) read and checked in-process with node:crypto, so
// verifying a thousand attestations costs a thousand signature checks, not a thousand
// `ssh-keygen -Y verify` processes. Covers the key types `ssh-keygen` makes by default
// (ed25519, RSA with rsa-sha2-256/512, ECDSA P-256/384/521); anything else (security-key
// and certificate signatures) is reported as unsupported so the caller can hand it to
// ssh-keygen. Cross-checked against `ssh-keygen -Y verify` in test/attest.
import { createHash, createPublicKey, type KeyObject, verify as cryptoVerify } from 'node:crypto';

/** The namespace our signatures use (never `git`: a commit signature must not pass as a check). */
export const CHECK_NAMESPACE = 'git-session-check';

const MAGIC = Buffer.from('SSHSIG');
const ARMOR_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const ARMOR_END = '-----END SSH SIGNATURE-----';

/** Reads SSH wire-format fields (RFC 4251 strings and integers) from a buffer. */
export class SshReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  /** A uint32. */
  u32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  /** A length-prefixed byte string. */
  bytes(): Buffer {
    const n = this.u32();
    if (this.pos + n > this.buf.length) throw new Error('truncated');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** A length-prefixed string, as text. */
  text(): string {
    return this.bytes().toString('latin1');
  }
  /** Raw bytes of a fixed length. */
  raw(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('truncated');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** True when every byte was read. */
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

/** An SSH string field: uint32 length then the bytes. */
export function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** A parsed SSHSIG signature. */
export interface SshSig {
  /** The signer's public key blob (SSH wire format). */
  publicKey: Buffer;
  namespace: string;
  hashAlgorithm: string;
  /** The signature blob: string format, string signature bytes. */
  signature: Buffer;
}

/** Unwraps an armored signature to its binary blob (undefined when it is not one). */
export function dearmor(armored: string): Buffer | undefined {
  const t = armored.trim();
  if (!t.startsWith(ARMOR_BEGIN) || !t.endsWith(ARMOR_END)) return undefined;
  const body = t.slice(ARMOR_BEGIN.length, t.length - ARMOR_END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return Buffer.from(body, 'base64');
}

/** The armored form of a binary SSHSIG blob, as ssh-keygen writes it (70 columns). */
export function armor(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const lines = [ARMOR_BEGIN];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  lines.push(ARMOR_END);
  return lines.join('\n') + '\n';
}

/** Parses an armored SSHSIG; throws with a short reason when it is malformed. */
export function parseSshSig(armored: string): SshSig {
  const blob = dearmor(armored);
  if (!blob) throw new Error('not an armored SSH signature');
  const r = new SshReader(blob);
  if (!r.raw(6).equals(MAGIC)) throw new Error('not an SSHSIG signature');
  const version = r.u32();
  if (version !== 1) throw new Error(`SSHSIG version ${version} is not supported`);
  const publicKey = r.bytes();
  const namespace = r.text();
  r.bytes(); // reserved
  const hashAlgorithm = r.text();
  const signature = r.bytes();
  if (!r.done) throw new Error('trailing data after the signature');
  return { publicKey, namespace, hashAlgorithm, signature };
}

/** The key type named at the start of a public key blob (e.g. `ssh-ed25519`). */
export function keyType(publicKey: Buffer): string {
  try {
    return new SshReader(publicKey).text();
  } catch {
    return '';
  }
}

/** `SHA256:<base64>` as `ssh-keygen -l` prints it. */
export function fingerprint(publicKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKey).digest('base64').replace(/=+$/, '')}`;
}

const b64url = (b: Buffer) => b.toString('base64url');
/** An SSH mpint's magnitude without the sign byte(s). */
const unsigned = (b: Buffer) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: 'P-256', size: 32, hash: 'sha256' },
  nistp384: { crv: 'P-384', size: 48, hash: 'sha384' },
  nistp521: { crv: 'P-521', size: 66, hash: 'sha512' },
};

/** What node:crypto needs to check one key's signatures. */
interface Verifier {
  key: KeyObject;
  /** Signature formats this key may produce, with the digest each uses (null: the key's own, ed25519). */
  formats: Record<string, string | null>;
  /** ECDSA signatures need r and s re-encoded for node. */
  ecSize?: number;
}

/** Thrown for key types this module does not check in-process. */
export class UnsupportedKey extends Error {}

function verifierOf(publicKey: Buffer): Verifier {
  const r = new SshReader(publicKey);
  const type = r.text();
  if (type === 'ssh-ed25519') {
    const pk = r.bytes();
    if (pk.length !== 32 || !r.done) throw new Error('malformed ed25519 key');
    return { key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pk) }, format: 'jwk' }), formats: { 'ssh-ed25519': null } };
  }
  if (type === 'ssh-rsa') {
    const e = unsigned(r.bytes());
    const n = unsigned(r.bytes());
    if (!r.done) throw new Error('malformed RSA key');
    // ssh-keygen refuses RSA keys under 1024 bits (SSH_RSA_MINIMUM_MODULUS_SIZE).
    if (n.length * 8 < 1024) throw new Error('RSA key too small');
    // `ssh-rsa` (SHA-1) signatures are refused for SSHSIG, as ssh-keygen does.
    return { key: createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' }), formats: { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' } };
  }
  const ec = /^ecdsa-sha2-(nistp\d+)$/.exec(type);
  if (ec && CURVES[ec[1]]) {
    const curve = CURVES[ec[1]];
    if (r.text() !== ec[1]) throw new Error('malformed ECDSA key');
    const q = r.bytes();
    if (q[0] !== 4 || q.length !== 1 + 2 * curve.size || !r.done) throw new Error('malformed ECDSA key');
    const key = createPublicKey({
      key: { kty: 'EC', crv: curve.crv, x: b64url(q.subarray(1, 1 + curve.size)), y: b64url(q.subarray(1 + curve.size)) },
      format: 'jwk',
    });
    return { key, formats: { [type]: curve.hash }, ecSize: curve.size };
  }
  throw new UnsupportedKey(`key type ${type.slice(0, 60) || "(none)"} is not checked in-process`);
}

/** The bytes an SSHSIG signature actually covers. */
export function signedData(namespace: string, hashAlgorithm: string, message: Buffer): Buffer {
  const h = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hashAlgorithm), sshString(h)]);
}

/**
 * Checks one SSHSIG over `message` for `namespace`. Returns null when the signature is
 * good, else the reason it is not. Throws UnsupportedKey for key types left to ssh-keygen.
 * `cache` keeps parsed keys across a batch (one key usually signs many attestations).
 */
export function checkSshSig(sig: SshSig, message: Buffer, namespace: string, cache?: Map<string, Verifier>): string | null {
  if (sig.namespace !== namespace) return `signed for namespace "${sig.namespace.slice(0, 80)}", not "${namespace}"`;
  if (sig.hashAlgorithm !== 'sha256' && sig.hashAlgorithm !== 'sha512') return `hash algorithm ${sig.hashAlgorithm.slice(0, 40)} is not allowed`;
  const id = sig.publicKey.toString('base64');
  let v = cache?.get(id);
  if (!v) {
    try {
      v = verifierOf(sig.publicKey);
    } catch (e) {
      if (e instanceof UnsupportedKey) throw e;
      return `bad public key: ${(e as Error).message}`;
    }
    cache?.set(id, v);
  }
  let format: string;
  let raw: Buffer;
  try {
    const r = new SshReader(sig.signature);
    format = r.text();
    raw = r.bytes();
    if (!r.done) return 'malformed signature';
  } catch {
    return 'malformed signature';
  }
  if (!Object.prototype.hasOwnProperty.call(v.formats, format)) return `signature format ${format.slice(0, 60)} does not fit the key`;
  if (v.ecSize) {
    try {
      const rs = new SshReader(raw);
      const pad = (b: Buffer) => {
        const u = unsigned(b);
        if (u.length > v!.ecSize!) throw new Error('bad');
        return Buffer.concat([Buffer.alloc(v!.ecSize! - u.length), u]);
      };
      raw = Buffer.concat([pad(rs.bytes()), pad(rs.bytes())]);
      if (!rs.done) return 'malformed signature';
    } catch {
      return 'malformed signature';
    }
  }
  const data = signedData(sig.namespace, sig.hashAlgorithm, message);
  let ok: boolean;
  try {
    ok = cryptoVerify(v.formats[format], data, v.ecSize ? { key: v.key, dsaEncoding: 'ieee-p1363' } : v.key, raw);
  } catch {
    return 'malformed signature';
  }
  return ok ? null : 'the signature does not match the signed data';
}

/** A cache of parsed keys for checkSshSig (one per batch). */
export function keyCache(): Map<string, Verifier> {
  return new Map();
}
