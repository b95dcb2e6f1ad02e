import { invalidConfig } from '../core/errors';
import { apiPaths, type ProxyApi, routeApi } from './api-route';
import { sanitizeChatRequest } from './chat-request';
import { createIdentifier, type Identify, type TrustProxy } from './client-identity';
import { type BudgetOptions, createClientLimits, type RateLimitOptions, type Settle } from './client-limits';
import { checkOrigin, corsHeaders, foreignOrigin, preflight } from './cors';
import type { ConnectionInfo, FetchHandler } from './handler';
import { createHostCheck } from './host-check';
import { internalError, invalidRequest, jsonError, type Rejection } from './json-error';
import { type NodeFastPath, nodeFastPath } from './node-fast-path';
import { relayToNode } from './node-relay';
import { createNodeUpstream } from './node-upstream';
import { readLimitedText } from './read-body';
import { type RelayOutcome, relayStream } from './relay-stream';
import {
  invalid,
  isRecord,
  type ReasoningEffort,
  type RequestPolicy,
  reasoningEfforts,
} from './request-fields';
import type { IncomingRequest, RequestHead } from './request-head';
import { sanitizeResponsesRequest } from './responses-request';
import { type UpstreamCall, upstreamTimeout, upstreamUnreachable } from './upstream-call';
import { mapUpstreamError } from './upstream-error';
import type { UsageReport } from './usage';

/** What `onUsage` is told about each request, once it has ended. It never holds the key. */
export interface UsageEvent {
  /** Who the request counted against: `ip:<address>` (IPv6 per /64) or `user:<identify's id>`; null when unknown. */
  clientId: string | null;
  /** The model asked for, once the body was read and allowed; else null. */
  model: string | null;
  /** The API the request spoke, once known. */
  api: ProxyApi | null;
  /** Tokens the upstream reported for the reply, or null when it reported none. */
  usage: UsageReport | null;
  /** The upstream's `x-request-id`, when the request reached it. */
  requestId: string | null;
  /** `completed`: the reply ended normally; `failed`: refused, errored or timed out; `aborted`: the client left. */
  outcome: RelayOutcome;
  /** The HTTP status the client was answered with. */
  status: number;
}

/** Options of `createOpenAiProxy`. `allowedModels` is required, and `apiKey` for OpenAI itself. */
export interface OpenAiProxyOptions {
  /** The key sent upstream as `Authorization: Bearer …`. It never appears in any response. Required for OpenAI. */
  apiKey?: string;
  /**
   * Where requests go: an OpenAI-compatible base URL (default `https://api.openai.com/v1`; `/responses`
   * or `/chat/completions` is appended), or a handler such as `createOfflineModel()` called in-process
   * (its request URL ends the same way).
   */
  upstream?: string | FetchHandler;
  /** Models a client may ask for (required); others get 400 `model_not_allowed`. */
  allowedModels: readonly string[];
  /** Cap on output tokens (`max_completion_tokens`, `max_output_tokens`) sent upstream on every request. Default 2048. */
  maxCompletionTokens?: number;
  /**
   * The system message, set by the server: the first system message on Chat Completions, the start of
   * `instructions` on Responses.
   */
  systemMessage?: string;
  /**
   * Accept `system`/`developer` messages and `instructions` from the client (after `systemMessage`).
   * Default false: they are refused with 400 `system_message_not_allowed`, because the page is not the
   * one who decides what the server's key is told to do.
   */
  allowClientSystemMessages?: boolean;
  /** The highest reasoning effort a client may ask for; higher is refused (400), not lowered. Default `'medium'`. */
  maxReasoningEffort?: ReasoningEffort;
  /**
   * Cross-origin pages allowed to call, as exact origins (`https://example.com`). Default: none, so
   * only same-origin pages may call; other origins get 403 and no CORS headers.
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names this server answers for (`example.com`, or `localhost:8787` for one port); others get
   * 403 `host_not_allowed`. Guards against DNS rebinding. Default: any host.
   */
  allowedHosts?: readonly string[];
  /** Largest accepted request body, checked while reading (413 past it). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Most messages (or Responses input items) in one request (400 `too_many_messages` past it). Default 100. */
  maxMessages?: number;
  /** Requests per client; 429 `rate_limit_exceeded` with `Retry-After` past it. Default: no limit. */
  rateLimit?: RateLimitOptions;
  /**
   * Tokens per client, as replies report them; 429 `budget_exceeded` with `Retry-After` past it. Running
   * requests hold their worst case, so parallel ones cannot overshoot it (see `BudgetOptions`). Default: none.
   */
  budget?: BudgetOptions;
  /**
   * Which forwarding headers tell the client's address. Default: none is believed, and the client is the
   * connection's address (from `toNodeHandler`, Deno, Bun or `{ clientAddress }`).
   */
  trustProxy?: TrustProxy;
  /** Names the client a request counts against (e.g. your signed-in user); falls back to the address. */
  identify?: Identify;
  /**
   * Upstream timeouts in ms: `request` until the response starts (504 `upstream_timeout` after it),
   * `idle` between chunks of a reply (the reply then ends with an error event). Defaults 120,000 and 60,000.
   */
  timeout?: { request?: number; idle?: number };
  /**
   * Called once per request when it has ended, for metering and logs; errors it throws are ignored.
   * Preflights (`OPTIONS`) are not reported.
   */
  onUsage?: (event: UsageEvent) => void | Promise<void>;
}

