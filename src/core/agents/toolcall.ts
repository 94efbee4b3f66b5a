// A tool call as a session keeps it: the tool's name, a one-line summary of its input
// (the command, the file, the pattern), the files it edited, and its output redacted
// and then cut (redacting first: a cut could leave half a secret the redactor no longer
// recognises). File contents a tool read or wrote are not kept: the snapshot that
// follows an edit holds them, and a file read is in the repository already.
import { redactText } from '../redact/index.js';
import { commandLine } from '../text.js';
import type { ToolCall } from '../types.js';
import type { ToolReport } from './payload.js';

/** Output kept whole up to this many characters; longer output keeps its head and tail. */
export const OUTPUT_KEEP = 4000;
const INPUT_KEEP = 500;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// Tool names (Claude Code, Codex, Gemini CLI) by what their input is.
const SHELL = new Set(['Bash', 'shell', 'exec_command', 'local_shell', 'run_shell_command', 'container.exec', 'unified_exec']);
const FILE_TOOLS = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'read_file', 'write_file', 'replace', 'edit', 'read_many_files']);
const CONTENT_OUTPUT = new Set(['Read', 'read_file', 'read_many_files', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'write_file', 'replace', 'edit']);

/** The call summarised for storage, with every text redacted; `redacted` lists the secret kinds replaced. */
export function summariseTool(t: ToolReport): { name: string; text: string; tool: ToolCall; redacted: string[] } {
  const kinds = new Set<string>();
  const clean = (s: string): string => {
    const r = redactText(s);
    r.kinds.forEach((k) => kinds.add(k));
    return r.text;
  };
  const files = editedFiles(t.name, t.input);
  const input = cut(clean(inputSummary(t.name, t.input)), INPUT_KEEP).text;
  const tool: ToolCall = { input };
  if (files.length) tool.files = files.map(clean);
  const raw = t.error !== undefined ? t.error : outputText(t.name, t.response);
  if (raw) {
    const full = clean(raw);
    const c = cut(full, OUTPUT_KEEP);
    tool.output = c.text;
    if (c.cut) {
      tool.bytes = Buffer.byteLength(full);
      tool.cut = true;
    }
  }
  if (t.error !== undefined || failed(t.response)) tool.error = true;
  return { name: clean(t.name), text: input || t.name, tool, redacted: [...kinds].sort() };
}

/** Text over `max` characters kept as its head and tail with what was left out said between. */
export function cut(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const half = Math.floor((max - 40) / 2);
  const head = text.slice(0, half);
  const tail = text.slice(text.length - half);
  const left = Buffer.byteLength(text) - Buffer.byteLength(head) - Buffer.byteLength(tail);
  return { text: `${head}\n[… ${left} bytes cut …]\n${tail}`, cut: true };
}

/** One line saying what the call was asked to do. */
export function inputSummary(name: string, input: unknown): string {
  if (typeof input === 'string') return firstLines(input);
  if (!isObj(input)) return input === undefined ? '' : compact(input);
  if (name === 'apply_patch') {
    const files = patchFiles(patchText(input));
    if (files.length) return files.join(', ');
  }
  if (SHELL.has(name) || 'command' in input || 'cmd' in input) {
    const c = input.command ?? input.cmd;
    if (typeof c === 'string') return firstLines(c);
    if (Array.isArray(c) && c.every((x) => typeof x === 'string')) return shellish(c as string[]);
  }
  const path = str(input.file_path) ?? str(input.notebook_path) ?? str(input.absolute_path) ?? str(input.path);
  if (FILE_TOOLS.has(name) || name === 'NotebookEdit') {
    if (path) return path;
  }
  const pattern = str(input.pattern) ?? str(input.query) ?? str(input.url) ?? str(input.description) ?? str(input.prompt);
  if (pattern !== undefined) return firstLines(path ? `${pattern} in ${path}` : pattern);
  if (path) return path;
  return compact(input);
}

/** Files an editing call wrote (from its input: a path, or a patch's file headers). */
export function editedFiles(name: string, input: unknown): string[] {
  if (!isObj(input)) return typeof input === 'string' && name === 'apply_patch' ? patchFiles(input) : [];
  if (name === 'apply_patch' || typeof input.patch === 'string') return patchFiles(patchText(input));
  const p = str(input.file_path) ?? str(input.notebook_path) ?? str(input.absolute_path);
  return p ? [p] : [];
}

function patchText(input: Obj): string {
  const c = input.command;
  if (Array.isArray(c)) return c.filter((x): x is string => typeof x === 'string').join('\n');
  return str(input.input) ?? str(input.patch) ?? str(c) ?? '';
}

// apply_patch's envelope: "*** Add File: p", "*** Update File: p", "*** Delete File: p", "*** Move to: p".
function patchFiles(patch: string): string[] {
  const out: string[] = [];
  for (const m of patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm)) {
    const p = (m[1] ?? m[2]).trim();
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** What the call returned, as text worth keeping (file contents left out: see the header). */
export function outputText(name: string, response: unknown): string {
  if (response === undefined || response === null) return '';
  if (typeof response === 'string') return response;
  if (CONTENT_OUTPUT.has(name)) return '';
  if (!isObj(response)) return compact(response);
  // Claude Code's Bash: {stdout, stderr, interrupted}; Codex shell: {output, exit_code}; Gemini: {llmContent, returnDisplay, error}.
  const parts: string[] = [];
  const out = str(response.stdout) ?? str(response.output) ?? llmText(response.llmContent) ?? str(response.returnDisplay);
  if (out) parts.push(out);
  const err = str(response.stderr);
  if (err) parts.push(err);
  const e = response.error;
  if (isObj(e) && typeof e.message === 'string') parts.push(`[error] ${e.message}`);
  else if (typeof e === 'string' && e) parts.push(`[error] ${e}`);
  const code = response.exit_code ?? response.exitCode;
  if (typeof code === 'number' && code !== 0) parts.push(`[exit ${code}]`);
  if (parts.length) return parts.join('\n');
  const content = response.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b) => (isObj(b) && typeof b.text === 'string' ? b.text : '')).filter(Boolean).join('\n');
  return compact(response);
}

function failed(response: unknown): boolean {
  if (!isObj(response)) return false;
  const code = response.exit_code ?? response.exitCode;
  return (typeof code === 'number' && code !== 0) || response.success === false || (response.error !== undefined && response.error !== null && response.error !== '');
}

// Gemini's llmContent: a string, a Part ({text}) or a list of them.
function llmText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const parts = Array.isArray(v) ? v : isObj(v) ? [v] : [];
  const texts = parts.map((p) => (typeof p === 'string' ? p : isObj(p) && typeof p.text === 'string' ? p.text : '')).filter(Boolean);
  return texts.length ? texts.join('\n') : undefined;
}

function firstLines(s: string): string {
  const lines = s.trim().split('\n');
  return lines.length > 3 ? `${lines.slice(0, 3).join('\n')} …` : lines.join('\n');
}

function shellish(argv: string[]): string {
  // Codex's shell tool sends ["bash", "-lc", "<script>"]: the script is what was asked.
  if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0]) && /^-l?c$/.test(argv[1])) return firstLines(argv[2]);
  return commandLine(argv);
}

function compact(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
