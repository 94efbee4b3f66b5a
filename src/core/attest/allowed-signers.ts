// git's `gpg.ssh.allowedSignersFile`, read as ssh-keygen(1) "ALLOWED SIGNERS" describes
// and as OpenSSH's sshsig.c applies it: `principals [options] keytype base64-key [comment]`
// per line; options `cert-authority`, `namespaces="pattern-list"`, `valid-after=` and
// `valid-before=` (YYYYMMDD[HHMM[SS]], `Z` for UTC, else local time). A line ssh-keygen
// could not parse is skipped, as ssh-keygen skips it; the first line whose key, namespace
// and validity window all fit names the signer.

/** One usable line of an allowed signers file. */
export interface AllowedSigner {
  /** The principals field as written (a comma-separated pattern list), e.g. `ada@example.com`. */
  principals: string;
  /** The public key blob (SSH wire format). */
  key: Buffer;
  /** The line trusts certificates signed by this key rather than the key itself. */
  certAuthority: boolean;
  /** Namespaces the key may sign for (a pattern list); undefined: any. */
  namespaces?: string;
  /** Seconds since the epoch. */
  validAfter?: number;
  validBefore?: number;
  line: number;
}

/** A parsed file: its usable lines, and the lines skipped with why. */
export interface AllowedSigners {
  signers: AllowedSigner[];
  skipped: { line: number; reason: string }[];
}

const KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com|[a-z0-9-]+-cert-v01@openssh\.com)$/;

/** Splits off the next whitespace-delimited word, honouring double quotes (ssh's strdelimw). */
function nextWord(s: string): { word: string; rest: string } | undefined {
  const t = s.replace(/^[ \t]+/, '');
  if (!t) return undefined;
  if (t[0] === '"') {
    const end = t.indexOf('"', 1);
    if (end < 0) return undefined;
    return { word: t.slice(1, end), rest: t.slice(end + 1) };
  }
  const m = /^[^ \t]+/.exec(t)!;
  return { word: m[0], rest: t.slice(m[0].length) };
}

/** The options field: up to the first blank outside double quotes. */
function splitOptions(s: string): { opts: string; rest: string } | undefined {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted && s[i + 1] === '"') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) return { opts: s.slice(0, i), rest: s.slice(i) };
  }
  return quoted ? undefined : { opts: s, rest: '' };
}

/** Seconds since the epoch of YYYYMMDD[HHMM[SS]][Z] (ssh's parse_absolute_time), or undefined. */
export function parseSshTime(s: string): number | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)(?:(\d\d)(\d\d)(\d\d)?)?(Z?)$/i.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', z] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)] as const;
  const ms = z ? Date.UTC(...parts) : new Date(...parts).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** Parses the comma-separated options of one line; throws the reason it is not valid. */
function parseOptions(opts: string): Pick<AllowedSigner, 'certAuthority' | 'namespaces' | 'validAfter' | 'validBefore'> {
  const out: ReturnType<typeof parseOptions> = { certAuthority: false };
  let rest = opts;
  const quoted = (name: string): string => {
    if (rest[0] !== '"') throw new Error(`${name}: value is not quoted`);
    let v = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\' && rest[i + 1] === '"') i++;
      v += rest[i];
    }
    if (i >= rest.length) throw new Error(`${name}: missing closing quote`);
    rest = rest.slice(i + 1);
    return v;
  };
  while (rest) {
    const name = /^[A-Za-z-]+/.exec(rest)?.[0] ?? '';
    const lower = name.toLowerCase();
    if (lower === 'cert-authority' && (rest.length === name.length || rest[name.length] === ',')) {
      out.certAuthority = true;
      rest = rest.slice(name.length);
    } else if (rest[name.length] === '=' && ['namespaces', 'valid-after', 'valid-before'].includes(lower)) {
      rest = rest.slice(name.length + 1);
      const v = quoted(lower);
      if (lower === 'namespaces') {
        if (out.namespaces !== undefined) throw new Error('multiple "namespaces" clauses');
        out.namespaces = v;
      } else {
        const t = parseSshTime(v);
        if (t === undefined) throw new Error(`${lower}: invalid time "${v}"`);
        if (lower === 'valid-after') out.validAfter = t;
        else out.validBefore = t;
      }
    } else throw new Error(`unsupported option "${name || rest}"`);
    if (!rest) break;
    if (rest[0] !== ',') throw new Error('unknown key option');
    rest = rest.slice(1);
    if (!rest) throw new Error('unexpected end of options');
  }
  if (out.validAfter !== undefined && out.validBefore !== undefined && out.validBefore < out.validAfter) {
    throw new Error('valid-before is earlier than valid-after');
  }
  return out;
}

