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

function codeForStatus(status: number, quota: boolean): ChatErrorCode {
  // Running out of quota is a 429 too, but waiting does not help.
  if (status === 429) return quota ? 'quota-exceeded' : 'rate-limited';
  if (status === 401) return 'invalid-api-key';
  if (status === 403) return 'permission-denied';
  // 405: the server has no such endpoint for POST (an OpenAI-compatible server without `/responses`).
  if (status === 404 || status === 405) return 'not-found';
  if (status === 408) return 'timeout';
  // 409 is a lock conflict on the server's side: transient like a 5xx, so retried like one.
  return status < 500 && status !== 409 ? 'bad-request' : 'server-error';
}

/**
 * The message and code of an upstream error, whether nested (`{error: {…}}`), a string, or bare;
 * only strings count. The code is redacted like a message: a hostile server could put the key there.
 * `quota`: the error says `insufficient_quota` (as its code or its type), which waiting cannot fix.
 */
function readError(parsed: unknown, key?: string) {
  let error = (parsed as { error?: unknown } | undefined)?.error ?? parsed;
  if (typeof error === 'string') error = { message: error };
  const { message, code, type } = (error && typeof error === 'object' ? error : {}) as ApiErrorBody;
  return {
    message: typeof message === 'string' ? message : '',
    serverCode: typeof code === 'string' ? redactKey(code, key) : undefined,
    quota: (code ?? type) === 'insufficient_quota',
  };
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Server codes that waiting cannot fix, whatever the status says: a proxy answers 502
// `upstream_auth_failed` when its own key was refused, and retrying only repeats the refusal.
// (`insufficient_quota` needs no entry: it is `quota-exceeded`, never retried.)
const FINAL = /^(upstream_(auth_failed|permission_denied)|budget_exceeded)$/;

/**
 * Turns a non-2xx response and its body text into a ChatError. A JSON body gives its own message
 * (redacted: OpenAI echoes the masked key on 401); an HTML page from a proxy or an empty body gives a
 * short "HTTP 502 Bad Gateway" instead of the page; a short plain-text body from a hand-written
 * backend is kept as the message.
 */
export function httpError(response: Response, body: string, key?: string, notFoundHint = ''): ChatError {
  const { status, statusText, headers } = response;
  const { message, serverCode, quota } = readError(parseJson(body), key);
  const text = body.trim();
  const code = codeForStatus(status, quota);
  return new ChatError(
    code,
    redactKey(
      (message ||
        (text && text[0] !== '<' && text.length <= 200 ? text : `HTTP ${status} ${statusText}`.trim())) +
        // A missing endpoint has no error code; a missing model (`model_not_found`) has one and needs no hint.
        (code === 'not-found' && !serverCode ? notFoundHint : ''),
      key,
    ),
    {
      status,
      requestId: headers.get('x-request-id') ?? undefined,
      // 408 request timeout, 409 lock conflict, 429 rate limit and 5xx are transient; quota is not.
      retryable: /^(timeout|server-error|rate-limited)$/.test(code) && !FINAL.test(serverCode ?? ''),
      retryAfterMs: code === 'rate-limited' ? retryAfterMs(headers) : undefined,
      serverCode,
      rateLimit: rateLimitOf(headers),
    },
  );
}

/**
 * A ChatError from an error event or `{"error": …}` object inside a 2xx body: `quota-exceeded` when
 * it says `insufficient_quota` (as Responses streams do on HTTP 200), otherwise `stream-error`.
 */
export function streamError(parsed: unknown, key?: string): ChatError {
  const { message, serverCode, quota } = readError(parsed, key);
  return new ChatError(
    quota ? 'quota-exceeded' : 'stream-error',
    redactKey(message || 'The server reported an error', key),
    { serverCode },
  );
}