/** The proxy handler: `Request → Response`, with the connection's details when the runtime has them. */
export type OpenAiProxy = (request: Request, connection?: ConnectionInfo | object) => Promise<Response>;

const openAiBaseUrl = 'https://api.openai.com/v1';
// A handler upstream still needs a URL on its Request; this one can never resolve to a real host.
const handlerUpstreamBase = 'https://upstream.invalid/v1';
const forwardedHeaders = ['content-type', 'x-request-id'];

/**
 * A Fetch-standard handler that forwards Responses and Chat Completions requests to OpenAI (or any
 * compatible upstream) with the server's key. Mount it at any path on any runtime (Node via
 * `toNodeHandler`, Deno, Bun, Cloudflare Workers, Next.js route handlers), or as an OpenAI base URL
 * (`…/v1`, so `/v1/responses` and `/v1/chat/completions` reach it).
 *
 * In order, it answers `OPTIONS` preflights for allowed origins, refuses other hosts (403), other
 * methods (405) and foreign origins (403), applies the rate limit and token budget per client (429 +
 * `Retry-After`), requires a JSON content type (415), a body within `maxBodyBytes` (413) that parses
 * (400), then checks fields, the model and the message count (400). Everything else goes upstream, and
 * the upstream response streams back as it arrives; a client that disconnects aborts the upstream
 * request. Every error is OpenAI-shaped JSON: `{ "error": { "message", "type", "code" } }`.
 */
