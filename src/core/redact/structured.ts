// Secrets with structure around them rather than a prefix: passwords in URLs of every
// scheme, webhook URLs, JWTs (signed or not), bearer tokens, Azure AD client secrets
// (`...8Q~...`), Terraform Cloud tokens (`.atlasv1.`), Telegram bot tokens. Each check
// is a sticky regex tried only at the one position the scanner points at, with bounded
// quantifiers or a class that excludes the character that follows it, so no check can
// backtrack further than the next delimiter.
import { padEnd, TOKEN } from './classes.js';
import { isPlaceholder } from './placeholder.js';
import type { Span } from './span.js';

// `scheme://user:password@host`, the user possibly empty (`redis://:pw@host`). The
// password may hold `@` and `:`; the last `@` before the host wins.
const URL_USERINFO = /([^\s:@/?#"'`<>]{0,256}):([^\s/?#"'`<>]{1,512})@(?=[^\s@/?#"'`<>])/dy;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/y;
const SLACK_HOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/+-]{8,})/dy;
const DISCORD_HOOK = /discord(?:app)?\.com\/api\/webhooks\/([0-9]{5,30}\/[A-Za-z0-9_-]{20,})/dy;
const BEARER_BEFORE = /[Bb]earer[ \t]+$/;
// The secret may end a sentence: a final `.` is punctuation, not part of it.
const AZURE = /[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}(?![a-zA-Z0-9_~-]|\.[a-zA-Z0-9_~.-])/y;
const ATLAS = /[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/y;
const TELEGRAM = /[0-9]{5,16}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/y;

function sticky(re: RegExp, text: string, at: number, group: number, kind: string, out: Span[]): boolean {
  re.lastIndex = at;
  const m = re.exec(text);
  if (!m) return false;
  if (group && isPlaceholder(m[group])) return false;
  const [s, e] = group ? m.indices![group] : [m.index, m.index + m[0].length];
  out.push({ start: s, end: e, kind });
  return true;
}

/** The password in `scheme://user:password@host` when `start` is at the `//`. */
export function urlPasswordAt(text: string, start: number, out: Span[]): void {
  URL_USERINFO.lastIndex = start + 2;
  const m = URL_USERINFO.exec(text);
  if (!m) return;
  // GitHub's `TOKEN:x-oauth-basic@` form hides the user instead.
  const g = m[2] === 'x-oauth-basic' ? 1 : 2;
  if (isPlaceholder(m[g]) || (g === 2 && /^\[REDACTED:|^\*+$/.test(m[2]))) return;
  const [s, e] = m.indices![g];
  out.push({ start: s, end: e, kind: 'url-password' });
}

/**
 * Structured secrets that begin at or just before the run text[start, end): URL
 * passwords, webhooks, JWTs, bearer tokens, Azure client secrets, Terraform and
 * Telegram tokens.
 */
export function structuredAt(text: string, start: number, end: number, out: Span[]): void {
  const prev = start > 0 ? text.charCodeAt(start - 1) : 0;
  const c0 = text.charCodeAt(start);
  const next = text.charCodeAt(end);
  if (c0 === 47 && prev === 58 && text.charCodeAt(start + 1) === 47) return urlPasswordAt(text, start, out);
  if (prev === 46 && c0 === 99 && text.startsWith('com/', start)) {
    // '.com/...': webhook URLs put the secret in the path.
    if (start >= 12 && text.startsWith('hooks.slack.', start - 12)) return void sticky(SLACK_HOOK, text, start - 12, 1, 'slack-webhook', out);
    if (start >= 8 && text.startsWith('discord.', start - 8)) return void sticky(DISCORD_HOOK, text, start - 8, 1, 'discord-webhook', out);
    if (start >= 11 && text.startsWith('discordapp.', start - 11)) return void sticky(DISCORD_HOOK, text, start - 11, 1, 'discord-webhook', out);
  }
  if (c0 === 101 && text.startsWith('eyJ', start) && next === 46) {
    sticky(JWT, text, start, 0, 'jwt', out);
    return;
  }
  if (next === 126 && text.charCodeAt(end - 1) === 81 && end - start >= 2) {
    // `...8Q~...`: the run ends at the `~` of an Azure AD client secret.
    const from = Math.max(0, end - 5);
    if (sticky(AZURE, text, from, 0, 'azure-client-secret', out)) return;
  }
  if (next === 46 && end - start === 14 && text.startsWith('.atlasv1.', end)) {
    sticky(ATLAS, text, start, 0, 'terraform-token', out);
    return;
  }
  if (next === 58 && text.charCodeAt(end + 1) === 65 && text.charCodeAt(end + 2) === 65) {
    sticky(TELEGRAM, text, start, 0, 'telegram-token', out);
    return;
  }
  if ((prev === 32 || prev === 9) && end - start >= 16) {
    // 'Bearer <token>': the token is the run itself (plus '.', '~' and padding).
    let k = start - 1;
    while (k > 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
    if (text.charCodeAt(k) === 114 && BEARER_BEFORE.test(text.slice(Math.max(0, k - 5), start))) {
      out.push({ start, end: b64tokenEnd(text, end), kind: 'bearer-token' });
    }
  }
}

// RFC 6750 b64token: a bearer token may also hold '.', '~' (JWT-like and opaque tokens).
function b64tokenEnd(text: string, end: number): number {
  let e = end;
  for (let c = text.charCodeAt(e); e < text.length && (TOKEN[c] !== 0 || c === 46 || c === 126); c = text.charCodeAt(++e));
  return padEnd(text, e);
}

// `curl -u user:password`, `--user "user:password"`; `-u token:` (the user is the secret).
const CURL_STOP = new Uint8Array(128);
for (const ch of ' \t\r\n"\'') CURL_STOP[ch.charCodeAt(0)] = 1;

/** The credential after curl's `-u`/`--user` flag whose run ends at `end`; whether found. */
export function curlUserAt(text: string, end: number, out: Span[]): boolean {
  let j = end;
  if (text.charCodeAt(j) === 61) j++;
  else while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  const q = text.charCodeAt(j);
  if (j === end && q !== 34 && q !== 39) return false;
  // The credential: quoted, or up to the next space or quote (at most 256 characters).
  const at = q === 34 || q === 39 ? j + 1 : j;
  const limit = Math.min(text.length, at + 256);
  let k = at;
  let colon = -1;
  for (; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (at > j ? c === q || c === 10 : c < 128 && CURL_STOP[c] === 1) break;
    if (c === 58 && colon < 0) colon = k;
  }
  if (colon < 0 || (k === limit && limit < text.length)) return false;
  const pass = text.slice(colon + 1, k);
  if (pass === '') {
    const user = text.slice(at, colon);
    if (user.length < 8 || isPlaceholder(user)) return false;
    out.push({ start: at, end: colon, kind: 'basic-auth' });
    return true;
  }
  if (isPlaceholder(pass) || pass.charCodeAt(0) === 36 || pass.charCodeAt(0) === 91 || text.charCodeAt(at) === 60) return false;
  out.push({ start: colon + 1, end: k, kind: 'basic-auth' });
  return true;
}

/** The password glued to mysql's `-p` flag (`mysql -uroot -pS3cret db`); whether found. */
export function mysqlPasswordAt(text: string, start: number, end: number, out: Span[]): boolean {
  const q = text.charCodeAt(start + 2);
  if (q === 34 || q === 39) {
    // -p"password with spaces"
    const limit = Math.min(text.length, start + 259);
    let k = start + 3;
    while (k < limit && text.charCodeAt(k) !== q && text.charCodeAt(k) !== 10) k++;
    if (k === limit || text.charCodeAt(k) !== q || k === start + 3 || isPlaceholder(text.slice(start + 3, k))) return false;
    out.push({ start: start + 3, end: k, kind: 'secret-assignment' });
    return true;
  }
  let e = end;
  // The run alphabet stops at punctuation a password may hold: take up to the next space.
  while (e < text.length && e - start < 256) {
    const c = text.charCodeAt(e);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 59) break;
    e++;
  }
  const pass = text.slice(start + 2, e);
  if (pass.length < 1 || isPlaceholder(pass) && pass.length > 2) return false;
  out.push({ start: start + 2, end: e, kind: 'secret-assignment' });
  return true;
}
