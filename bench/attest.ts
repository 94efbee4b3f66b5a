// Verifying signed checks: 1,000 attestations of one session checked in one batch (one
// `git cat-file --batch` for the envelopes, one `--batch-check` for the trees, SSHSIG in
// process with node:crypto) against what verifying them with ssh-keygen costs: one
// `ssh-keygen -Y verify` process per attestation (git's own way; git also spawns
// `-Y find-principals` first, so the baseline is generous). Both measured in this run.
// The fixture signs all 1,000 statements with ONE `ssh-keygen -Y sign` call (it takes many
// files), so building it is quick.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllowedSigners } from '../src/core/attest/allowed-signers.js';
import { envelope, INTOTO_PAYLOAD_TYPE, pae } from '../src/core/attest/dsse.js';
import { CHECK_NAMESPACE, fingerprint, parseSshSig } from '../src/core/attest/sshsig.js';
import { statementOf } from '../src/core/attest/statement.js';
import { judgeChecks, verifyBatch } from '../src/core/attest/verify.js';
import type { EventOf, SessionEvent } from '../src/core/types.js';
import { Repo } from '../src/repo/repo.js';
import { startSession } from '../src/repo/sessions.js';
import { verifySession } from '../src/repo/verify.js';
import { median, report, timeMedian } from './harness.js';
import { BENCH_ENV, scratchRepo } from './sessions.js';

const BIN = join(resolve(fileURLToPath(import.meta.url), '../..'), 'bin', 'git-session');
const N = 1000;

/** Runs the attestation benchmarks. */
export async function run(): Promise<void> {
  const dir = scratchRepo();
  const tmp = mkdtempSync(join(tmpdir(), 'gs-bench-keys-'));
  const key = join(tmp, 'key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', key]);
  const pub = readFileSync(`${key}.pub`, 'utf8').split(/\s+/).slice(0, 2).join(' ');
  const allowed = join(tmp, 'allowed_signers');
  writeFileSync(allowed, `ada@example.com ${pub}\n`);
  for (const [k, v] of [['gpg.format', 'ssh'], ['user.signingKey', key], ['gpg.ssh.allowedSignersFile', allowed]]) execFileSync('git', ['config', k, v], { cwd: dir });

  let now = Date.parse('2026-03-01T12:00:00Z');
  const repo = Repo.open({ cwd: dir, clock: () => (now += 1), env: BENCH_ENV });
  const { summary } = await startSession(repo, { goal: 'a thousand signed checks' });
  const id = summary.id;
  const tree = execFileSync('git', ['rev-parse', 'HEAD^{tree}'], { cwd: dir, encoding: 'utf8' }).trim();

  // N check events and their statements; all PAEs signed by one ssh-keygen call.
  const events: EventOf<'check'>[] = [];
  const paes: Buffer[] = [];
  const payloads: Buffer[] = [];
  const files: string[] = [];
  for (let i = 0; i < N; i++) {
    const ev = repo.event({ kind: 'check', command: ['npm', 'test'], exitCode: 0, tree, durationMs: 1000 + i, output: '', name: 'test', workspace: 'in-place' }) as EventOf<'check'>;
    const payload = Buffer.from(JSON.stringify(statementOf({
      session: id, tree, base: summary.base, target: 'main', merged: false, name: 'test', argv: ev.command, exitCode: 0, durationMs: ev.durationMs,
      workspace: 'in-place', event: ev.id, time: ev.ts, environment: [{ name: 'node', annotations: { version: process.version } }],
    })));
    events.push(ev);
    payloads.push(payload);
    paes.push(pae(INTOTO_PAYLOAD_TYPE, payload));
    files.push(join(tmp, `m${i}`));
    writeFileSync(files[i], paes[i]);
  }
  const t0 = performance.now();
  execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-n', CHECK_NAMESPACE, '-f', key, ...files]);
  const signMs = performance.now() - t0;
  const sigs = files.map((f) => readFileSync(`${f}.sig`, 'utf8'));
  for (let i = 0; i < N; i++) {
    const env = envelope(payloads[i], sigs[i], fingerprint(parseSshSig(sigs[i]).publicKey));
    events[i].attestation = await repo.store.objects.writeText(JSON.stringify(env, null, 2) + '\n');
  }
  await repo.append(id, events as SessionEvent[]);
  const s = await repo.store.readSummary(id);
  const all = await repo.store.readEvents(id);
  process.stdout.write(`fixture: ${N} signed checks (one ssh-keygen -Y sign for all: ${signMs.toFixed(0)} ms)\n`);

  // Baseline: ssh-keygen -Y verify, one process per attestation (a sample, serially).
  const sample = Number(process.env.BENCH_SPAWNS ?? (process.env.BENCH_BIG ? N : 40));
  const perSpawn: number[] = [];
  for (let i = 0; i < sample; i++) {
    const t = performance.now();
    const r = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'ada@example.com', '-n', CHECK_NAMESPACE, '-s', `${files[i]}.sig`], { input: paes[i], stdio: ['pipe', 'ignore', 'ignore'] });
    if (r.status !== 0) throw new Error('ssh-keygen refused a good signature');
    perSpawn.push(performance.now() - t);
  }
  const spawnMs = median(perSpawn);

  // Ours, in-process: the whole repository path (read envelopes and trees in batch, judge all).
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const repoMs = await timeMedian(rounds, async () => {
    const v = await verifySession(repo, s, all);
    if (!v.ok || v.checks.length !== N || v.checks.some((c) => c.status === 'unsigned' || c.status === 'invalid')) throw new Error('verification failed');
  });
  // The signature checks alone (envelopes already in memory).
  const texts = new Map(events.map((e, i) => [e.attestation!, JSON.stringify(envelope(payloads[i], sigs[i], 'k'))]));
  const signers = parseAllowedSigners(`ada@example.com ${pub}\n`);
  const coreMs = await timeMedian(rounds, () => {
    const vs = judgeChecks(events, { session: id, currentTrees: new Set([tree]), treeExists: () => true, envelopes: texts }, verifyBatch(signers));
    if (vs.some((v) => v.status === 'invalid')) throw new Error('core verification failed');
  });
  // The whole command, a process of its own.
  const cmd: number[] = [];
  const node: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    node.push(performance.now() - t);
    t = performance.now();
    const p = spawnSync(process.execPath, [BIN, 'verify', id], { cwd: dir, env: BENCH_ENV, stdio: 'ignore' });
    if (p.status !== 0) throw new Error(`verify exited ${p.status}`);
    cmd.push(performance.now() - t);
  }

  const serial = { name: `ssh-keygen -Y verify per attestation (median of ${sample} spawns)`, value: spawnMs };
  report({ name: `verify ${N} attestations in-process, per attestation`, value: repoMs / N, unit: 'ms', baseline: serial });
  report({ name: `  signature checks alone (node:crypto), per attestation`, value: coreMs / N, unit: 'ms', baseline: serial });
  report({ name: `verify ${N} attestations in-process, whole batch`, value: repoMs, unit: 'ms', baseline: { name: `${N} ssh-keygen spawns (${N} x median)`, value: spawnMs * N } });
  report({ name: `git session verify, ${N} attestations (whole process, median of 5)`, value: median(cmd), unit: 'ms', baseline: { name: 'node -e 0', value: median(node) } });
}
