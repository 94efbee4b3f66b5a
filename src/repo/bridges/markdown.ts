// Renders a session's reasoning for places outside git-session: a pull-request
// description (GitHub/GitLab Markdown), git notes and `why` (plain text). Pure: the same
// events always render the same text, which is what makes `export --notes` idempotent.
// The PR body and the note leave git-session (a file, a forge, `git log --notes`), so
// they pass the one sanitizer here; `why` prints through the CLI's sanitizing output.
import { shortId } from '../../core/ids.js';
import type { AgentInfo, FileChange, SessionSummary, StoredEvent } from '../../core/types.js';
import { commandLine, shellWord, shortOid } from '../../core/text.js';
import { sanitize } from '../../core/sanitize.js';
import { verdictLine } from '../../core/attest/describe.js';
import type { Attested, CheckVerdict } from '../../core/attest/verify.js';

/** One decision as reviewers read it. */
export interface DecisionView {
  chosen: string;
  rationale: string;
  rejected: { option: string; reason: string }[];
  /** The agent that recorded it (see repo/capture/attribution.ts). */
  agent?: string;
}

/** One check as reviewers read it. */
export interface CheckView {
  command: string;
  exitCode: number;
  passed: boolean;
  /** The check judged (signed or not), when verification ran. */
  verdict?: CheckVerdict;
}


/** The reasoning a session carries, in event order. */
export interface Reasoning {
  prompts: string[];
  decisions: DecisionView[];
  checks: CheckView[];
}

/** Pulls prompts, decisions and checks out of a session's events (checks with their verdicts when given). */
export function reasoningOf(events: StoredEvent[], attested?: Attested): Reasoning {
  const r: Reasoning = { prompts: [], decisions: [], checks: [] };
  for (const e of events) {
    if (e.kind === 'prompt') r.prompts.push(e.text);
    else if (e.kind === 'decision') r.decisions.push({ chosen: e.chosen, rationale: e.rationale, rejected: e.rejected, ...(e.agent ? { agent: e.agent.name } : {}) });
    else if (e.kind === 'check') {
      const verdict = attested?.verdicts.get(e.id);
      r.checks.push({ command: commandLine(e.command), exitCode: e.exitCode, passed: e.exitCode === 0, ...(verdict ? { verdict } : {}) });
    }
  }
  return r;
}

/** "claude-code (opus)". */
export function agentLabel(a: AgentInfo): string {
  return `${a.name}${a.model ? ` (${a.model})` : ''}`;
}

// A PR body is read by people: past these it points at `git session show` instead.
const MAX_PROMPTS = 50;
const MAX_PROMPT_CHARS = 4000;
const MAX_CHECKS = 50;
const MAX_FILES = 200;

