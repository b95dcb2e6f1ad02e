import { ChatError, type ChatErrorCode } from './errors';
import { rateLimitOf } from './rate-limit-headers';
import { redactKey } from './redact-key';
import { retryAfterMs } from './retry-after';

/** The `error` object OpenAI (and most compatible servers) put in error bodies and stream events. */
interface ApiErrorBody {
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

function codeForStatus(status: number, apiCode: unknown): ChatErrorCode {
  // Running out of quota is a 429 too, but waiting does not help.
  if (status === 429) return apiCode === 'insufficient_quota' ? 'quota-exceeded' : 'rate-limited';
  if (status === 401) return 'invalid-api-key';
  if (status === 403) return 'permission-denied';
  // 405: the server has no such endpoint for POST (an OpenAI-compatible server without `/responses`).
  if (status === 404 || status === 405) return 'not-found';
  if (status === 408) return 'timeout';
  // 409 is a lock conflict on the server's side: transient like a 5xx, so retried like one.
  return status < 500 && status !== 409 ? 'bad-request' : 'server-error';
}

/** The upstream `error` object inside a parsed body, whether nested (`{error: {…}}`), a string, or bare. */
function apiError(parsed: unknown): ApiErrorBody | undefined {
  const error = (parsed as { error?: unknown } | undefined)?.error ?? parsed;
  if (typeof error === 'string') return { message: error };
  return error && typeof error === 'object' ? (error as ApiErrorBody) : undefined;
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message of an upstream `error` object, if it has one. */
function messageOf(error: ApiErrorBody | undefined): string {
  const message = error?.message;
  return typeof message === 'string' ? message : '';
}

/** The `code` of an upstream `error` object, when it is a string. */
function codeOf(error: ApiErrorBody | undefined): string | undefined {
  const code = error?.code;
  return typeof code === 'string' ? code : undefined;
}

// Server codes that waiting cannot fix, whatever the status says: a proxy answers 502
// `upstream_auth_failed` when its own key was refused, and retrying only repeats the refusal.
const FINAL = /^(upstream_auth_failed|upstream_permission_denied|budget_exceeded|insufficient_quota)$/;

/**
 * Turns a non-2xx response and its body text into a ChatError. A JSON body gives its own message
 * (redacted: OpenAI echoes the masked key on 401); an HTML page from a proxy or an empty body gives a
 * short "HTTP 502 Bad Gateway" instead of the page; a short plain-text body from a hand-written
 * backend is kept as the message.
 */
export function httpError(response: Response, body: string, key?: string, notFoundHint = ''): ChatError {
  const { status, statusText, headers } = response;
  const error = apiError(parseJson(body));
  const serverCode = codeOf(error);
  const text = body.trim();
  let message =
    messageOf(error) ||
    (text && text[0] !== '<' && text.length <= 200 ? text : `HTTP ${status} ${statusText}`.trim());
  const code = codeForStatus(status, error?.code ?? error?.type);
  // A missing endpoint has no error code; a missing model (`model_not_found`) has one and needs no hint.
  if (code === 'not-found' && !serverCode) message += notFoundHint;
  // 408 request timeout, 409 lock conflict, 429 rate limit and 5xx are transient; quota is not.
  const retryable =
    (code === 'timeout' || code === 'server-error' || code === 'rate-limited') &&
    !FINAL.test(serverCode ?? '');
  return new ChatError(code, redactKey(message, key), {
    status,
    requestId: headers.get('x-request-id') ?? undefined,
    retryable,
    retryAfterMs: code === 'rate-limited' ? retryAfterMs(headers) : undefined,
    serverCode,
    rateLimit: rateLimitOf(headers),
  });
}

/**
 * A ChatError from an error event or `{"error": …}` object inside a 2xx body: `quota-exceeded` when
 * it says `insufficient_quota` (as Responses streams do on HTTP 200), otherwise `stream-error`.
 */
export function streamError(parsed: unknown, key?: string): ChatError {
  const error = apiError(parsed);
  const serverCode = codeOf(error);
  return new ChatError(
    serverCode === 'insufficient_quota' ? 'quota-exceeded' : 'stream-error',
    redactKey(messageOf(error) || 'The server reported an error', key),
    { serverCode },
  );
}
