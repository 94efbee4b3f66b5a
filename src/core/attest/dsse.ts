// DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1): the envelope an
// in-toto statement travels in. What is signed is PAE(payloadType, payload), never the
// JSON around it, so re-serialising the envelope cannot change what a signature covers.
// Our one signature is an SSHSIG (ssh-keygen -Y sign) over those bytes, stored as the
// base64 of its armored text: decoded, it is the file `ssh-keygen -Y verify -s` reads.

/** The payload type of an in-toto statement. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope as stored (JSON). */
export interface Envelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

/** Pre-Authentication Encoding: `DSSEv1 <len> <type> <len> <body>` (lengths in bytes, decimal). */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Builds an envelope around `payload` with one signature (the armored SSHSIG text). */
export function envelope(payload: Buffer, armoredSig: string, keyid: string): Envelope {
  return {
    payloadType: INTOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid, sig: Buffer.from(armoredSig, 'utf8').toString('base64') }],
  };
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses stored envelope text; throws a short reason when it is not one. */
export function parseEnvelope(text: string): { payloadType: string; payload: Buffer; sigs: { keyid?: string; armored: string }[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('the envelope is not JSON');
  }
  const e = v as Partial<Envelope> | null;
  if (!e || typeof e !== 'object' || typeof e.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures)) {
    throw new Error('not a DSSE envelope');
  }
  if (!B64.test(e.payload)) throw new Error('the payload is not base64');
  const sigs = e.signatures.map((s) => {
    if (!s || typeof s.sig !== 'string' || !B64.test(s.sig)) throw new Error('a signature is not base64');
    return { keyid: typeof s.keyid === 'string' ? s.keyid : undefined, armored: Buffer.from(s.sig, 'base64').toString('utf8') };
  });
  if (!sigs.length) throw new Error('the envelope has no signature');
  return { payloadType: e.payloadType, payload: Buffer.from(e.payload, 'base64'), sigs };
}
