import { ChatError } from '../core/errors';
import type { StandardChatAdapter } from '../core/types';
import {
  type ChatAdapterBuilder,
  makeBuilder,
  type Setters,
  SHARED_DEFAULTS,
  SHARED_SETTERS,
  type SharedSettings,
} from './adapter-builder';
import { type ApiKeySource, checkKeySource, resolveKey } from './api-key';
import { checkForApi } from './api-options';
import { requestBody, requestHeaders } from './request-body';
import { createStandardAdapter } from './standard-adapter';
import { warnIfKeyIsPublic } from './unsafe-key-warning';
import { check, checkHeaderValue, checkRecord, checkText, checkUrl } from './validate';

/** Builds an adapter that calls OpenAI (or any OpenAI-compatible server) directly from the page. */
export interface OpenAiAdapterBuilder extends ChatAdapterBuilder<OpenAiAdapterBuilder> {
  /** The API key, or a function returning it (sync or async), called for every request. */
  withApiKey(key: ApiKeySource): OpenAiAdapterBuilder;
  /** Default `https://api.openai.com/v1`; any OpenAI-compatible server. */
  withBaseUrl(url: string): OpenAiAdapterBuilder;
  /** Sent as `OpenAI-Organization`. */
  withOrganization(id: string): OpenAiAdapterBuilder;
  /** Sent as `OpenAI-Project`. */
  withProject(id: string): OpenAiAdapterBuilder;
  /**
   * Request options passed through: temperature, top_p, max_completion_tokens, user, store, … The
   * token cap is sent under the API's own name (`max_output_tokens` on Responses). On Responses,
   * `store` defaults to false, and Chat-Completions-only options (stop, seed, n, presence_penalty,
   * frequency_penalty, logit_bias, logprobs, response_format, verbosity, reasoning_effort, …) throw.
   */
  withModelOptions(options: ModelOptions): OpenAiAdapterBuilder;
}

/** Request options other than the model, the messages and the stream flags chatwire sets. */
export interface ModelOptions {
  temperature?: number;
  top_p?: number;
  /** The token cap; on Responses it is sent as `max_output_tokens` (that name is accepted too). */
  max_completion_tokens?: number;
  max_output_tokens?: number;
  /** Responses: keep the response on OpenAI's side (default false). */
  store?: boolean;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string | string[];
  seed?: number;
  user?: string;
  [option: string]: unknown;
}

interface OpenAiSettings extends SharedSettings {
  apiKey?: ApiKeySource;
  baseUrl: string;
  /** `OpenAI-Organization` and `OpenAI-Project`, as set. */
  openAiHeaders: Readonly<Record<string, string>>;
}

// Set by the adapter from other settings: `stream`, `stream_options`, the messages of both APIs.
const RESERVED = /^(model|messages|input|instructions|reasoning|stream\w*)$/;
// temperature, top_p, the token caps (max_tokens, max_completion_tokens, max_output_tokens), the penalties, seed, n.
const NUMERIC = /^(temperature|top_p|max_\w*tokens|\w+_penalty|seed|n)$/;

function checkModelOptions(options: unknown): Readonly<ModelOptions> {
  const record = { ...checkRecord(options, 'modelOptions') };
  for (const name in record) {
    check(!RESERVED.test(name), 0, `modelOptions.${name}`, 'nothing: the adapter sets it');
    check(!NUMERIC.test(name) || typeof record[name] === 'number', 0, `modelOptions.${name}`, 'a number');
  }
  return record;
}

/** A setter for one of the OpenAI headers. */
const openAiHeader =
  (name: string, what: string) =>
  (id: unknown, settings: OpenAiSettings): Partial<OpenAiSettings> => ({
    openAiHeaders: { ...settings.openAiHeaders, [name]: checkHeaderValue(checkText(id, what), what) },
  });

function createAdapter(settings: OpenAiSettings): StandardChatAdapter {
  const { apiKey } = settings;
  if (!apiKey) throw new ChatError('missing-api-key', 'Call .withApiKey(key) before create()');
  warnIfKeyIsPublic();
  const responses = settings.api === 'responses';
  const url = settings.baseUrl.replace(/\/*$/, responses ? '/responses' : '/chat/completions');
  // OpenAI-compatible servers often have no `/responses`: a bare 404/405 there says what to change.
  const notFoundHint = responses ? ". No Responses API here? Use .withApi('chat-completions')" : '';
  return createStandardAdapter(settings.mode, async (message, extras, stream) => {
    const body = requestBody(settings, message, extras, stream);
    const secret = await resolveKey(apiKey);
    const headers = requestHeaders(settings.headers, extras, settings.openAiHeaders, {
      Authorization: `Bearer ${secret}`,
    });
    return { ...settings, url, headers, body, signal: extras.signal, secret, notFoundHint };
  });
}

/**
 * Starts a builder for an adapter that calls OpenAI straight from the browser. The key is then in
 * the page, readable by every visitor: fine for local tools and demos; for a public site use
 * `createChatAdapter().withUrl(…)` with `createOpenAiProxy()` on your server.
 */
export function createUnsafeChatAdapter(): OpenAiAdapterBuilder {
  // The setters are made here rather than at the top level, so that a bundle without this builder drops them.
  const setters: Setters<OpenAiSettings, OpenAiAdapterBuilder> = {
    ...SHARED_SETTERS,
    withApiKey: (key) => ({ apiKey: checkKeySource(key) }),
    withBaseUrl: (url) => ({ baseUrl: checkUrl(url, 'baseUrl') }),
    withOrganization: openAiHeader('OpenAI-Organization', 'organization'),
    withProject: openAiHeader('OpenAI-Project', 'project'),
    withModelOptions: (options, settings) =>
      checkForApi({ ...settings, modelOptions: checkModelOptions(options) }),
  };
  return makeBuilder(
    { ...SHARED_DEFAULTS, baseUrl: 'https://api.openai.com/v1', openAiHeaders: {} },
    setters,
    createAdapter,
  );
}
