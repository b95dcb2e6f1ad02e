import { invalidConfig } from '../core/errors';
import type { StandardChatAdapter } from '../core/types';
import {
  type ChatAdapterBuilder,
  makeBuilder,
  type Setters,
  SHARED_DEFAULTS,
  SHARED_SETTERS,
  type SharedSettings,
} from './adapter-builder';
import { requestBody, requestHeaders } from './request-body';
import { createStandardAdapter } from './standard-adapter';
import { checkChoice, checkUrl } from './validate';

/** Builds an adapter that talks to your own backend, which holds the key (e.g. `createOpenAiProxy()`). */
export interface BackendAdapterBuilder extends ChatAdapterBuilder<BackendAdapterBuilder> {
  /** Where to POST the request body (see `withApi`): absolute, or a path on this page's origin. Required. */
  withUrl(url: string): BackendAdapterBuilder;
  /** `fetch` credentials mode, e.g. 'include' for a cookie-authenticated backend on another origin. */
  withCredentials(mode: RequestCredentials): BackendAdapterBuilder;
}

interface BackendSettings extends SharedSettings {
  url?: string;
  credentials?: RequestCredentials;
}

function createAdapter(settings: BackendSettings): StandardChatAdapter {
  const { url } = settings;
  if (!url) throw invalidConfig('createChatAdapter() needs .withUrl(url) before create()');
  return createStandardAdapter(settings.mode, async (message, extras, stream) => ({
    ...settings,
    url,
    // No key and no Authorization: the backend adds the key upstream.
    headers: requestHeaders(settings.headers, extras),
    body: requestBody(settings, message, extras, stream),
    signal: extras.signal,
  }));
}

/**
 * Starts a builder for the safe path: the page POSTs a Responses body (or, with
 * `withApi('chat-completions')`, a Chat Completions body) without a key to your backend, and reads
 * back either API's SSE, plain streamed text or either API's JSON, chosen by the response's content
 * type and shape.
 */
export function createChatAdapter(): BackendAdapterBuilder {
  // The setters are made here rather than at the top level, so that a bundle without this builder drops them.
  const setters: Setters<BackendSettings, BackendAdapterBuilder> = {
    ...SHARED_SETTERS,
    withUrl: (url) => ({ url: checkUrl(url, 'url', true) }),
    withCredentials: (mode) => ({
      credentials: checkChoice<RequestCredentials>(mode, ['omit', 'same-origin', 'include'], 'credentials'),
    }),
  };
  return makeBuilder({ ...SHARED_DEFAULTS }, setters, createAdapter);
}
