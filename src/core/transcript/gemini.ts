// Gemini CLI session files (~/.gemini/tmp/<project>/chats/session-*.jsonl, the format
// @google/gemini-cli-core 0.61 writes: services/chatRecordingService.js).
//
// The first line is the session's metadata ({sessionId, projectHash, startTime...});
// then message records {id, timestamp, type, content, ...}, appended again whole each
// time Gemini updates one (its tool calls as they run, its token counts), and
// bookkeeping lines ({$set: ...} metadata updates, {$rewindTo: id}) that are skipped.
// A message is taken the first time its id appears; a tool call once it has finished.
//
// Mapping:
//   user                   -> prompt
//   gemini content text    -> message role agent (+ model)
//   gemini thoughts        -> message role agent, name 'reasoning' ("subject: description")
//   gemini toolCalls       -> message role agent, name <tool>, text = JSON args, then its
//                             result (role tool), once its status is success/error/cancelled
//   info, warning, error   -> message role system
import { inputText, isObj, lineParser, newMeta, skip, str, type Obj } from './common.js';
import type { ParsedItem, TranscriptBody, TranscriptParser } from './types.js';

const DONE = new Set(['success', 'error', 'cancelled']);
const MAX_IDS = 4096;

/** A streaming parser for Gemini CLI JSONL session files. */
export function createGeminiParser(): TranscriptParser {
  const meta = newMeta();
  const seen = new Set<string>();
  const toolsDone = new Set<string>();
  const remember = (set: Set<string>, id: string) => {
    set.add(id);
    if (set.size > MAX_IDS) set.delete(set.values().next().value as string);
  };
  const item = (ts: string | undefined, body: TranscriptBody, key: string): ParsedItem => (ts ? { ts, body, key } : { body, key });

  function step(o: Obj): ParsedItem[] {
    if (typeof o.sessionId === 'string' && typeof o.projectHash === 'string') {
      meta.sessionId ??= o.sessionId;
      return skip(meta, 'metadata');
    }
    if ('$set' in o || '$rewindTo' in o) return skip(meta, '$set' in o ? '$set' : '$rewindTo');
    const id = str(o.id);
    const ts = str(o.timestamp);
    const type = str(o.type);
    if (!id || !type) return skip(meta, type ?? 'no-type');
    const first = !seen.has(id);
    remember(seen, id);
    const out: ParsedItem[] = [];
    const text = partsText(o.content);
    if (type === 'user') {
      if (first && text.trim()) out.push(item(ts, { kind: 'prompt', text }, id));
    } else if (type === 'gemini') {
      const model = str(o.model);
      if (model) meta.model ??= model;
      const agent = (t: string, name?: string): TranscriptBody => ({ kind: 'message', role: 'agent', text: t, ...(name ? { name } : {}), ...(model ? { model } : {}) });
      if (first) {
        (Array.isArray(o.thoughts) ? o.thoughts : []).forEach((th, i) => {
          if (!isObj(th)) return;
          const t = [str(th.subject), str(th.description)].filter((x) => x?.trim()).join(': ');
          if (t) out.push(item(str(th.timestamp) ?? ts, agent(t, 'reasoning'), `${id}:thought:${i}`));
        });
        if (text.trim()) out.push(item(ts, agent(text), `${id}:text`));
      }
      for (const call of Array.isArray(o.toolCalls) ? o.toolCalls : []) {
        if (!isObj(call) || typeof call.id !== 'string' || typeof call.name !== 'string') continue;
        if (toolsDone.has(call.id) || !DONE.has(str(call.status) ?? '')) continue;
        remember(toolsDone, call.id);
        const cts = str(call.timestamp) ?? ts;
        out.push(item(cts, agent(inputText(call.args), call.name), `${call.id}:call`));
        const result = partsText(call.result) || (typeof call.resultDisplay === 'string' ? call.resultDisplay : '');
        out.push(item(cts, { kind: 'message', role: 'tool', name: call.name, text: call.status === 'success' ? result : `[${call.status}] ${result}` }, `${call.id}:result`));
      }
    } else if (first && text.trim()) {
      out.push(item(ts, { kind: 'message', role: 'system', text }, id));
    }
    return out.length ? out : skip(meta, first ? `${type}:empty` : `${type}:update`);
  }

  return lineParser('gemini', meta, step, () => []);
}

/** Text of Gemini content (a string, a Part, or a list of Parts), function responses included. */
function partsText(v: unknown): string {
  if (typeof v === 'string') return v;
  const parts = Array.isArray(v) ? v : isObj(v) ? [v] : [];
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(p);
    else if (isObj(p) && typeof p.text === 'string' && p.thought !== true) out.push(p.text);
    else if (isObj(p) && isObj(p.functionResponse)) {
      const r = p.functionResponse.response;
      out.push(isObj(r) && typeof r.output === 'string' ? r.output : inputText(r));
    }
  }
  return out.join('\n');
}
