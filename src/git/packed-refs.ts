// The one reader of `packed-refs` (git's file of refs packed by `git pack-refs` or gc):
// ref resolution, ref listing and the session-id listing all read it through here. The
// file can be megabytes in a repository with many sessions, so its text is kept per path
// and read again only when its modification time or size changed.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, { mtimeMs: number; size: number; text: string }>();

/** packed-refs of the git dir `gitdir` as text ('' when there is none). */
function packedText(gitdir: string): string {
  const path = join(gitdir, 'packed-refs');
  try {
    const st = statSync(path);
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    const text = readFileSync(path, 'utf8');
    cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
    return text;
  } catch {
    return '';
  }
}

/** The packed value of the full ref name `ref`, or undefined. */
export function packedRef(gitdir: string, ref: string): string | undefined {
  const text = packedText(gitdir);
  const at = text.indexOf(` ${ref}\n`);
  return at >= 40 && (at === 40 || text[at - 41] === '\n') ? text.slice(at - 40, at) : undefined;
}

/**
 * Packed refs whose names start with `prefix`, name → id. Each line is `<id> <name>`
 * (peeled `^<id>` lines follow tags), and ref names hold no spaces, so `' ' + prefix`
 * finds exactly the entries wanted without splitting the whole file into lines.
 */
export function packedRefsUnder(gitdir: string, prefix: string): Map<string, string> {
  const text = packedText(gitdir);
  const out = new Map<string, string>();
  const needle = ` ${prefix}`;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    if (i < 40 || (i > 40 && text[i - 41] !== '\n')) continue;
    const end = text.indexOf('\n', i);
    out.set(text.slice(i + 1, end < 0 ? text.length : end), text.slice(i - 40, i));
  }
  return out;
}
