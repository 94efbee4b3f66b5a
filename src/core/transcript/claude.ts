// Claude Code session transcripts (~/.claude/projects/<project>/<session>.jsonl).
//
// Each line is one record: `user` and `assistant` lines carry an Anthropic Messages API
// `message` (content a string or an array of blocks: text, thinking, tool_use,
// tool_result, image...), `summary` lines a conversation title, `system` lines notices
// such as compaction boundaries; everything else (file-history-snapshot,
// queue-operation, progress...) is bookkeeping, skipped and counted. Fields we rely on
// are read defensively: a missing or odd field skips the block, never fails the import.
//
// Mapping (see the table in the report / README of this module):
//   user string or text blocks      -> prompt (a human turn)
//     isMeta / isCompactSummary     -> message role system
//     isSidechain (subagent input)  -> message role agent, name 'subagent-input'
//   assistant text                  -> message role agent (+ model; name 'subagent' on a sidechain)
//   assistant thinking              -> message role agent, name 'reasoning'
//   assistant tool_use              -> message role agent, name <tool>, text = JSON input
//   user tool_result                -> message role tool, name <tool>, right after its call
//   summary                         -> note
//   system (with content)           -> message role system
import { Pairer, inputText, isObj, lineParser, newMeta, skip, str, type Obj } from './common.js';
import type { ParsedItem, TranscriptBody, TranscriptParser } from './types.js';

/** A streaming parser for Claude Code JSONL. */
export function createClaudeParser(): TranscriptParser {
  const meta = newMeta();
  const pairer = new Pairer(meta);

  const item = (ts: string | undefined, body: TranscriptBody): ParsedItem => (ts ? { ts, body } : { body });

  function learn(o: Obj): void {
    meta.sessionId ??= str(o.sessionId);
    meta.cwd ??= str(o.cwd);
    if (!meta.branch && str(o.gitBranch)) meta.branch = str(o.gitBranch);
  }

  function userText(o: Obj, ts: string | undefined, text: string): ParsedItem[] {
    if (text.trim() === '') return skip(meta, 'user:empty');
    if (o.isMeta === true || o.isCompactSummary === true) {
      return pairer.push(item(ts, { kind: 'message', role: 'system', text }));
    }
    if (o.isSidechain === true) {
      return pairer.push(item(ts, { kind: 'message', role: 'agent', name: 'subagent-input', text }));
    }
    // Output of a local slash command and interruption notices are not the human speaking.
    if (/^\s*<local-command-std(?:out|err)>|^\[Request interrupted by user/.test(text)) {
      return pairer.push(item(ts, { kind: 'message', role: 'system', text }));
    }
    return pairer.push(item(ts, { kind: 'prompt', text }));
  }

  function user(o: Obj, ts: string | undefined): ParsedItem[] {
    const msg = o.message;
    if (!isObj(msg)) return skip(meta, 'user:no-message');
    const content = msg.content;
    if (typeof content === 'string') return userText(o, ts, content);
    if (!Array.isArray(content)) return skip(meta, 'user:no-content');
    const out: ParsedItem[] = [];
    const texts: string[] = [];
    const flushText = () => {
      if (texts.length) out.push(...userText(o, ts, texts.join('\n')));
      texts.length = 0;
    };
    for (const b of content) {
      if (!isObj(b)) {
        skip(meta, 'user:block');
        continue;
      }
      if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
      else if (b.type === 'image' || b.type === 'document') texts.push(`[${b.type}]`);
      else if (b.type === 'tool_result') {
        flushText();
        out.push(...toolResult(b, ts));
      } else skip(meta, `user:${str(b.type) ?? 'block'}`);
    }
    flushText();
    return out;
  }

  function toolResult(b: Obj, ts: string | undefined): ParsedItem[] {
    const id = str(b.tool_use_id);
    let text = blocksText(b.content);
    if (b.is_error === true) text = `[error] ${text}`;
    const name = pairer.nameOf(id);
    const body: TranscriptBody = name ? { kind: 'message', role: 'tool', name, text } : { kind: 'message', role: 'tool', text };
    return pairer.result(id, item(ts, body));
  }

  function assistant(o: Obj, ts: string | undefined): ParsedItem[] {
    const msg = o.message;
    if (!isObj(msg)) return skip(meta, 'assistant:no-message');
    // '<synthetic>' marks messages Claude Code wrote itself (API errors), not a model.
    const m = str(msg.model);
    const model = m && m !== '<synthetic>' ? m : undefined;
    if (model) meta.model ??= model;
    const side = o.isSidechain === true;
    const agent = (text: string, name?: string): TranscriptBody => {
      const body: TranscriptBody = { kind: 'message', role: 'agent', text };
      if (name) body.name = name;
      if (model) body.model = model;
      return body;
    };
    const content = msg.content;
    if (typeof content === 'string') {
      return content.trim() ? pairer.push(item(ts, agent(content, side ? 'subagent' : undefined))) : skip(meta, 'assistant:empty');
    }
    if (!Array.isArray(content)) return skip(meta, 'assistant:no-content');
    const out: ParsedItem[] = [];
    for (const b of content) {
      if (!isObj(b)) {
        skip(meta, 'assistant:block');
        continue;
      }
      if (b.type === 'text' && typeof b.text === 'string') {
        if (b.text.trim()) out.push(...pairer.push(item(ts, agent(b.text, side ? 'subagent' : undefined))));
        else skip(meta, 'assistant:empty');
      } else if (b.type === 'thinking' && typeof b.thinking === 'string') {
        if (b.thinking.trim()) out.push(...pairer.push(item(ts, agent(b.thinking, 'reasoning'))));
        else skip(meta, 'assistant:empty-thinking');
      } else if ((b.type === 'tool_use' || b.type === 'server_tool_use') && typeof b.name === 'string') {
        out.push(...pairer.call(str(b.id), b.name, item(ts, agent(inputText(b.input), b.name))));
      } else if (b.type === 'web_search_tool_result' || b.type === 'tool_result') {
        out.push(...toolResult(b, ts));
      } else {
        skip(meta, `assistant:${str(b.type) ?? 'block'}`);
      }
    }
    return out;
  }

  function object(o: Obj): ParsedItem[] {
    learn(o);
    const ts = str(o.timestamp);
    switch (o.type) {
      case 'user':
        return user(o, ts);
      case 'assistant':
        return assistant(o, ts);
      case 'summary': {
        const text = str(o.summary);
        return text?.trim() ? pairer.push(item(ts, { kind: 'note', text })) : skip(meta, 'summary:empty');
      }
      case 'system': {
        const text = str(o.content);
        return text?.trim() ? pairer.push(item(ts, { kind: 'message', role: 'system', text })) : skip(meta, 'system:empty');
      }
      default:
        return skip(meta, str(o.type) ?? 'no-type');
    }
  }

  return lineParser('claude-code', meta, object, () => pairer.release());
}

/** Text of a tool result's content: a string, or text blocks joined (images as placeholders). */
export function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : inputText(content);
  const parts: string[] = [];
  for (const b of content) {
    if (typeof b === 'string') parts.push(b);
    else if (isObj(b) && typeof b.text === 'string') parts.push(b.text);
    else if (isObj(b) && typeof b.type === 'string') parts.push(`[${b.type}]`);
  }
  return parts.join('\n');
}