/** Inline Markdown text: one line, Markdown punctuation escaped. */
function inline(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/([\\`*_[\]<>|~#])/g, '\\$1');
}

/** A code span that survives backticks (and, in tables, pipes) inside `s`. */
function code(s: string, inTable = false): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const runs = one.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  const body = inTable ? one.replace(/\|/g, '\\|') : one;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A blockquote of (possibly multi-line) text. */
function quote(s: string): string {
  const t = s.length > MAX_PROMPT_CHARS ? `${s.slice(0, MAX_PROMPT_CHARS)}…` : s;
  return t.trimEnd().split('\n').map((l) => (l.trim() ? `> ${l}` : '>')).join('\n');
}

/** The author's name without the e-mail (a PR description is public). */
function nameOf(author: string): string {
  return author.replace(/\s*<[^>]*>\s*$/, '') || author;
}

/**
 * The Markdown pull-request description of a session: goal, agent, prompts (quoted),
 * decisions with every rejected alternative and its reason, checks, files changed, and
 * a footer whose last line is the `Session-Id:` trailer, so a squash merge that uses the
 * description as the commit message still names the session.
 */
export function prBody(s: SessionSummary, events: StoredEvent[], files: FileChange[], o: { base: string; branch: string; attested?: Attested }): string {
  const r = reasoningOf(events, o.attested);
  const out: string[] = [`## ${inline(s.goal)}`, ''];
  out.push(`- **Session:** ${code(s.id)} (${s.state})`);
  if (s.agent) out.push(`- **Agent:** ${inline(s.agent.name)}${s.agent.model ? `, model ${inline(s.agent.model)}` : ''}`);
  out.push(`- **Author:** ${inline(nameOf(s.author))}`);
  out.push(`- **Branch:** ${code(o.branch)}, based on ${code(s.target)} at ${code(shortOid(o.base))}`);
  out.push('', `### Prompts (${r.prompts.length})`, '');
  if (!r.prompts.length) out.push('_No prompts recorded._', '');
  for (const p of r.prompts.slice(0, MAX_PROMPTS)) out.push(quote(p), '');
  if (r.prompts.length > MAX_PROMPTS) out.push(`_… ${r.prompts.length - MAX_PROMPTS} more: ${code(`git session log ${shortId(s.id)} --kind prompt`)}_`, '');
  out.push(`### Decisions (${r.decisions.length})`, '');
  if (!r.decisions.length) out.push('_No decisions recorded._');
  r.decisions.forEach((d, i) => {
    out.push(`${i + 1}. **${inline(d.chosen)}**${d.rationale ? `: ${inline(d.rationale)}` : ''}${d.agent ? ` _(by ${inline(d.agent)})_` : ''}`);
    for (const x of d.rejected) out.push(`   - rejected **${inline(x.option)}**: ${inline(x.reason)}`);
  });
  out.push('', `### Checks (${r.checks.length})`, '');
  if (!r.checks.length) out.push('_No checks recorded._');
  else if (r.checks.some((c) => c.verdict && c.verdict.status !== 'unsigned')) out.push(...signedChecks(s, r.checks, o.attested!));
  else {
    out.push('| command | result | exit code |', '| --- | --- | --- |');
    const shown = r.checks.slice(-MAX_CHECKS);
    if (shown.length < r.checks.length) out.push(`| _… ${r.checks.length - shown.length} earlier checks_ | | |`);
    for (const c of shown) out.push(`| ${code(c.command, true)} | ${c.passed ? 'pass' : '**fail**'} | ${c.exitCode} |`);
  }
  out.push(...toolCallsMarkdown(events));
  out.push('', `### Files changed (${files.length})`, '');
  if (!files.length) out.push('_None._');
  for (const f of files.slice(0, MAX_FILES)) out.push(`- ${f.status} ${code(f.path)}`);
  if (files.length > MAX_FILES) out.push(`- _… ${files.length - MAX_FILES} more_`);
  out.push('', '---', '', `<sub>Recorded with git-session: ${code(`git session show ${shortId(s.id)}`)}</sub>`, '', `Session-Id: ${s.id}`);
  return sanitize(out.join('\n') + '\n');
}

/** The verify one-liner a reviewer or a CI job runs instead of re-running the checks. */
export function verifyCommand(s: SessionSummary, checks: CheckView[]): string {
  const names = [...new Set(checks.filter((c) => c.verdict?.status === 'valid' && c.passed).map((c) => c.verdict!.name))];
  return `git session verify ${s.id}${names.map((n) => ` --require ${shellWord(n)}`).join('')}`;
}

/** Envelopes of the signed checks shown, newest last (compact JSON, one per line). */
function envelopesOf(checks: CheckView[], a: Attested): string[] {
  return checks.flatMap((c) => {
    const t = c.verdict?.attestation ? a.envelopes.get(c.verdict.attestation) : undefined;
    return t ? [JSON.stringify(JSON.parse(t))] : [];
  });
}

/** The checks section when some are signed: one verdict line each, how to verify, and the attestations. */
function signedChecks(s: SessionSummary, checks: CheckView[], a: Attested): string[] {
  const shown = checks.slice(-MAX_CHECKS);
  const out: string[] = [];
  if (shown.length < checks.length) out.push(`- _… ${checks.length - shown.length} earlier checks_`);
  for (const c of shown) out.push(`- ${c.verdict ? inline(verdictLine(c.verdict)) : `${c.passed ? 'pass' : '**fail**'} ${code(c.command)}`}`);
  out.push('', 'Verify instead of re-running (after fetching the session: `git session pull`):', '', '```sh', verifyCommand(s, checks), '```');
  const env = envelopesOf(shown, a);
  if (env.length) out.push('', '<details><summary>Attestations (in-toto test-result statements in DSSE envelopes, SSH-signed)</summary>', '', '```json', ...env, '```', '', '</details>');
  return out;
}

const MAX_FAILED_TOOLS = 10;

/**
 * The tool calls an agent made (captured live, or imported from a transcript), summed
 * up per tool with their failures, and the failed calls by name: nothing when there were
 * none. Their output stays in the session (`git session log --kind message`).
 */
export function toolCallsMarkdown(events: StoredEvent[]): string[] {
  const per = new Map<string, { calls: number; failed: number }>();
  const failed: string[] = [];
  for (const e of events) {
    if (e.kind !== 'message' || e.role !== 'tool') continue;
    const name = e.name ?? 'tool';
    const row = per.get(name) ?? { calls: 0, failed: 0 };
    row.calls++;
    if (e.tool?.error) {
      row.failed++;
      failed.push(`${code(e.tool.input || name)} (${inline(name)})`);
    }
    per.set(name, row);
  }
  if (!per.size) return [];
  const total = [...per.values()].reduce((n, r) => n + r.calls, 0);
  const out = ['', `### Tool calls (${total})`, '', '| tool | calls | failed |', '| --- | --- | --- |'];
  for (const [name, r] of [...per].sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]))) out.push(`| ${code(name, true)} | ${r.calls} | ${r.failed} |`);
  if (failed.length) {
    out.push('', `Failed: ${failed.slice(-MAX_FAILED_TOOLS).join(', ')}${failed.length > MAX_FAILED_TOOLS ? ` and ${failed.length - MAX_FAILED_TOOLS} earlier` : ''}`);
  }
  return out;
}

