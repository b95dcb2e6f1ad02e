import { type CompletionState, type Deliver, toUsage } from './chat-completion';
import { streamError } from './http-errors';

/** The parts of a Responses API `response` object that chatwire reads (a JSON reply or a terminal event's). */
export interface ResponseObject {
  id?: string;
  model?: string;
  incomplete_details?: { reason?: string } | null;
  output?: Array<{
    type?: string;
    content?: Array<{ text?: string; refusal?: string; annotations?: Array<Record<string, string>> }>;
    summary?: Array<{ text?: string }>;
  }>;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    total_tokens?: number;
    input_tokens_details?: { cached_tokens?: number } | null;
    output_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
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
  const { id, model, usage, output = [] } = response;
  const sources = new Map<string, string>();
  let finish = 'stop';
  state.responseId = id;
  state.model = model;
  if (usage) {
    state.usage = toUsage(
      usage.input_tokens,
      usage.output_tokens,
      usage.total_tokens,
      usage.input_tokens_details?.cached_tokens,
      usage.output_tokens_details?.reasoning_tokens,
    );
  }
  output.forEach((item, index) => {
    if (item.type === 'function_call') finish = 'tool_calls';
    if (item.type === 'reasoning' && whole) {
      item.summary?.forEach((part, summaryIndex) => {
        deliverSummary(state, deliver, part.text ?? '', `${index}/${summaryIndex}`);
      });
    }
    if (item.type !== 'message') return;
    for (const { text, refusal, annotations = [] } of item.content ?? []) {
      if (refusal) state.finishReason = 'refusal';
      if (whole) deliver(text ?? refusal ?? '');
      for (const { type, url, title } of annotations)
        if (type === 'url_citation' && url && !sources.has(url)) sources.set(url, title ?? url);
    }
  });
  if (sources.size) state.sources = [...sources].map(([url, title]) => ({ url, title }));
  const reason = response.incomplete_details?.reason;
  // OpenAI's incomplete reasons in Chat Completions' finish-reason words; a refusal seen earlier stays.
  if (state.finishReason !== 'refusal')
    state.finishReason = reason === 'max_output_tokens' ? 'length' : reason || finish;
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
