// No secret is ever stored (issue 10, findings 5-7): secrets of every kind seeded in
// every free-text field of every command, in a check's output tail, and in untracked
// secret files; afterwards neither the object store (`git cat-file --batch-all-objects
// --batch`) nor the local index (every LevelDB entry, and its raw files) holds any of them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTail } from '../../src/repo/check.js';
import { SAMPLES } from '../redact/samples.js';
import { cli, git, makeRepo, writeFile } from '../support/repo.js';
import { Scrub } from '../support/snapshot.js';

const oneLine = SAMPLES.filter((s) => !s.text.includes('\n') && !s.text.startsWith('/'));
/** One seeded text per kind (16+ kinds), rotating through the one-line samples. */
const byKind = [...new Map(oneLine.map((s) => [s.kind, s])).values()];
const pick = (i: number) => byKind[i % byKind.length];

function allObjects(dir: string): string {
  return execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: dir, env: process.env, maxBuffer: 1 << 28 }).toString('latin1');
}

async function indexContents(dir: string): Promise<string> {
  const { Level } = await import('level');
  const path = join(dir, '.git/session/index');
  const db = new Level<string, string>(path, { valueEncoding: 'utf8' });
  let text = '';
  for await (const [k, v] of db.iterator()) text += `${k}\n${v}\n`;
  await db.close();
  for (const f of readdirSync(path)) text += readFileSync(join(path, f)).toString('latin1');
  return text;
}

function missing(haystack: string, secrets: string[]): string[] {
  return secrets.filter((s) => haystack.includes(s));
}

