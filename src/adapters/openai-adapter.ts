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
import { chatCompletionBody, requestHeaders } from './request-body';
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
  /** Chat Completions options passed through as they are: temperature, top_p, max_completion_tokens, stop, seed, user, … */
  withModelOptions(options: ModelOptions): OpenAiAdapterBuilder;
}

/** Chat Completions request options other than `model`, `messages` and the stream flags chatwire sets. */
export interface ModelOptions {
  temperature?: number;
  top_p?: number;
  max_completion_tokens?: number;
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
  modelOptions?: Readonly<ModelOptions>;
}

const RESERVED = /^(model|messages|stream|stream_options)$/;
const NUMERIC = /^(temperature|top_p|max_completion_tokens|presence_penalty|frequency_penalty|seed|n)$/;

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
  const url = settings.baseUrl.replace(/\/*$/, '/chat/completions');
  return createStandardAdapter(settings.mode, async (message, extras, stream) => {
    const body = chatCompletionBody(settings, message, extras, stream);
    const secret = await resolveKey(apiKey);
    const headers = requestHeaders(settings.headers, extras, settings.openAiHeaders, {
      Authorization: `Bearer ${secret}`,
    });
    return { ...settings, url, headers, body, signal: extras.signal, secret };
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
    withModelOptions: (options) => ({ modelOptions: checkModelOptions(options) }),
  };
  return makeBuilder(
    { ...SHARED_DEFAULTS, baseUrl: 'https://api.openai.com/v1', openAiHeaders: {} },
    setters,
    createAdapter,
  );
}
