import { ChatError } from './errors';
import type { ChatResult } from './types';

/** The parts of a Chat Completions chunk (stream) or completion (JSON) that chatwire reads. */
export interface ChatCompletionPayload extends ReplyFacts {
  choices?: Array<{
    index?: number;
    delta?: ChatCompletionMessage;
    message?: ChatCompletionMessage;
    finish_reason?: string | null;
  }>;
  error?: unknown;
}

interface ChatCompletionMessage {
  content?: string | null;
  refusal?: string | null;
}

/**
 * What both APIs report about a reply besides its text. The token counts differ only in their
 * prefix: `prompt_tokens` / `completion_tokens` on Chat Completions, `input_tokens` /
 * `output_tokens` on Responses.
 */
export interface ReplyFacts {
  id?: string;
  model?: string;
  usage?: Record<string, number | UsageDetails | null | undefined> | null;
}

interface UsageDetails {
  cached_tokens?: number;
  reasoning_tokens?: number;
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

/**
 * Reads a reply's id, model and usage into `state`, the token counts from `<input>_tokens` and
 * `<output>_tokens`; the cached and reasoning counts stay undefined when the server did not report them.
 */
export function applyFacts(
  state: CompletionState,
  { id, model, usage }: ReplyFacts,
  input: string,
  output: string,
): void {
  if (id) state.responseId = id;
  if (model) state.model = model;
  if (usage)
    state.usage = {
      promptTokens: (usage[`${input}_tokens`] as number) ?? 0,
      completionTokens: (usage[`${output}_tokens`] as number) ?? 0,
      totalTokens: (usage.total_tokens as number) ?? 0,
      cachedTokens: (usage[`${input}_tokens_details`] as UsageDetails | null)?.cached_tokens,
      reasoningTokens: (usage[`${output}_tokens_details`] as UsageDetails | null)?.reasoning_tokens,
    };
}

/** Sets why the reply ended, unless it was refused: a refusal seen earlier is what the reader saw. */
export function finish(state: CompletionState, reason: string | null | undefined): void {
  if (reason && state.finishReason !== 'refusal') state.finishReason = reason;
}

/**
 * Applies one chunk (or a whole JSON completion) to `state` and hands its text to `deliver`.
 * Only choice index 0 counts: a request with `n > 1` interleaves choices, one per chunk, and the
 * reply a person reads is the first. A refusal is delivered as the reply's text and ends with
 * finish reason `refusal`, so a refused request never shows an empty reply.
 */
export function applyChunk(chunk: ChatCompletionPayload, state: CompletionState, deliver: Deliver): void {
  applyFacts(state, chunk, 'prompt', 'completion');
  // `choices` that is not a list throws here, which the request path reports as `invalid-response`.
  for (const choice of chunk.choices ?? []) {
    if (choice.index) continue;
    const { content, refusal } = choice.delta ?? choice.message ?? {};
    if (refusal) state.finishReason = 'refusal';
    deliver(content || refusal || '');
    finish(state, choice.finish_reason);
  }
}
