import { ChatError } from './errors';
import type { ChatResult, ChatUsage } from './types';

/** The parts of a Chat Completions chunk (stream) or completion (JSON) that chatwire reads. */
export interface ChatCompletionPayload {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: ChatCompletionMessage;
    message?: ChatCompletionMessage;
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    total_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
    completion_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
  error?: unknown;
}

interface ChatCompletionMessage {
  content?: string | null;
  refusal?: string | null;
}

/** What a reply has accumulated so far: the response sinks fill it, the request path returns it. */
export interface CompletionState extends ChatResult {
  /** The reasoning summary part last delivered (`output_index/summary_index`), to separate parts. */
  part?: string;
}

/**
 * Adds text to the reply, or with `reasoning` set to the reasoning summary. Throws (stopping the
 * parse) once the call has failed, e.g. when the caller aborted from inside an observer.
 */
export type Deliver = (text: string, reasoning?: boolean) => void;

/** The `invalid-response` error for a 2xx body that is not what the protocol says. */
export function invalidResponse(what: string): ChatError {
  return new ChatError('invalid-response', `The server sent ${what}`);
}

/** Usage in chatwire's names; the details are set only when the server reported them. */
export function toUsage(
  promptTokens = 0,
  completionTokens = 0,
  totalTokens = 0,
  cachedTokens?: number,
  reasoningTokens?: number,
): ChatUsage {
  const usage: ChatUsage = { promptTokens, completionTokens, totalTokens };
  if (cachedTokens !== undefined) usage.cachedTokens = cachedTokens;
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens;
  return usage;
}

/**
 * Applies one chunk (or a whole JSON completion) to `state` and hands its text to `deliver`.
 * Only choice index 0 counts: a request with `n > 1` interleaves choices, one per chunk, and the
 * reply a person reads is the first. A refusal is delivered as the reply's text and ends with
 * finish reason `refusal`, so a refused request never shows an empty reply.
 */
export function applyChunk(chunk: ChatCompletionPayload, state: CompletionState, deliver: Deliver): void {
  const { id, model, usage, choices = [] } = chunk;
  if (!Array.isArray(choices)) throw invalidResponse('choices that are not a list');
  if (id) state.responseId = id;
  if (model) state.model = model;
  if (usage) {
    state.usage = toUsage(
      usage.prompt_tokens,
      usage.completion_tokens,
      usage.total_tokens,
      usage.prompt_tokens_details?.cached_tokens,
      usage.completion_tokens_details?.reasoning_tokens,
    );
  }
  for (const choice of choices) {
    if (choice.index) continue;
    const { content, refusal } = choice.delta ?? choice.message ?? {};
    if (refusal) state.finishReason = 'refusal';
    deliver(content || refusal || '');
    if (choice.finish_reason && state.finishReason !== 'refusal') state.finishReason = choice.finish_reason;
  }
}
