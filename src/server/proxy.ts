import { invalidConfig } from '../core/errors';
import { type ChatRequestLimits, type SanitizedRequest, sanitizeChatRequest } from './chat-request';
import { checkOrigin, corsHeaders, foreignOrigin, preflight } from './cors';
import type { FetchHandler } from './handler';
import { internalError, invalidRequest, jsonError, type Rejection } from './json-error';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limit';
import { readLimitedText } from './read-body';
import { mapUpstreamError } from './upstream-error';

/** Options of `createOpenAiProxy`. Only `apiKey` is needed for OpenAI itself. */
export interface OpenAiProxyOptions {
  /** The key sent upstream as `Authorization: Bearer …`. It never appears in any response. Required for OpenAI. */
  apiKey?: string;
  /**
   * Where requests go: an OpenAI-compatible base URL (default `https://api.openai.com/v1`;
   * `/chat/completions` is appended), or a handler such as `createOfflineModel()` called in-process.
   */
  upstream?: string | FetchHandler;
  /** Models a client may ask for; others get 400 `model_not_allowed`. Default: any model. */
  allowedModels?: readonly string[];
  /** Cap on `max_completion_tokens` sent upstream on every request. Default 2048. */
  maxCompletionTokens?: number;
  /**
   * Cross-origin pages allowed to call, as exact origins (`https://example.com`). Default: none, so
   * only same-origin pages may call; other origins get 403 and no CORS headers.
   */
  allowedOrigins?: readonly string[];
  /** Largest accepted request body, checked while reading (413 past it). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Most messages in one request (400 `too_many_messages` past it). Default 100. */
  maxMessages?: number;
  /**
   * Requests per client: `{ windowMs, max }` for the in-memory limiter, or your own `RateLimiter`
   * backed by a shared store when running several instances. Refused requests get 429 with
   * `Retry-After`. Default: no limit.
   */
  rateLimit?: { windowMs: number; max: number; store?: RateLimiter };
  /**
   * Who a request counts against for `rateLimit`. Default: `cf-connecting-ip`, else the last
   * `x-forwarded-for` entry, else `'anonymous'`. Without a reverse proxy in front those headers are
   * written by the client, so key on a session or user id instead.
   */
  clientKey?: (request: Request) => string | Promise<string>;
}

const openAiBaseUrl = 'https://api.openai.com/v1';
// A handler upstream still needs a URL on its Request; this one can never resolve to a real host.
const handlerUpstreamUrl = 'https://upstream.invalid/v1/chat/completions';
const forwardedHeaders = ['content-type', 'x-request-id'];

/**
 * A Fetch-standard `(Request) => Promise<Response>` handler that forwards Chat Completions requests
 * to OpenAI (or any compatible upstream) with the server's key. Mount it at any path on any runtime
 * (Node via `toNodeHandler`, Deno, Bun, Cloudflare Workers, Next.js route handlers).
 *
 * In order, it answers `OPTIONS` preflights for allowed origins, refuses other methods (405) and
 * foreign origins (403), applies the rate limit (429 + `Retry-After`), requires a JSON content type
 * (415), a body within `maxBodyBytes` (413) that parses (400), then checks fields, the model and the
 * message count (400). Everything else goes upstream, and the upstream response streams back as it
 * arrives; a client that disconnects aborts the upstream request. Every error is OpenAI-shaped JSON:
 * `{ "error": { "message", "type", "code" } }`.
 */