export function createOpenAiProxy(options: OpenAiProxyOptions): OpenAiProxy {
  if (!isRecord(options))
    throw invalidConfig('createOpenAiProxy: pass an options object with allowedModels.');
  const upstream = options.upstream ?? openAiBaseUrl;
  const apiKey = options.apiKey || undefined;
  if (typeof upstream === 'string') {
    if (!/^https?:\/\/[^/]/.test(upstream)) {
      throw invalidConfig('createOpenAiProxy: upstream must be an http(s) URL or a handler.');
    }
    if (!apiKey && upstream.startsWith(openAiBaseUrl)) {
      throw invalidConfig('createOpenAiProxy: apiKey is required to call OpenAI (is OPENAI_API_KEY set?).');
    }
  } else if (typeof upstream !== 'function') {
    throw invalidConfig('createOpenAiProxy: upstream must be an http(s) URL or a handler.');
  }
  const { allowedModels } = options;
  if (
    !Array.isArray(allowedModels) ||
    allowedModels.length === 0 ||
    allowedModels.some((model) => typeof model !== 'string' || model === '')
  ) {
    throw invalidConfig(
      "createOpenAiProxy: allowedModels is required: list the models clients may use, e.g. ['gpt-4o-mini'].",
    );
  }
  const maxReasoningEffort = options.maxReasoningEffort ?? 'medium';
  if (!reasoningEfforts.includes(maxReasoningEffort)) {
    throw invalidConfig(
      `createOpenAiProxy: maxReasoningEffort must be one of: ${reasoningEfforts.join(', ')}.`,
    );
  }
  if (options.systemMessage !== undefined && typeof options.systemMessage !== 'string') {
    throw invalidConfig('createOpenAiProxy: systemMessage must be a string.');
  }
  const policy: RequestPolicy = {
    allowedModels: [...allowedModels],
    maxCompletionTokens: positiveInteger(options.maxCompletionTokens, 2048, 'maxCompletionTokens'),
    maxMessages: positiveInteger(options.maxMessages, 100, 'maxMessages'),
    systemMessage: options.systemMessage || undefined,
    allowClientSystemMessages: options.allowClientSystemMessages === true,
    maxReasoningEffort,
  };
  const maxBodyBytes = positiveInteger(options.maxBodyBytes, 64 * 1024, 'maxBodyBytes');
  const requestTimeoutMs = positiveInteger(options.timeout?.request, 120_000, 'timeout.request');
  const idleTimeoutMs = positiveInteger(options.timeout?.idle, 60_000, 'timeout.idle');
  if (options.onUsage !== undefined && typeof options.onUsage !== 'function') {
    throw invalidConfig('createOpenAiProxy: onUsage must be a function.');
  }
  const checkHost = createHostCheck(options.allowedHosts);
  const identifier = createIdentifier(options.trustProxy, options.identify);
  const limits = createClientLimits(options.rateLimit, options.budget);
  // The global `fetch` is looked up per call, so a runtime or test that replaces it later is honoured.
  const callUpstream: FetchHandler = typeof upstream === 'string' ? (request) => fetch(request) : upstream;
  const upstreamBase = typeof upstream === 'string' ? upstream.replace(/\/+$/, '') : handlerUpstreamBase;

  /** One request's progress, for the single `onUsage` call and the budget charge at its end. */
  interface Turn {
    clientId: string | undefined;
    model: string | null;
    api: ProxyApi | null;
    requestId: string | null;
    /** Ends the request's budget reservation, once: set while one is held. */
    settle: Settle | undefined;
  }

  /** Charges what the request spent (0 when the upstream refused it or never got it) and drops its reservation. */
  const settle = (turn: Turn, spent: number) => {
    const end = turn.settle;
    turn.settle = undefined;
    void end?.(spent);
  };

  const report = (turn: Turn, outcome: RelayOutcome, status: number, usage: UsageReport | undefined) => {
    if (!options.onUsage) return;
    const event: UsageEvent = {
      clientId: turn.clientId ?? null,
      model: turn.model,
      api: turn.api,
      usage: usage ?? null,
      requestId: turn.requestId,
      outcome,
      status,
    };
    try {
      Promise.resolve(options.onUsage(event)).catch(() => {});
    } catch {
      // A throwing meter must not turn a delivered reply into an error.
    }
  };

  /** Runs every check on the request: a refusal, or the call to make upstream. */
  const check = async (incoming: IncomingRequest, turn: Turn): Promise<Response | UpstreamCall> => {
    const request = incoming.head;
    const origin = checkOrigin(request, options.allowedOrigins);
    const refuse = async (rejection: Rejection) => {
      // An unread body is cancelled so the runtime stops receiving it instead of reading it to the end.
      const { body } = incoming;
      if (body instanceof ReadableStream && !body.locked) await body.cancel().catch(() => {});
      settle(turn, 0);
      report(turn, 'failed', rejection.status, undefined);
      return jsonError({ ...rejection, headers: { ...rejection.headers, ...corsHeaders(origin) } });
    };

    const wrongHost = checkHost(request);
    if (wrongHost) return refuse(wrongHost);
    if (request.method !== 'POST') {
      return refuse({
        ...invalidRequest(405, 'method_not_allowed', `Use POST, not ${request.method}.`),
        headers: { allow: 'POST, OPTIONS' },
      });
    }
    if (origin.kind === 'foreign') return refuse(foreignOrigin);

    turn.clientId = await identifier(request, incoming.request, incoming.connection);
    const limited = await limits.admit(turn.clientId);
    if (limited) return refuse(limited);

    const parsed = await readJsonBody(request, incoming.body, maxBodyBytes);
    if ('rejection' in parsed) return refuse(parsed.rejection);
    const { json } = parsed;
    const api = routeApi(new URL(request.url).pathname, json);
    if (!api) {
      const both = 'messages' in json && 'input' in json;
      return refuse(
        both
          ? invalid('Send either "messages" (Chat Completions) or "input" (Responses), not both.')
          : invalidRequest(
              400,
              'missing_field',
              'The field "messages" (or "input" for Responses) is required.',
            ),
      );
    }
    turn.api = api;
    const sanitized =
      api === 'responses' ? sanitizeResponsesRequest(json, policy) : sanitizeChatRequest(json, policy);
    if ('rejection' in sanitized) return refuse(sanitized.rejection);
    const { body } = sanitized;
    turn.model = body.model as string;
    const upstreamBody = JSON.stringify(body);
    // What a reply that never reports usage (the client left, the upstream broke off) is charged: its
    // input at ~4 characters a token and its whole output cap, so walking away early saves nothing.
    const worstCase =
      Math.ceil(upstreamBody.length / 4) + ((body.max_completion_tokens ?? body.max_output_tokens) as number);
    // Held until the request ends, so requests running in parallel cannot all spend the same budget.
    const reserved = await limits.reserve(turn.clientId, worstCase);
    if (typeof reserved !== 'function') return refuse(reserved);
    turn.settle = reserved;

    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return {
      api,
      url: `${upstreamBase}${apiPaths[api]}`,
      headers,
      body: upstreamBody,
      cors: corsHeaders(origin),
      refuse,
      async refuseUpstreamError(upstreamResponse) {
        turn.requestId = upstreamResponse.headers.get('x-request-id');
        const rejection = await mapUpstreamError(upstreamResponse, apiKey);
        return refuse({
          ...rejection,
          headers: { ...rejection.headers, ...(turn.requestId && { 'x-request-id': turn.requestId }) },
        });
      },
      started(requestId) {
        turn.requestId = requestId;
      },
      end(outcome, status, usage) {
        settle(turn, usage ? usage.totalTokens : worstCase);
        report(turn, outcome, status, usage);
      },
      left(sent) {
        settle(turn, sent ? worstCase : 0);
        report(turn, 'aborted', 499, undefined);
      },
    };
  };

  /** The upstream call through the global `fetch`, its reply relayed as a web stream: every runtime. */
  const relayWithFetch = async (signal: AbortSignal, call: UpstreamCall): Promise<Response> => {
    const upstreamAbort = new AbortController();
    const abortUpstream = () => upstreamAbort.abort();
    signal.addEventListener('abort', abortUpstream, { once: true });
    if (signal.aborted) abortUpstream();

    const started = await withDeadline(async () => {
      const response = await callUpstream(
        new Request(call.url, {
          method: 'POST',
          headers: call.headers,
          body: call.body,
          signal: upstreamAbort.signal,
          // Following a redirect would send the key to wherever the upstream points. Not `'error'`:
          // workerd refuses that value, so a redirect is turned into a failure here instead.
          redirect: 'manual',
        }),
      );
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel().catch(() => {});
        throw new Error('The upstream answered with a redirect.');
      }
      return response;
    }, requestTimeoutMs);
    if (started.kind !== 'response') {
      abortUpstream();
      signal.removeEventListener('abort', abortUpstream);
      if (signal.aborted) {
        call.left(true);
        return new Response(null, { status: 499 });
      }
      return call.refuse(started.kind === 'timeout' ? upstreamTimeout : upstreamUnreachable);
    }
    const upstreamResponse = started.response;
    if (!upstreamResponse.ok) {
      signal.removeEventListener('abort', abortUpstream);
      return call.refuseUpstreamError(upstreamResponse);
    }
    call.started(upstreamResponse.headers.get('x-request-id'));

    const status = upstreamResponse.status;
    const sse = (upstreamResponse.headers.get('content-type') ?? '').includes('text/event-stream');
    const relayed = upstreamResponse.body
      ? relayStream(upstreamResponse.body, {
          api: call.api,
          sse,
          idleMs: idleTimeoutMs,
          abortUpstream,
          onEnd: ({ outcome, usage }) => {
            signal.removeEventListener('abort', abortUpstream);
            // A client that left can also surface as the upstream read failing (it was aborted for them).
            call.end(outcome === 'failed' && signal.aborted ? 'aborted' : outcome, status, usage);
          },
        })
      : null;
    if (!relayed) call.end('completed', status, undefined);
    return passThrough(upstreamResponse, relayed, call.cors);
  };

  /** Preflights, then the checks, then `relay`; anything thrown becomes a clean 500. */
  const serve = async (
    incoming: IncomingRequest,
    relay: (call: UpstreamCall) => Promise<Response | undefined>,
  ): Promise<Response | undefined> => {
    const request = incoming.head;
    if (request.method === 'OPTIONS') {
      const wrongHost = checkHost(request);
      return wrongHost
        ? jsonError(wrongHost)
        : preflight(request, checkOrigin(request, options.allowedOrigins));
    }
    const turn: Turn = { clientId: undefined, model: null, api: null, requestId: null, settle: undefined };
    let relaying = false;
    try {
      const checked = await check(incoming, turn);
      if (checked instanceof Response) return checked;
      relaying = true;
      return await relay(checked);
    } catch {
      // A throwing identify callback or store: the same clean JSON, with CORS so the page can read it.
      // (The relays report their own ending and do not throw once they started.)
      settle(turn, 0);
      if (!relaying) report(turn, 'failed', 500, undefined);
      const response = internalError();
      for (const [name, value] of Object.entries(corsHeaders(checkOrigin(request, options.allowedOrigins)))) {
        response.headers.set(name, value);
      }
      return response;
    }
  };

  const openAiProxy: OpenAiProxy = async (request, connection) => {
    const incoming = { head: request, body: request.body, request: () => request, connection };
    return (await serve(incoming, (call) => relayWithFetch(request.signal, call))) as Response;
  };
  if (typeof upstream === 'string') {
    const nodeUpstream = createNodeUpstream();
    const viaNode: NodeFastPath = {
      serve: ({ res, signal, writeTimeoutMs, ...incoming }) =>
        serve(incoming, (call) => {
          const client = nodeUpstream();
          if (!client) return relayWithFetch(signal, call);
          return relayToNode(call, client, res, { requestTimeoutMs, idleTimeoutMs, writeTimeoutMs });
        }),
      maxBodyBytes,
    };
    Object.defineProperty(openAiProxy, nodeFastPath, { value: viaNode });
  }
  return openAiProxy;
}

