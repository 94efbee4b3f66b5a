// `git session hook <agent> <event>`: what Claude Code, Codex and Gemini CLI run. It
// reads the agent's payload (stdin; Codex's notify passes it as the last argument),
// captures it, and always exits 0 with nothing on stdout or stderr: Claude Code puts a
// hook's stdout into the model's context, Gemini CLI parses stdout (or, when that is
// empty, stderr) as the hook's answer. A failure goes to the repository's hooks.log.
import { type AgentName, CODEX_NOTIFY, isAgentName, roleOf } from '../core/agents/agents.js';
import { readPayload } from '../core/agents/payload.js';
import { captureEvent, captureRepoPaths, type HookContext } from '../repo/capture/hook.js';
import { logHookError } from '../repo/capture/log.js';
import type { CliEnv } from './env.js';

/** Payloads past this size are not read whole (a tool's output is cut anyway). */
const MAX_PAYLOAD = 64 * 1024 * 1024;

/** Runs one agent hook event; resolves to 0 whatever happens. */
export async function runAgentHook(agent: string, event: string | undefined, arg: string | undefined, env: CliEnv, settle?: HookContext['settle']): Promise<number> {
  if (env.env.GIT_SESSION_NO_HOOK || !isAgentName(agent) || !event || !roleOf(agent, event)) return 0;
  const ctx: HookContext = { cwd: env.cwd, env: env.env, clock: env.clock, settle };
  let raw: unknown;
  try {
    const text = agent === 'codex' && event === CODEX_NOTIFY ? (arg ?? '') : await readPayloadText(env);
    raw = JSON.parse(text);
  } catch (e) {
    return fail(agent, event, undefined, ctx, new Error(`unreadable payload: ${(e as Error).message}`));
  }
  const ev = readPayload(agent, event, raw);
  if (!ev) return fail(agent, event, raw, ctx, new Error('payload without a usable session id'));
  try {
    await captureEvent(ev, ctx);
  } catch (e) {
    return fail(agent, event, raw, ctx, e);
  }
  return 0;
}

async function fail(agent: AgentName, event: string, raw: unknown, ctx: HookContext, e: unknown): Promise<number> {
  const cwd = typeof (raw as { cwd?: unknown } | undefined)?.cwd === 'string' ? (raw as { cwd: string }).cwd : undefined;
  const paths = captureRepoPaths({ cwd }, ctx);
  if (paths) await logHookError(paths.commonDir, { agent, event, error: e }, ctx.clock());
  return 0;
}

async function readPayloadText(env: CliEnv): Promise<string> {
  if (!env.stdin || env.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of env.stdin) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    size += b.length;
    if (size > MAX_PAYLOAD) throw new Error(`payload over ${MAX_PAYLOAD} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
