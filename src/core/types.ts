import type { ChatError } from './errors';

/** One turn of a conversation, as the UI and adapters exchange it. */
export type ChatItem = {
  role: 'user' | 'assistant' | 'system';
  message: string;
};

/** Token counts reported by the server (`stream_options.include_usage` in stream mode). */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the prompt cache, when the server reported them. */
  cachedTokens?: number;
  /** Completion tokens spent on reasoning, when the server reported them. */
  reasoningTokens?: number;
}

/**
 * The server's `x-ratelimit-*` headers, read as numbers; reset times are durations in ms
 * (`6m0s` → 360000). Only the headers the server sent are set.
 */
export interface RateLimit {
  limitRequests?: number;
  remainingRequests?: number;
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

/** A web page the reply cites (a Responses `url_citation` annotation). */
export interface ChatSource {
  url: string;
  title: string;
}

/** What a finished reply carries besides its text. */
export interface ChatResult {
  /** The whole reply text: every delta passed to `next`, joined. */
  text: string;
  /** Why generation stopped: 'stop' | 'length' | 'tool_calls' | 'content_filter' | …, or null if unknown. */
  finishReason: string | null;
  /** Token counts, when the server reported them. */
  usage?: ChatUsage;
  /** The model that answered, as the server reports it. */
  model?: string;
  /** The `x-request-id` response header, for support tickets and logs. */
  requestId?: string;
  /** The reasoning summary (Responses API with `withReasoning({ summary })`), parts separated by a blank line. */
  reasoning?: string;
  /** Web pages the reply cites, in the order cited, each once. */
  sources?: ChatSource[];
  /** The server's id of this reply (`resp_…` on Responses, `chatcmpl-…` on Chat Completions). */
  responseId?: string;
  /** The rate limits the server reported with this reply, when it sent `x-ratelimit-*` headers. */
  rateLimit?: RateLimit;
}

/**
 * Receives a streamed reply. Exactly one of `complete` / `error` is called, once,
 * after all `next` calls.
 */
export interface StreamingAdapterObserver {
  /** The next piece of the reply, to append to what came before. */
  next(textDelta: string): void;
  /** The next piece of the reasoning summary, before or between the reply's text (optional). */
  reasoning?(delta: string): void;
  /** The reply finished; built-in adapters always pass its result. */
  complete(result?: ChatResult): void;
  /** The reply failed; `error.partialText` holds what `next` already received. */
  error(error: ChatError): void;
}

/** Per-call options for an adapter. */
export interface ChatAdapterExtras {
  /** Sent before the new user message, after the system message. */
  conversationHistory?: ChatItem[];
  /** Aborts the request at any time; the observer then gets a ChatError `aborted`. */
  signal?: AbortSignal;
  /** Extra request headers for this call only. */
  headers?: Record<string, string>;
}

/**
 * Anything that can answer a chat message. Built-in adapters have both methods;
 * a custom adapter needs `streamText` and/or `batchText`.
 */
export interface ChatAdapter {
  /** Streams the reply to `message` through `observer`. */
  streamText?(message: string, observer: StreamingAdapterObserver, extras?: ChatAdapterExtras): void;
  /** Resolves with the whole reply to `message`; rejects with a ChatError. */
  batchText?(message: string, extras?: ChatAdapterExtras): Promise<string>;
}

/** An adapter that has both methods, as `create()` returns. */
export interface StandardChatAdapter extends ChatAdapter {
  streamText(message: string, observer: StreamingAdapterObserver, extras?: ChatAdapterExtras): void;
  batchText(message: string, extras?: ChatAdapterExtras): Promise<string>;
}

/** A builder that can stand in for its adapter: `createAiChat().withAdapter(builder)` calls `create()`. */
export interface AdapterBuilder {
  /** The adapter these settings describe; throws a ChatError when a required setting is missing. */
  create(): StandardChatAdapter;
}

/** 'stream' delivers deltas as they arrive; 'batch' makes one non-streaming request. */
export type DataTransferMode = 'stream' | 'batch';

/** `request`: ms to wait for response headers; `idle`: ms a stream may go without a byte. */
export interface TimeoutOptions {
  request?: number;
  idle?: number;
}