/** Parses an allowed signers file's text. */
export function parseAllowedSigners(text: string): AllowedSigners {
  const res: AllowedSigners = { signers: [], skipped: [] };
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (!s || s.startsWith('#')) return;
    try {
      const p = nextWord(s);
      if (!p || !p.rest.trim()) throw new Error('invalid line');
      let rest = p.rest.replace(/^[ \t]+/, '');
      let opts = '';
      if (!KEY_TYPE.test(nextWord(rest)?.word ?? '')) {
        const o = splitOptions(rest);
        if (!o) throw new Error('invalid options');
        opts = o.opts;
        rest = o.rest;
      }
      const type = nextWord(rest);
      if (!type || !KEY_TYPE.test(type.word)) throw new Error('missing key');
      const b64 = nextWord(type.rest);
      if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64.word)) throw new Error('invalid key');
      const key = Buffer.from(b64.word, 'base64');
      const inner = key.length >= 4 ? key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1') : '';
      if (inner !== type.word) throw new Error('invalid key');
      res.signers.push({ principals: p.word, key, ...parseOptions(opts), line });
    } catch (e) {
      res.skipped.push({ line, reason: (e as Error).message });
    }
  });
  return res;
}

/** ssh's match_pattern: `*` and `?` wildcards, whole string. */
function matchPattern(s: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(s);
}

/** ssh's match_pattern_list: true when a pattern matches and no negated (`!`) one does. */
export function matchPatternList(s: string, list: string): boolean {
  let got = false;
  for (const p of list.split(',')) {
    if (p.startsWith('!')) {
      if (matchPattern(s, p.slice(1))) return false;
    } else if (matchPattern(s, p)) got = true;
  }
  return got;
}

/** Why a key is not allowed to sign for `namespace` at `time` (seconds), or the line that allows it. */
export type SignerMatch = { ok: true; signer: AllowedSigner } | { ok: false; reason: string };

/**
 * The allowed signer for a signature made by `key` for `namespace`, judged at `time`
 * (seconds since the epoch): the first line with that exact key (certificate-authority
 * lines trust certificates, which are left to ssh-keygen) whose namespaces and validity
 * window fit. Otherwise the most telling reason none does.
 */
export function findSigner(file: AllowedSigners, key: Buffer, namespace: string, time: number): SignerMatch {
  let reason = 'the key is not in the allowed signers file';
  for (const s of file.signers) {
    if (s.certAuthority || !s.key.equals(key)) continue;
    if (s.namespaces !== undefined && !matchPatternList(namespace, s.namespaces)) {
      reason = `the key (${s.principals}) is allowed only for namespaces "${s.namespaces}"`;
      continue;
    }
    if (s.validAfter !== undefined && time < s.validAfter) {
      reason = `the key (${s.principals}) is not valid yet at the check's time`;
      continue;
    }
    if (s.validBefore !== undefined && time > s.validBefore) {
      reason = `the key (${s.principals}) had expired at the check's time`;
      continue;
    }
    return { ok: true, signer: s };
  }
  return { ok: false, reason };
}
