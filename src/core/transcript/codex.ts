// Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl).
//
// Current files wrap every line as {timestamp, type, payload}: session_meta (id, cwd,
// git...), turn_context (model, cwd per turn), response_item (the model history:
// message, reasoning, function_call/_output, custom_tool_call/_output,
// local_shell_call, web_search_call...), event_msg (UI events: user_message,
// agent_message, agent_reasoning, token_count...), compacted. Older files have no
// envelope: a bare meta object first ({id, timestamp, instructions, git}), then bare
// response items and {"record_type":"state"} markers. Both are handled here.
//
// Duplicates: Codex records each user/agent message and reasoning summary twice, as a
// response_item and as an event_msg. We take response_item as the source of truth: it
// exists in every era (the legacy format has nothing else), it interleaves with the tool
// calls in model order, and it is what Codex itself replays on resume. event_msg copies
// are dropped, except in a file that has no response_item messages at all, where they
// are the only record: such event_msg items are held until the first response_item
// message or reasoning shows up (then discarded) or the input ends (then emitted).
//
// Mapping:
//   message user              -> prompt (injected context: <environment_context>,
//                                <user_instructions>, AGENTS.md -> message role system)
//   message assistant         -> message role agent (+ model from turn_context)
//   message developer/system  -> message role system
//   reasoning                 -> message role agent, name 'reasoning' (summary text;
//                                encrypted-only reasoning is skipped)
//   function_call, custom_tool_call, local_shell_call
//                             -> message role agent, name <tool>, text = arguments
//   *_output                  -> message role tool, name <tool>, right after its call
//   web_search_call           -> message role agent, name 'web_search', text = query
//   compacted                 -> message role system
import { Pairer, inputText, isObj, lineParser, newMeta, skip, str, type Obj } from './common.js';
import type { ParsedItem, TranscriptBody, TranscriptParser } from './types.js';

const ENVELOPE = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted']);

