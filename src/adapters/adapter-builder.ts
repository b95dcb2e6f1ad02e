import type { FetchLike } from '../core/chat-request';
import type { AdapterBuilder, DataTransferMode, StandardChatAdapter, TimeoutOptions } from '../core/types';
import {
  type ApiSettings,
  type ChatApi,
  checkForApi,
  checkReasoning,
  type ReasoningOptions,
} from './api-options';
import { check, checkChoice, checkHeaders, checkNumber, checkRecord, checkText } from './validate';

/** Settings every builder has. */
export interface SharedSettings extends ApiSettings {
  model: string;
  systemMessage: string;
  mode: DataTransferMode;
  headers: Readonly<Record<string, string>>;
  requestTimeout: number;
  idleTimeout: number;
  maxRetries: number;
  /** Unset: the global fetch, looked up per call, so a page that replaces it later is honoured. */
  fetch?: FetchLike;
}

/** The methods both adapter builders share. Each returns a new frozen builder; the old one is unchanged. */
export interface ChatAdapterBuilder<Self> extends AdapterBuilder {
  /**
   * The API to speak: `'responses'` (default; OpenAI's `POST /responses`) or `'chat-completions'`
   * (`POST /chat/completions`, for OpenAI-compatible servers without Responses).
   */
  withApi(api: ChatApi): Self;
  /** The model to ask for (default `gpt-4o-mini`). */
  withModel(model: string): Self;
  /**
   * Sends `reasoning` (Responses) or `reasoning_effort` (Chat Completions) to a reasoning model;
   * `summary` (Responses only) streams a summary of its thinking to the observer's `reasoning()`.
   * Unset, nothing is sent: models without reasoning reject the field.
   */
  withReasoning(options: ReasoningOptions): Self;
  /** A system message sent before the conversation; '' for none. */
  withSystemMessage(text: string): Self;
  /** 'stream' (default) delivers text as it arrives; 'batch' makes one non-streaming request. */
  withDataTransferMode(mode: DataTransferMode): Self;
  /** Extra request headers (replaces any set before). Values must be printable ASCII. */
  withHeaders(headers: Record<string, string>): Self;
  /**
   * ms for both timeouts, or `{ request, idle }`: wait for headers / silence mid-stream; a field left
   * out keeps its current value. Default 60 s each.
   */
  withTimeout(timeout: number | TimeoutOptions): Self;
  /** How often a transient failure before the first byte is retried (default 2, at most 10). */
  withMaxRetries(retries: number): Self;
  /** A `fetch` to use instead of the global one (tests, instrumentation, other runtimes). */
  withFetch(fetchImpl: FetchLike): Self;
}

export const SHARED_DEFAULTS: SharedSettings = {
  api: 'responses',
  model: 'gpt-4o-mini',
  systemMessage: '',
  mode: 'stream',
  headers: {},
  requestTimeout: 60_000,
  idleTimeout: 60_000,
  maxRetries: 2,
};

/** For each `with*` method of builder `B`: what it changes in settings `S`, once its value is checked. */
export type Setters<S, B> = { [K in Exclude<keyof B, keyof AdapterBuilder>]: Setter<S> };
type Setter<S> = (value: unknown, settings: S) => Partial<S>;

const checkMs = (value: unknown) => checkNumber(value, 1, 2 ** 31 - 1, 'timeout');

/** The `with*` methods both builders have. */
export const SHARED_SETTERS: Setters<SharedSettings, ChatAdapterBuilder<unknown>> = {
  withApi: (api, settings) =>
    checkForApi({ ...settings, api: checkChoice<ChatApi>(api, ['responses', 'chat-completions'], 'api') }),
  withModel: (model) => ({ model: checkText(model, 'model') }),
  withReasoning: (options, settings) => checkForApi({ ...settings, reasoning: checkReasoning(options) }),
  withSystemMessage: (text) => ({
    systemMessage: check(typeof text === 'string', text as string, 'systemMessage', 'a string'),
  }),
  withDataTransferMode: (mode) => ({
    mode: checkChoice<DataTransferMode>(mode, ['stream', 'batch'], 'dataTransferMode'),
  }),
  withHeaders: (headers) => ({ headers: checkHeaders(headers) }),
  withTimeout: (timeout, settings) => {
    const { request = settings.requestTimeout, idle = settings.idleTimeout }: TimeoutOptions =
      typeof timeout === 'number' ? { request: timeout, idle: timeout } : checkRecord(timeout, 'timeout');
    return { requestTimeout: checkMs(request), idleTimeout: checkMs(idle) };
  },
  withMaxRetries: (retries) => ({ maxRetries: checkNumber(retries, 0, 10, 'maxRetries', true) }),
  withFetch: (fetchImpl) => ({
    fetch: check(typeof fetchImpl === 'function', fetchImpl as FetchLike, 'fetch', 'a function'),
  }),
};

/**
 * The builder mechanics both adapters share. A builder is a frozen object of methods closed over
 * its settings: every `with*` checks its value and returns a new builder with that setting
 * replaced, and the settings (the API key among them) are not properties, so nothing serializes or
 * mutates them.
 */
export function makeBuilder<S, B>(
  settings: S,
  setters: Setters<S, B>,
  create: (settings: S) => StandardChatAdapter,
): B {
  const builder: Record<string, unknown> = { create: () => create(settings) };
  for (const [name, set] of Object.entries<Setter<S>>(setters)) {
    builder[name] = (value: unknown) =>
      makeBuilder({ ...settings, ...set(value, settings) }, setters, create);
  }
  return Object.freeze(builder) as B;
}