export function createOpenAiProxy(options: OpenAiProxyOptions = {}): (request: Request) => Promise<Response> {
  const upstream = options.upstream ?? openAiBaseUrl;
  const apiKey = options.apiKey || undefined;
  if (typeof upstream === 'string') {
    if (!/^https?:\/\/[^/]/.test(upstream)) {
      throw invalidConfig('createOpenAiProxy: upstream must be an http(s) URL or a handler.');
    }
    if (!apiKey && upstream.startsWith(openAiBaseUrl)) {
      throw invalidConfig('createOpenAiProxy: apiKey is required to call OpenAI (is OPENAI_API_KEY set?).');
    }
  }
  const maxBodyBytes = positiveInteger(options.maxBodyBytes, 64 * 1024, 'maxBodyBytes');
  const limits = {
    allowedModels: options.allowedModels,
    maxCompletionTokens: positiveInteger(options.maxCompletionTokens, 2048, 'maxCompletionTokens'),
    maxMessages: positiveInteger(options.maxMessages, 100, 'maxMessages'),
  };
  const rateLimit = options.rateLimit && {
    ...options.rateLimit,
    store: options.rateLimit.store ?? createMemoryRateLimiter(),
  };
  const clientKey = options.clientKey ?? (() => 'anonymous');
  // The global `fetch` is looked up per call, so a runtime or test that replaces it later is honoured.
  const callUpstream: FetchHandler = typeof upstream === 'string' ? (request) => fetch(request) : upstream;
  const upstreamUrl =
    typeof upstream === 'string' ? `${upstream.replace(/\/+$/, '')}/chat/completions` : handlerUpstreamUrl;

  const handle = async (request: Request): Promise<Response> => {
    const origin = checkOrigin(request, options.allowedOrigins);
    const refuse = async (rejection: Rejection) => {
      // An unread body is cancelled so the runtime stops receiving it instead of reading it to the end.
      if (!request.bodyUsed) await request.body?.cancel().catch(() => {});
      return jsonError({ ...rejection, headers: { ...rejection.headers, ...corsHeaders(origin) } });
    };

    if (request.method === 'OPTIONS') return preflight(request, origin);
    if (request.method !== 'POST') {
      return refuse({
        ...invalidRequest(405, 'method_not_allowed', `Use POST, not ${request.method}.`),
        headers: { allow: 'POST, OPTIONS' },
      });
    }
    if (origin.kind === 'foreign') return refuse(foreignOrigin);

    if (rateLimit) {
      const count = await rateLimit.store.add(`req:${await clientKey(request)}`, 1, rateLimit.windowMs);
      if (count.total > rateLimit.max) {
        const seconds = Math.max(1, Math.ceil(count.resetMs / 1000));
        return refuse({
          status: 429,
          type: 'requests',
          code: 'rate_limit_exceeded',
          message: `Too many requests. Try again in ${seconds} s.`,
          headers: { 'retry-after': String(seconds) },
        });
      }
    }

    const sanitized = await readChatRequest(request, maxBodyBytes, limits);
    if ('rejection' in sanitized) return refuse(sanitized.rejection);
    const { body } = sanitized;

    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    let upstreamResponse: Response;
    try {
      upstreamResponse = await callUpstream(
        new Request(upstreamUrl, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: request.signal,
        }),
      );
    } catch {
      // The message of a failed fetch can name the upstream host and is of no use to a browser.
      return refuse({
        status: 502,
        type: 'upstream_error',
        code: 'upstream_unreachable',
        message: 'The model provider could not be reached.',
      });
    }

    if (!upstreamResponse.ok) {
      const rejection = await mapUpstreamError(upstreamResponse, apiKey);
      const requestId = upstreamResponse.headers.get('x-request-id');
      return refuse({
        ...rejection,
        headers: { ...rejection.headers, ...(requestId && { 'x-request-id': requestId }) },
      });
    }

    return passThrough(upstreamResponse, corsHeaders(origin));
  };

  return async function openAiProxy(request) {
    try {
      return await handle(request);
    } catch {
      // A failing rate-limit store or clientKey callback: the same clean JSON on every runtime.
      return internalError();
    }
  };
}

/** Content type, size, JSON and fields, in that order: the first failure is the one reported. */
async function readChatRequest(
  request: Request,
  maxBodyBytes: number,
  limits: ChatRequestLimits,
): Promise<SanitizedRequest> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
    return {
      rejection: invalidRequest(415, 'unsupported_content_type', 'Send the body as application/json.'),
    };
  }
  const text = await readLimitedText(request, maxBodyBytes);
  if (typeof text !== 'string') return { rejection: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { rejection: invalidRequest(400, 'invalid_json', 'The request body is not valid JSON.') };
  }
  return sanitizeChatRequest(parsed, limits);
}

/** The upstream's successful response, streamed as is, with only the headers a client needs. */
function passThrough(upstream: Response, cors: Record<string, string>): Response {
  // Upstream headers such as set-cookie or openai-organization stay on the server.
  const headers = new Headers(cors);
  for (const name of forwardedHeaders) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('cache-control', 'no-cache, no-transform');
  // nginx and similar buffer responses by default, which would hold back a stream until it ends.
  headers.set('x-accel-buffering', 'no');
  return new Response(upstream.body, { status: upstream.status, headers });
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalidConfig(`createOpenAiProxy: ${name} must be a positive integer.`);
  }
  return value;
}