// User-role messages Codex writes itself (workspace context, AGENTS.md, instructions).
const INJECTED = /^\s*(?:<environment_context>|<user_instructions>|<INSTRUCTIONS>|# AGENTS\.md instructions|<permissions instructions>|<user_shell_command>)/;

// Held event_msg copies in a file that may turn out to have no response_item messages.
const MAX_HELD_EVENTS = 256;

/** A streaming parser for Codex rollout JSONL (both the enveloped and the legacy form). */
export function createCodexParser(): TranscriptParser {
  const meta = newMeta();
  const pairer = new Pairer(meta);
  let model: string | undefined;
  // Which source carries messages: undecided until the first one of either is seen.
  let source: 'response' | 'events' | undefined;
  const held: ParsedItem[] = [];

  const item = (ts: string | undefined, body: TranscriptBody): ParsedItem => (ts ? { ts, body } : { body });
  const agent = (text: string, name?: string): TranscriptBody => {
    const body: TranscriptBody = { kind: 'message', role: 'agent', text };
    if (name) body.name = name;
    if (model) body.model = model;
    return body;
  };

  function sessionMeta(p: Obj): [] {
    meta.sessionId ??= str(p.id);
    meta.cwd ??= str(p.cwd);
    if (isObj(p.git)) meta.branch ??= str(p.git.branch);
    return [];
  }

  function turnContext(p: Obj): [] {
    const m = str(p.model);
    if (m) {
      model = m;
      meta.model ??= m;
    }
    meta.cwd ??= str(p.cwd);
    return [];
  }

  // The first response_item message settles the source; held event copies were duplicates.
  function responseSeen(): void {
    if (source === 'response') return;
    source = 'response';
    for (let k = 0; k < held.length; k++) skip(meta, 'event_msg:duplicate');
    held.length = 0;
  }

  function message(p: Obj, ts: string | undefined): ParsedItem[] {
    responseSeen();
    const text = contentText(p.content);
    if (!text.trim()) return skip(meta, 'message:empty');
    const role = str(p.role);
    if (role === 'user') {
      if (INJECTED.test(text)) return pairer.push(item(ts, { kind: 'message', role: 'system', text }));
      return pairer.push(item(ts, { kind: 'prompt', text }));
    }
    if (role === 'assistant') return pairer.push(item(ts, agent(text)));
    if (role === 'developer' || role === 'system') return pairer.push(item(ts, { kind: 'message', role: 'system', text }));
    return skip(meta, `message:${role ?? 'no-role'}`);
  }

  function reasoning(p: Obj, ts: string | undefined): ParsedItem[] {
    responseSeen();
    const text = partsText(p.summary) || partsText(p.content);
    // Encrypted-only reasoning carries nothing readable.
    return text.trim() ? pairer.push(item(ts, agent(text, 'reasoning'))) : skip(meta, 'reasoning:empty');
  }

  function responseItem(p: Obj, ts: string | undefined): ParsedItem[] {
    switch (p.type) {
      case 'message':
        return message(p, ts);
      case 'reasoning':
        return reasoning(p, ts);
      case 'function_call':
      case 'custom_tool_call': {
        const name = str(p.name) ?? 'tool';
        const args = p.type === 'function_call' ? p.arguments : p.input;
        return pairer.call(str(p.call_id), name, item(ts, agent(inputText(args), name)));
      }
      case 'local_shell_call': {
        const action = isObj(p.action) ? p.action : {};
        const cmd = Array.isArray(action.command) ? action.command.map(String).join(' ') : inputText(action);
        return pairer.call(str(p.call_id) ?? str(p.id), 'local_shell', item(ts, agent(cmd, 'local_shell')));
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const id = str(p.call_id);
        const text = outputText(p.output);
        const name = pairer.nameOf(id);
        const body: TranscriptBody = name ? { kind: 'message', role: 'tool', name, text } : { kind: 'message', role: 'tool', text };
        return pairer.result(id, item(ts, body));
      }
      case 'web_search_call': {
        const a = isObj(p.action) ? p.action : {};
        const q = str(a.query) ?? str(a.url) ?? inputText(p.action);
        return q ? pairer.push(item(ts, agent(q, 'web_search'))) : skip(meta, 'web_search_call:empty');
      }
      default:
        return skip(meta, `response_item:${str(p.type) ?? 'no-type'}`);
    }
  }

  function eventMsg(p: Obj, ts: string | undefined): ParsedItem[] {
    let it: ParsedItem | undefined;
    const text = str(p.message) ?? str(p.text) ?? '';
    if (p.type === 'user_message') it = item(ts, { kind: 'prompt', text });
    else if (p.type === 'agent_message') it = item(ts, agent(text));
    else if (p.type === 'agent_reasoning') it = item(ts, agent(text, 'reasoning'));
    else return skip(meta, `event_msg:${str(p.type) ?? 'no-type'}`);
    if (!text.trim()) return skip(meta, `event_msg:empty`);
    if (source === 'response') return skip(meta, 'event_msg:duplicate');
    if (source === 'events') return emitEvent(it);
    held.push(it);
    if (held.length <= MAX_HELD_EVENTS) return [];
    // Far into the file with no response_item message: events are the only record.
    source = 'events';
    const out: ParsedItem[] = [];
    for (const h of held.splice(0)) out.push(...emitEvent(h));
    return out;
  }

  function emitEvent(it: ParsedItem): ParsedItem[] {
    return pairer.push(it);
  }

  function line(o: Obj): ParsedItem[] {
    const type = str(o.type);
    const ts = str(o.timestamp);
    if (type && ENVELOPE.has(type) && isObj(o.payload)) {
      const p = o.payload;
      switch (type) {
        case 'session_meta':
          return sessionMeta(p);
        case 'turn_context':
          return turnContext(p);
        case 'response_item':
          return responseItem(p, ts);
        case 'event_msg':
          return eventMsg(p, ts);
        default: {
          const text = str(p.message);
          return text?.trim() ? pairer.push(item(ts, { kind: 'message', role: 'system', text })) : skip(meta, 'compacted');
        }
      }
    }
    if (o.record_type !== undefined) return skip(meta, `record_type:${str(o.record_type) ?? '?'}`);
    // Legacy: bare response items, and a bare meta object first.
    if (type) return responseItem(o, ts);
    if (str(o.id) && meta.lines === 1) return sessionMeta(o);
    return skip(meta, 'no-type');
  }

  return lineParser('codex', meta, line, () => {
    const out: ParsedItem[] = [];
    if (source !== 'response') for (const h of held.splice(0)) out.push(...emitEvent(h));
    out.push(...pairer.release());
    return out;
  });
}

/** Text of a message's content items (input_text/output_text; images as placeholders). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const c of content) {
    if (!isObj(c)) continue;
    if (typeof c.text === 'string') parts.push(c.text);
    else if (c.type === 'input_image') parts.push('[image]');
  }
  return parts.join('\n');
}

// Reasoning summary or content parts ({type: summary_text|reasoning_text|text, text}).
function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts
    .map((x) => (isObj(x) && typeof x.text === 'string' ? x.text : ''))
    .filter((x) => x)
    .join('\n\n');
}

/**
 * A tool output in any of the shapes Codex has written: a plain string; a JSON string
 * {output, metadata: {exit_code}} (older shell tool); {content, success}; or a list of
 * content items.
 */
function outputText(output: unknown): string {
  if (typeof output === 'string') {
    if (output.startsWith('{"output"')) {
      try {
        const o: unknown = JSON.parse(output);
        if (isObj(o) && typeof o.output === 'string') {
          const code = isObj(o.metadata) ? o.metadata.exit_code : undefined;
          return typeof code === 'number' && code !== 0 ? `[exit ${code}] ${o.output}` : o.output;
        }
      } catch {
        // not the wrapped form after all: keep the raw string
      }
    }
    return output;
  }
  if (Array.isArray(output)) return contentText(output);
  if (isObj(output)) {
    const text = typeof output.content === 'string' ? output.content : contentText(output.content_items ?? output.content);
    return output.success === false ? `[error] ${text}` : text;
  }
  return inputText(output);
}
