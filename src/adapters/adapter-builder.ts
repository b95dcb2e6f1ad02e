import type { FetchLike } from '../core/chat-request';
import type { AdapterBuilder, DataTransferMode, TimeoutOptions } from '../core/types';
import { checkChoice, checkHeaders, checkNumber, checkText, expected } from './validate';

/** Settings every builder has. */
export interface SharedSettings {
  model: string;
  systemMessage: string;
  mode: DataTransferMode;
  headers: Readonly<Record<string, string>>;
  requestTimeout: number;
  idleTimeout: number;
  maxRetries: number;
  fetch: FetchLike;
}

/** The methods both adapter builders share. Each returns a new frozen builder; the old one is unchanged. */
export interface ChatAdapterBuilder<Self> extends AdapterBuilder {
  /** The model to ask for (default `gpt-4o-mini`). */
  withModel(model: string): Self;
  /** A system message sent before the conversation; '' for none. */
  withSystemMessage(text: string): Self;
  /** 'stream' (default) delivers text as it arrives; 'batch' makes one non-streaming request. */
  withDataTransferMode(mode: DataTransferMode): Self;
  /** Extra request headers (replaces any set before). Values must be printable ASCII. */
  withHeaders(headers: Record<string, string>): Self;
  /** ms for both timeouts, or `{ request, idle }`: wait for headers / silence mid-stream. Default 60 s each. */
  withTimeout(timeout: number | TimeoutOptions): Self;
  /** How often a transient failure before the first byte is retried (default 2, at most 10). */
  withMaxRetries(retries: number): Self;
  /** A `fetch` to use instead of the global one (tests, instrumentation, other runtimes). */
  withFetch(fetchImpl: FetchLike): Self;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Shared defaults: the global fetch is looked up per call, so a page that replaces it later is honoured. */
export const SHARED_DEFAULTS: SharedSettings = Object.freeze({
  model: 'gpt-4o-mini',
  systemMessage: '',
  mode: 'stream',
  headers: Object.freeze({}),
  requestTimeout: 60_000,
  idleTimeout: 60_000,
  maxRetries: 2,
  fetch: (url: string, init: RequestInit) => fetch(url, init),
});

function checkMs(value: unknown, what: string): number {
  return checkNumber(value, 1, MAX_TIMER_MS, what);
}

type Next<S> = (patch: Partial<S>) => unknown;

function sharedMethods<S extends SharedSettings>(settings: S, next: Next<S>) {
  return {
    withModel: (model: unknown) => next({ model: checkText(model, 'model') } as Partial<S>),
    withSystemMessage: (text: unknown) => {
      if (typeof text !== 'string') throw expected('systemMessage', 'a string');
      return next({ systemMessage: text } as Partial<S>);
    },
    withDataTransferMode: (mode: unknown) =>
      next({ mode: checkChoice(mode, ['stream', 'batch'], 'dataTransferMode') } as Partial<S>),
    withHeaders: (headers: unknown) => next({ headers: checkHeaders(headers) } as Partial<S>),
    withTimeout: (timeout: unknown) => {
      if (typeof timeout === 'number') {
        const ms = checkMs(timeout, 'timeout');
        return next({ requestTimeout: ms, idleTimeout: ms } as Partial<S>);
      }
      if (!timeout || typeof timeout !== 'object') throw expected('timeout', 'ms or { request, idle }');
      const { request, idle } = timeout as TimeoutOptions;
      return next({
        requestTimeout: request === undefined ? settings.requestTimeout : checkMs(request, 'timeout.request'),
        idleTimeout: idle === undefined ? settings.idleTimeout : checkMs(idle, 'timeout.idle'),
      } as Partial<S>);
    },
    withMaxRetries: (retries: unknown) =>
      next({ maxRetries: checkNumber(retries, 0, 10, 'maxRetries', true) } as Partial<S>),
    withFetch: (fetchImpl: unknown) => {
      if (typeof fetchImpl !== 'function') throw expected('fetch', 'a function');
      // Called with the global as `this`: a browser's own fetch throws "Illegal invocation" otherwise.
      return next({ fetch: (url, init) => fetchImpl.call(globalThis, url, init) } as Partial<S>);
    },
  };
}

/**
 * The builder mechanics both adapters share. A builder is a frozen object of methods closed over
 * its settings: every `with*` validates and returns a new builder (made by `rebuild`) with one
 * setting replaced, and the settings (the API key among them) are not properties, so nothing
 * serializes or mutates them. A plain function rather than a factory-of-factories, so that a bundle
 * that imports one adapter drops the other.
 */
export function makeBuilder<S extends SharedSettings, B>(
  settings: S,
  rebuild: (settings: S) => B,
  ownMethods: (next: (patch: Partial<S>) => B) => Partial<B>,
): B {
  const next = (patch: Partial<S>) => rebuild({ ...settings, ...patch });
  return Object.freeze({ ...sharedMethods(settings, next), ...ownMethods(next) }) as B;
}
