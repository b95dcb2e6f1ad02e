import { applyFacts, type CompletionState, type Deliver, finish, type ReplyFacts } from './chat-completion';
import { streamError } from './http-errors';
import type { ChatSource } from './types';

/** The parts of a Responses API `response` object that chatwire reads (a JSON reply or a terminal event's). */
export interface ResponseObject extends ReplyFacts {
  incomplete_details?: { reason?: string } | null;
  output?: Array<{
    type?: string;
    content?: Array<{ text?: string; refusal?: string; annotations?: Array<Record<string, string>> }>;
    summary?: Array<{ text?: string }>;
  }>;
}

/** The parts of a Responses API stream event that chatwire reads. */
export interface ResponseEvent {
  type: string;
  delta?: string;
  output_index?: number;
  summary_index?: number;
  response?: ResponseObject;
}

/** Delivers one reasoning summary part; parts after the first start with a blank line between them. */
function deliverSummary(state: CompletionState, deliver: Deliver, text: string, part: string): void {
  deliver(state.reasoning && state.part !== part ? `\n\n${text}` : text, true);
  state.part = part;
}

/**
 * Reads the finished `response` object into `state`: model, id, usage, sources and finish reason.
 * With `whole` (a JSON reply, nothing streamed) it also delivers the text and the reasoning summary.
 * Function calls and built-in tool items (web/file search) carry no text and are skipped.
 */
export function applyResponse(
  response: ResponseObject,
  state: CompletionState,
  deliver: Deliver,
  whole?: boolean,
): void {
  const sources: ChatSource[] = [];
  let reason = 'stop';
  applyFacts(state, response, 'input', 'output');
  response.output?.forEach(({ type, content = [], summary = [] }, index) => {
    if (type === 'function_call') reason = 'tool_calls';
    if (type === 'reasoning' && whole)
      summary.forEach((part, summaryIndex) => {
        deliverSummary(state, deliver, part.text ?? '', `${index}/${summaryIndex}`);
      });
    if (type === 'message')
      for (const { text, refusal, annotations = [] } of content) {
        if (refusal) state.finishReason = 'refusal';
        if (whole) deliver(text ?? refusal ?? '');
        for (const { type, url, title = url } of annotations)
          if (type === 'url_citation' && url && !sources.some((source) => source.url === url))
            sources.push({ url, title });
      }
  });
  if (sources[0]) state.sources = sources;
  const incomplete = response.incomplete_details?.reason;
  // OpenAI's incomplete reasons in Chat Completions' finish-reason words.
  finish(state, incomplete === 'max_output_tokens' ? 'length' : incomplete || reason);
}

/**
 * Applies one Responses stream event; returns true on the terminal `response.completed` or
 * `response.incomplete`, after which nothing more is read. `response.failed` throws its error (an
 * `error` event has already thrown as an error object). Every other event (lifecycle, tool calls,
 * `*.done` repeats of the deltas) is skipped.
 */
export function applyResponseEvent(
  event: ResponseEvent,
  state: CompletionState,
  deliver: Deliver,
  secret?: string,
): boolean {
  const { type, delta = '', response } = event;
  if (type === 'response.output_text.delta') deliver(delta);
  else if (type === 'response.refusal.delta') {
    state.finishReason = 'refusal';
    deliver(delta);
  } else if (type === 'response.reasoning_summary_text.delta')
    deliverSummary(state, deliver, delta, `${event.output_index}/${event.summary_index}`);
  else if (type === 'response.failed') throw streamError(response, secret);
  else if (response && (type === 'response.completed' || type === 'response.incomplete')) {
    applyResponse(response, state, deliver);
    return true;
  }
  return false;
}
