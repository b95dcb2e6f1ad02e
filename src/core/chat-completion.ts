import type { ChatUsage } from './types';

/** The parts of a Chat Completions chunk (stream) or completion (JSON) that chatwire reads. */
export interface ChatCompletionPayload {
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: { content?: string | null };
    message?: { content?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: unknown;
}

/** What a reply has accumulated so far: the response sinks fill it, the request path returns it. */
export interface CompletionState {
  text: string;
  finishReason: string | null;
  usage?: ChatUsage;
  model?: string;
}

/**
 * Applies one chunk (or a whole JSON completion) to `state` and hands its text to `deliver`.
 * Only choice index 0 counts: a request with `n > 1` interleaves choices, one per chunk, and the
 * reply a person reads is the first. Refusal and tool-call deltas carry no `content`, so such
 * streams end with empty text and their own finish reason.
 */
export function applyChunk(
  chunk: ChatCompletionPayload,
  state: CompletionState,
  deliver: (text: string) => void,
): void {
  const { model, usage, choices = [] } = chunk;
  if (model) state.model = model;
  if (usage) {
    state.usage = {
      promptTokens: usage.prompt_tokens ?? 0,
      completionTokens: usage.completion_tokens ?? 0,
      totalTokens: usage.total_tokens ?? 0,
    };
  }
  for (const choice of choices) {
    if (choice.index) continue;
    deliver((choice.delta ?? choice.message)?.content ?? '');
    if (choice.finish_reason) state.finishReason = choice.finish_reason;
  }
}
