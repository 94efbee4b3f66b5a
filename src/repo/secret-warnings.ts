// A tracked file is code the user chose to commit, so snapshots keep it: but when a
// snapshot adds or changes one whose content matches a secret rule, the user is told
// (the work commit may be pushed later), naming the file and the kinds found.
import { redactText } from '../core/redact/index.js';
import { catBatch } from '../git/batch.js';
import { runGit } from '../git/exec.js';

/** Files larger than this are not scanned (a secret in a generated megabyte file is rare; the cost is not). */
const MAX_SCAN_BYTES = 1024 * 1024;

/** A file a snapshot took whose content looks secret. */
export interface SecretFile {
  path: string;
  kinds: string[];
}

/** Files added or modified between two trees whose content holds a secret (per the redaction rules). */
export async function secretFilesBetween(cwd: string, from: string, to: string): Promise<SecretFile[]> {
  const r = await runGit(['diff-tree', '-r', '-z', '--no-renames', '--diff-filter=AM', from, to], { cwd });
  const parts = r.stdout.split('\0');
  const blobs: { path: string; oid: string }[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i].split(' ');
    if (meta.length < 4 || !meta[1].startsWith('100')) continue; // regular files only (no links, no submodules)
    blobs.push({ path: parts[i + 1], oid: meta[3] });
  }
  if (!blobs.length) return [];
  const sizes = await runGit(['cat-file', '--batch-check=%(objectsize)'], { cwd, input: blobs.map((b) => b.oid).join('\n') + '\n' });
  const small = blobs.filter((_, i) => Number(sizes.stdout.split('\n')[i]) <= MAX_SCAN_BYTES);
  const texts = await catBatch(cwd, small.map((b) => b.oid));
  const out: SecretFile[] = [];
  small.forEach((b, i) => {
    const text = texts[i];
    if (text === undefined || text.includes('\0')) return; // binary
    const { kinds } = redactText(text);
    if (kinds.length) out.push({ path: b.path, kinds });
  });
  return out;
}