/** Content type, size and JSON, in that order: the first failure is the one reported. */
async function readJsonBody(
  request: RequestHead,
  body: IncomingRequest['body'],
  maxBodyBytes: number,
): Promise<{ json: Record<string, unknown> } | { rejection: Rejection }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
    return {
      rejection: invalidRequest(415, 'unsupported_content_type', 'Send the body as application/json.'),
    };
  }
  const text = await readLimitedText(request.headers, body, maxBodyBytes);
  if (typeof text !== 'string') return { rejection: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { rejection: invalidRequest(400, 'invalid_json', 'The request body is not valid JSON.') };
  }
  if (!isRecord(parsed)) {
    return { rejection: invalidRequest(400, 'invalid_json', 'The request body must be a JSON object.') };
  }
  return { json: parsed };
}

type Started = { kind: 'response'; response: Response } | { kind: 'failed' } | { kind: 'timeout' };

/** The upstream call, given at most `ms` to start answering. */
function withDeadline(call: () => Promise<Response>, ms: number): Promise<Started> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve({ kind: 'timeout' });
    }, ms);
    call().then(
      (response) => {
        clearTimeout(timer);
        if (settled) response.body?.cancel().catch(() => {});
        else resolve({ kind: 'response', response });
      },
      () => {
        clearTimeout(timer);
        if (!settled) resolve({ kind: 'failed' });
      },
    );
  });
}

/** The upstream's successful response, streamed through the relay, with only the headers a client needs. */
function passThrough(
  upstream: Response,
  body: ReadableStream<Uint8Array> | null,
  cors: Record<string, string>,
): Response {
  // Upstream headers such as set-cookie or openai-organization stay on the server.
  const headers = new Headers(cors);
  for (const name of forwardedHeaders) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('cache-control', 'no-cache, no-transform');
  // nginx and similar buffer responses by default, which would hold back a stream until it ends.
  headers.set('x-accel-buffering', 'no');
  return new Response(body, { status: upstream.status, headers });
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalidConfig(`createOpenAiProxy: ${name} must be a positive integer.`);
  }
  return value;
}