describe('no secret reaches an object or the local index', () => {
  it('every field of every command, a check tail, and untracked secret files', async () => {
    expect(byKind.length + 1).toBeGreaterThanOrEqual(16); // + private keys (multi-line): in the note and files
    const dir = makeRepo();
    await cli(dir, ['init']);
    const used: string[] = [];
    const seed = (i: number) => {
      used.push(pick(i).secret);
      return pick(i).text;
    };
    const started = await cli(dir, ['start', `goal ${seed(0)}`, '--agent', `agent ${seed(1)}`, '--model', seed(2), '--json']);
    expect(started.code, started.stderr).toBe(0);
    const outputs: string[] = [started.stdout, started.stderr];
    const run = async (args: string[]) => {
      const r = await cli(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await run(['record', 'prompt', seed(3)]);
    await run(['record', 'message', '--role', 'tool', '--name', seed(4), seed(5)]);
    const pem = SAMPLES.find((x) => x.kind === 'private-key')!;
    used.push(pem.secret);
    await run(['record', 'note', `${seed(6)}\n${pem.text}`]);
    await run(['record', 'feedback', '--file', `src/${seed(7).replace(/\.\./g, '')}`, '--line', '3', seed(8)]);
    const noColon = oneLine.find((x) => !x.text.includes(':') && x.kind === 'openai-key')!;
    used.push(noColon.secret);
    await run(['decide', seed(9), '--because', seed(10), '--rejected', `${noColon.text}: ${seed(12)}`]);
    // Untracked secret files: left out of the snapshot and named once.
    const envText = SAMPLES.map((s) => s.text.replace(/\n/g, ' ')).join('\n');
    writeFile(dir, '.env', envText);
    writeFile(dir, 'config/.env.production', envText);
    writeFile(dir, 'id_ed25519', SAMPLES.find((s) => s.kind === 'private-key')!.text);
    writeFile(dir, 'certs/server.pem', SAMPLES.find((s) => s.kind === 'private-key')!.text);
    writeFile(dir, 'credentials-prod.json', JSON.stringify({ token: pick(13).text }));
    writeFile(dir, '.npmrc', `${SAMPLES.find((s) => s.kind === 'npm-token')!.text}\n`);
    writeFile(dir, '.env.example', 'API_KEY=\n');
    writeFile(dir, 'pkg/.npmrc', 'save-exact=true\n');
    writeFile(dir, 'app.txt', 'code\n');
    const snap = await run(['snapshot', '-m', `message ${seed(13)}`, '--json']);
    expect(snap.json().skipped.sort()).toEqual(['.env', '.npmrc', 'certs/server.pem', 'config/.env.production', 'credentials-prod.json', 'id_ed25519']);
    const files = snap.json().files.map((f: { path: string }) => f.path).sort();
    expect(files).toEqual(['.env.example', 'app.txt', 'pkg/.npmrc']);
    const human = await run(['snapshot', '-m', 'again']);
    expect(human.stderr).toBe(''); // unchanged tree: nothing said again
    writeFile(dir, 'app.txt', 'code 2\n');
    expect((await run(['snapshot'])).stderr.match(/left out of the snapshot/g)).toHaveLength(1);
    // A token straddling check's 4096-byte tail is redacted before the cut.
    const straddle = pick(14).secret;
    used.push(straddle);
    const tailLen = 30;
    const script = `printf '%s\\n' '${pick(14).text.replace(/'/g, '')}'; head -c ${4095 - tailLen} /dev/zero | tr '\\0' x`;
    expect(pick(14).text.indexOf(straddle) + straddle.length).toBe(pick(14).text.replace(/'/g, '').indexOf(straddle) + straddle.length);
    const check = await cli(dir, ['check', '--json', '--', script]);
    expect(check.code, check.stderr).toBe(0);
    const out = check.json().event.output as string;
    expect(out.includes(straddle.slice(-tailLen))).toBe(false);
    expect(out.length).toBeLessThanOrEqual(4096);
    // The command's own output streams to the user as it is (not stored); the record is redacted.
    const echoed = await cli(dir, ['check', '--json', '--', 'sh', '-c', `echo ${JSON.stringify(seed(15))} >&2`]);
    expect(echoed.code).toBe(0);
    outputs.push(echoed.stdout);

    const visible = outputs.join('\n');
    for (const [i, o] of outputs.entries()) expect(missing(o, used), `output ${i}: ${o}`).toEqual([]);
    const objects = allObjects(dir);
    expect(missing(objects, used)).toEqual([]);
    expect(missing(objects, SAMPLES.map((s) => s.secret))).toEqual([]);
    expect(missing(await indexContents(dir), used)).toEqual([]);
    // The secret files are still on disk, untouched.
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(envText);
  });

  it('session.snapshotExclude adds names and takes defaults back in; a tracked secret-looking file is kept with a warning', async () => {
    const dir = makeRepo();
    git(dir, 'config', '--add', 'session.snapshotExclude', '*.secret');
    git(dir, 'config', '--add', 'session.snapshotExclude', '!fixtures/*.pem');
    writeFile(dir, '.env', 'TRACKED=1\n');
    git(dir, 'add', '.env');
    git(dir, 'commit', '-q', '-m', 'tracked env');
    await cli(dir, ['init']);
    await cli(dir, ['start', 'excludes']);
    writeFile(dir, 'a.secret', 'x\n');
    writeFile(dir, 'fixtures/test.pem', 'not a key\n');
    writeFile(dir, 'other.pem', 'not a key either\n');
    writeFile(dir, '.env', `TRACKED=2\n${SAMPLES[0].text}\n`);
    const r = await cli(dir, ['snapshot', '--json']);
    expect(r.json().skipped.sort()).toEqual(['a.secret', 'other.pem']);
    expect(r.json().files.map((f: { path: string }) => f.path).sort()).toEqual(['.env', 'fixtures/test.pem']);
    expect(r.json().secretFiles).toEqual([{ path: '.env', kinds: ['aws-access-key'] }]);
    writeFile(dir, '.env', `TRACKED=3\n${SAMPLES[0].text}\n`);
    expect(new Scrub({ repo: dir }).run(await cli(dir, ['snapshot']))).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "git-session: left out of the snapshot (untracked, likely secrets; see session.snapshotExclude): a.secret, other.pem
      git-session: warning: .env looks like it holds a secret (aws-access-key); the snapshot took it (list it in .gitignore or session.snapshotExclude to leave it out)
      ",
        "stdout": "snapshot <oid1:12>: 2 files changed since base
      ",
      }
    `);
  });

  it('checkTail never keeps a piece of a token cut at the boundary, and never starts inside a marker', () => {
    const ending = SAMPLES.filter((x) => x.secret.length >= 20 && x.text.endsWith(x.secret));
    expect(ending.length).toBeGreaterThan(10);
    for (const s of ending) {
      for (const keep of [5, 12, 19]) {
        const t = checkTail(Buffer.from(`${s.text}\n${'y'.repeat(4095 - keep)}`)).text;
        expect(Buffer.byteLength(t)).toBeLessThanOrEqual(4096);
        expect(t.includes(s.secret.slice(-keep)), `${s.kind} keep ${keep}`).toBe(false);
        expect(/^[A-Za-z0-9:_-]*\]/.test(t)).toBe(false);
      }
    }
  });
});

describe('decide echoes what was stored', () => {
  it('prints the redacted chosen and rejected options', async () => {
    const dir = makeRepo();
    await cli(dir, ['start', 'echo']);
    const key = SAMPLES[0];
    const r = await cli(dir, ['decide', `use ${key.text}`, '--because', 'x', '--rejected', `other ${key.secret}: no`]);
    expect(r.stdout).not.toContain(key.secret);
    expect(new Scrub({ repo: dir }).run(r)).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "recorded decision <id1>: use aws configure set aws_access_key_id [REDACTED:aws-access-key] (over other [REDACTED:aws-access-key]) (redacted: aws-access-key)
      ",
      }
    `);
  });
});
