// Kubernetes Secret manifests: every value under `data:` / `stringData:` is a secret
// (base64 or plain) whatever its key is called (`.dockerconfigjson`, `tls.key`, `url`).
// The block is read once, line by line, and the scanner is told where it ends so a
// hostile text of nested `data:` lines is still read once.
import { matchPositions, nearAny } from './classes.js';
import { isPlaceholder } from './placeholder.js';
import type { Span } from './span.js';

const KIND_SECRET = /\bkind["']?:[ \t]*["']?Secret\b/g;
const NEAR = 2000;
const LINE = /([ \t]*)(?:-[ \t]+)?["']?[\w.-]+["']?:[ \t]*(.*)/y;

/** Finds Secret `data:` blocks in one text; create one per scan. */
export class K8sSecrets {
  private kinds: number[] | null = null;
  /** End of the last block read: the scanner does not start another before it. */
  until = -1;
  constructor(private readonly text: string) {}

  private nearKindSecret(i: number): boolean {
    this.kinds ??= matchPositions(KIND_SECRET, this.text); // found once, when first asked
    return nearAny(this.kinds, i, NEAR);
  }

  /** At a `data`/`stringData` run text[s, e): redacts the block's values; true when it was one. */
  blockAt(s: number, e: number, out: Span[]): boolean {
    const text = this.text;
    if (s < this.until || text.charCodeAt(e) !== 58) return false;
    let j = e + 1;
    while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
    if (text.charCodeAt(j) === 13) j++;
    if (text.charCodeAt(j) !== 10) return false;
    // The key must start its line (after indentation).
    let k = s;
    while (k > 0 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
    if (k > 0 && text.charCodeAt(k - 1) !== 10) return false;
    if (!this.nearKindSecret(s)) return false;
    const indent = s - k;
    let line = j + 1;
    let found = false;
    while (line < text.length) {
      let nl = text.indexOf('\n', line);
      if (nl < 0) nl = text.length;
      LINE.lastIndex = line;
      const m = LINE.exec(text);
      const blank = text.slice(line, nl).trim() === '';
      if (!blank) {
        if (!m || m.index !== line || m[1].length <= indent) break;
        let v = m[2].replace(/\r$/, '').trimEnd();
        let at = LINE.lastIndex - m[2].length;
        if (/^["'].*["']$/.test(v)) {
          v = v.slice(1, -1);
          at++;
        }
        if (v && v !== '|' && v !== '>' && !isPlaceholder(v)) {
          out.push({ start: at, end: at + v.length, kind: 'kubernetes-secret' });
          found = true;
        }
      }
      line = nl + 1;
    }
    this.until = Math.min(line, text.length);
    return found;
  }
}
