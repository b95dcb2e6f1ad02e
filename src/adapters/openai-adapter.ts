import { ChatError } from '../core/errors';
import {
  type ChatAdapterBuilder,
  makeBuilder,
  SHARED_DEFAULTS,
  type SharedSettings,
} from './adapter-builder';
import { type ApiKeySource, checkKeySource, resolveKey } from './api-key';
import { chatCompletionBody, requestHeaders } from './request-body';
import { createStandardAdapter } from './standard-adapter';
import { warnIfKeyIsPublic } from './unsafe-key-warning';
import { checkHeaderValue, checkRecord, checkText, checkUrl, expected } from './validate';

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
  organization?: string;
  project?: string;
  modelOptions?: Readonly<ModelOptions>;
}

const RESERVED = ['model', 'messages', 'stream', 'stream_options'];
const NUMERIC = [
  'temperature',
  'top_p',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'n',
];

function checkModelOptions(options: unknown): Readonly<ModelOptions> {
  const record = checkRecord(options, 'modelOptions');
  for (const [name, value] of Object.entries(record)) {
    if (RESERVED.includes(name)) throw expected(`modelOptions.${name}`, 'nothing: the adapter sets it');
    if (NUMERIC.includes(name) && typeof value !== 'number')
      throw expected(`modelOptions.${name}`, 'a number');
  }
  return Object.freeze({ ...record });
}

function createAdapter(settings: OpenAiSettings) {
  const { apiKey, organization, project } = settings;
  if (!apiKey)
    throw new ChatError(
      'missing-api-key',
      'createUnsafeChatAdapter() needs .withApiKey(key) before create()',
    );
  warnIfKeyIsPublic();
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return createStandardAdapter(settings.mode, async (message, extras, stream) => {
    const body = chatCompletionBody(
      settings.model,
      settings.systemMessage,
      message,
      extras,
      stream,
      settings.modelOptions,
    );
    const own: Record<string, string> = {};
    if (organization) own['OpenAI-Organization'] = organization;
    if (project) own['OpenAI-Project'] = project;
    const headers = requestHeaders(own, settings.headers, extras);
    const key = await resolveKey(apiKey);
    headers.Authorization = `Bearer ${key}`;
    return { ...settings, url, headers, body, signal: extras.signal, secret: key };
  });
}

function build(settings: OpenAiSettings): OpenAiAdapterBuilder {
  return makeBuilder(settings, build, (next) => ({
    withApiKey: (key) => next({ apiKey: checkKeySource(key) }),
    withBaseUrl: (url) => next({ baseUrl: checkUrl(url, 'baseUrl') }),
    withOrganization: (id) =>
      next({ organization: checkHeaderValue(checkText(id, 'organization'), 'organization') }),
    withProject: (id) => next({ project: checkHeaderValue(checkText(id, 'project'), 'project') }),
    withModelOptions: (options) => next({ modelOptions: checkModelOptions(options) }),
    create: () => createAdapter(settings),
  }));
}

/**
 * Starts a builder for an adapter that calls OpenAI straight from the browser. The key is then in
 * the page, readable by every visitor: fine for local tools and demos; for a public site use
 * `createChatAdapter().withUrl(…)` with `createOpenAiProxy()` on your server.
 */
export function createUnsafeChatAdapter(): OpenAiAdapterBuilder {
  return build({ ...SHARED_DEFAULTS, baseUrl: 'https://api.openai.com/v1' });
}
