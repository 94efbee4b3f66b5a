import { spawn } from 'node:child_process';
import { GsError } from '../core/errors.js';
import { runGit } from './exec.js';

/**
 * Reads many objects in one `git cat-file --batch` process (e.g. `<oid>:session.json`
 * for thousands of sessions): one spawn instead of thousands of in-process inflates.
 * Returns contents in input order, undefined for missing objects.
 */
export function catBatch(cwd: string, specs: string[]): Promise<(string | undefined)[]> {
  return new Promise((resolve, reject) => {
    if (specs.length === 0) return resolve([]);
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => reject(new GsError('git-failed', `cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GsError('git-failed', `git cat-file failed: ${err.trim()}`));
      const buf = Buffer.concat(chunks);
      const out: (string | undefined)[] = [];
      let pos = 0;
      for (let i = 0; i < specs.length; i++) {
        const nl = buf.indexOf(10, pos);
        const header = buf.toString('utf8', pos, nl);
        pos = nl + 1;
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          out.push(undefined);
          continue;
        }
        const size = parseInt(header.slice(header.lastIndexOf(' ') + 1), 10);
        out.push(buf.toString('utf8', pos, pos + size));
        pos += size + 1;
      }
      resolve(out);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(specs.join('\n') + '\n');
  });
}

/** The type of each object that exists among `oids` (one `git cat-file --batch-check`). */
export async function objectTypes(cwd: string, oids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const uniq = [...new Set(oids)];
  if (!uniq.length) return out;
  const r = await runGit(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd, input: uniq.join('\n') + '\n', allowFail: true });
  for (const line of r.stdout.split('\n')) {
    const [oid, type] = line.split(' ');
    if (oid && type && type !== 'missing') out.set(oid, type);
  }
  return out;
}
