// Deterministic synthetic transcripts for the large-file test and bench/redact.ts. The
// text mimics what agent sessions hold (prose, code, git output full of object ids,
// UUIDs, paths, JSON, test logs) because redaction speed depends on the shape of the
// text: long token-alphabet runs are the expensive part.

/** A small seeded PRNG (mulberry32), so generated files are identical run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a to of and in is it that for on with as this be by we are not can if will test file ' +
  'function return value error fix change update branch commit session import export const ' +
  'let type interface string number should would could maybe because then first next check ' +
  'run build lint parse line event redact stream memory index bloom filter tree merge land ' +
  'conflict target base author agent model prompt message tool result output input path'
).split(' ');

const IDENTS = [
  'createRedactor', 'readTranscript', 'parseClaudeLine', 'SessionSummary', 'FORMAT_VERSION',
  'resolvePrefix', 'BloomFilterTree', 'appendEventChunk', 'AbstractSingletonProxyFactoryBean2Impl',
  'getUserAccountSettingsByIdentifierForTenant', 'HTTP2ServerConnectionManagerFactoryV3',
  'kMaxNumberOfConcurrentStreamsPerConnection64', 'useSessionTimelineReducer', 'x86_64-unknown-linux-gnu',
];

const PATHS = [
  'src/core/redact/index.ts', 'src/bridges/transcript-file.ts', 'test/transcript/claude.test.ts',
  'node_modules/@secretlint/core/module/index.js', '/usr/local/lib/node_modules/typescript/lib/tsserver.js',
  'src/components/UserProfileSettings/Avatar2.tsx', 'packages/api/src/routes/v1/sessions/[id].ts',
];

/** Generators of one kind of text each; a message is a few of these joined. */
export interface Synth {
  rnd: () => number;
  pick<T>(xs: readonly T[]): T;
  hex(n: number): string;
  uuid(): string;
  prose(words: number): string;
  chunk(): string;
}

/** A text generator seeded with `seed`. */
export function synth(seed: number): Synth {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hex = (n: number): string => {
    let s = '';
    while (s.length < n) s += Math.floor(rnd() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const prose = (words: number): string => {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(rnd() < 0.08 ? pick(IDENTS) : pick(WORDS));
    return out.join(' ') + '.';
  };
  const gitLog = (): string => {
    const lines: string[] = [];
    for (let i = 0; i < 4; i++) {
      lines.push(`commit ${hex(40)}\nAuthor: Dev ${i} <dev${i}@example.com>\nDate:   Mon Aug 4 10:0${i}:00 2025 +0200\n\n    ${prose(8)}\n`);
    }
    return lines.join('\n');
  };
  const code = (): string => {
    const f = pick(IDENTS);
    return `export function ${f.replace(/[^A-Za-z0-9]/g, '')}(input: string): string {\n  // ${prose(10)}\n  const id = '${uuid()}';\n  if (!input) throw new Error('${prose(4)}');\n  return input.trim() + id;\n}\n`;
  };
  const listing = (): string => Array.from({ length: 6 }, () => `-rw-r--r-- 1 dev dev ${Math.floor(rnd() * 99999)} Aug  4 10:00 ${pick(PATHS)}`).join('\n');
  const json = (): string => JSON.stringify({ id: uuid(), sha: hex(40), path: pick(PATHS), ok: rnd() < 0.5, n: Math.floor(rnd() * 1000), note: prose(6) }, null, 2);
  const tests = (): string => ` ✓ test/${pick(PATHS).split('/').pop()} (${Math.floor(rnd() * 40)} tests) ${Math.floor(rnd() * 900)}ms\n ✓ ${prose(6)}\n Test Files  12 passed (12)\n      Tests  214 passed (214)`;
  const diff = (): string => `diff --git a/${pick(PATHS)} b/${pick(PATHS)}\nindex ${hex(7)}..${hex(7)} 100644\n@@ -1,4 +1,5 @@\n-  const x = ${pick(IDENTS)}();\n+  const x = await ${pick(IDENTS)}(opts);\n   ${prose(5)}`;
  const kinds = [() => prose(30 + Math.floor(rnd() * 60)), gitLog, code, listing, json, tests, diff];
  const chunk = (): string => pick(kinds)();
  return { rnd, pick, hex, uuid, prose, chunk };
}

/** About `bytes` of transcript-like text, split into message-sized strings (200 B-20 kB). */
export function synthTexts(seed: number, bytes: number): string[] {
  const s = synth(seed);
  const out: string[] = [];
  let total = 0;
  while (total < bytes) {
    const parts = 1 + Math.floor(s.rnd() * (s.rnd() < 0.1 ? 12 : 3));
    const text = Array.from({ length: parts }, () => s.chunk()).join('\n\n');
    out.push(text);
    total += text.length;
  }
  return out;
}

/**
 * Claude Code JSONL lines, about `bytes` in all: user prompts, assistant text and
 * thinking, tool_use/tool_result pairs, the odd summary and file-history-snapshot.
 * Returns the lines via a generator so a 100 MB file never sits in memory.
 */
export function* synthClaudeLines(seed: number, bytes: number): Generator<string> {
  const s = synth(seed);
  const sessionId = s.uuid();
  let parent: string | null = null;
  let total = 0;
  let t = Date.UTC(2025, 7, 4, 10, 0, 0);
  let toolN = 0;
  const base = () => {
    const uuid = s.uuid();
    const b = { parentUuid: parent, isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId, version: '1.0.83', gitBranch: 'main', uuid, timestamp: new Date((t += 1500)).toISOString() };
    parent = uuid;
    return b;
  };
  const emit = (o: unknown): string => {
    const line = JSON.stringify(o);
    total += line.length + 1;
    return line;
  };
  yield emit({ type: 'summary', summary: 'Synthetic session', leafUuid: s.uuid() });
  while (total < bytes) {
    yield emit({ ...base(), type: 'user', message: { role: 'user', content: s.prose(20) } });
    const steps = 1 + Math.floor(s.rnd() * 4);
    for (let i = 0; i < steps; i++) {
      const model = 'claude-sonnet-4-20250514';
      yield emit({ ...base(), type: 'assistant', message: { id: `msg_${s.hex(24)}`, type: 'message', role: 'assistant', model, content: [{ type: 'thinking', thinking: s.prose(40), signature: s.hex(64) }] } });
      const id = `toolu_${s.hex(24)}${toolN++}`;
      yield emit({ ...base(), type: 'assistant', message: { id: `msg_${s.hex(24)}`, type: 'message', role: 'assistant', model, content: [{ type: 'tool_use', id, name: 'Bash', input: { command: `git log -n 4 -- ${s.pick(PATHS)}`, description: s.prose(5) } }] } });
      yield emit({ ...base(), type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: s.chunk(), is_error: false }] } });
      yield emit({ ...base(), type: 'assistant', message: { id: `msg_${s.hex(24)}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: s.chunk() }] } });
    }
    if (s.rnd() < 0.2) yield emit({ type: 'file-history-snapshot', messageId: s.uuid(), snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false });
  }
}