/** Plain-text lines of prompts, decisions and checks, indented under headings. */
export function reasoningLines(r: Reasoning, marks: { chosen: string; rejected: string } = { chosen: '*', rejected: '- rejected' }): string[] {
  const out: string[] = [];
  if (r.prompts.length) {
    out.push('', 'Prompts:');
    for (const p of r.prompts) out.push(...p.trimEnd().split('\n').map((l) => `  > ${l}`));
  }
  if (r.decisions.length) {
    out.push('', 'Decisions:');
    for (const d of r.decisions) {
      out.push(`  ${marks.chosen} ${d.chosen}${d.rationale ? `: ${d.rationale}` : ''}`);
      for (const x of d.rejected) out.push(`    ${marks.rejected} ${x.option}: ${x.reason}`);
    }
  }
  if (r.checks.length) {
    out.push('', 'Checks:');
    for (const c of r.checks) out.push(c.verdict && c.verdict.status !== 'unsigned' ? `  ${verdictLine(c.verdict)}` : `  ${c.passed ? 'pass' : 'FAIL'}  ${c.command} (exit ${c.exitCode})`);
  }
  return out;
}

/** The git note for a landed session: its reasoning as plain text (deterministic), signed checks verified, with their attestations. */
export function notesText(s: SessionSummary, events: StoredEvent[], attested?: Attested): string {
  const lines = [s.goal, '', `Session: ${s.id}${s.landed ? ` (landed on ${s.target}, ${s.landed.strategy})` : ''}`];
  if (s.agent) lines.push(`Agent: ${agentLabel(s.agent)}`);
  lines.push(`Author: ${s.author}`);
  const r = reasoningOf(events, attested);
  lines.push(...reasoningLines(r));
  if (attested && r.checks.some((c) => c.verdict && c.verdict.status !== 'unsigned')) {
    lines.push('', `Verify: ${verifyCommand(s, r.checks)}`);
    for (const e of envelopesOf(r.checks, attested)) lines.push(`Attestation: ${e}`);
  }
  lines.push('', `More: git session show ${shortId(s.id)}`);
  return sanitize(lines.join('\n') + '\n');
}
