import { ChatError, type ChatErrorCode } from './errors';
import { redactKey } from './redact-key';
import { retryAfterMs } from './retry-after';

/** The `error` object OpenAI (and most compatible servers) put in error bodies and stream events. */
interface ApiErrorBody {
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

const CODE_FOR_STATUS: Record<number, ChatErrorCode> = {
  401: 'invalid-api-key',
  403: 'permission-denied',
  404: 'not-found',
  408: 'timeout',
  409: 'server-error',
  429: 'rate-limited',
};

/** The upstream `error` object inside a parsed body, whether nested (`{error: {…}}`) or bare. */
export function apiError(parsed: unknown): ApiErrorBody | undefined {
  if (!parsed || typeof parsed !== 'object') return undefined;
  const error = (parsed as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  return error && typeof error === 'object' ? (error as ApiErrorBody) : (parsed as ApiErrorBody);
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message in a parsed error body or event, if it has one. */
function messageOf(parsed: unknown): string {
  const message = apiError(parsed)?.message;
  return typeof message === 'string' ? message : '';
}

/**
 * Turns a non-2xx response and its body text into a ChatError. A JSON body gives its own message
 * (redacted: OpenAI echoes the masked key on 401); an HTML page from a proxy or an empty body gives a
 * short "HTTP 502 Bad Gateway" instead of the page; a short plain-text body from a hand-written
 * backend is kept as the message.
 */
export function httpError(response: Response, body: string, key?: string): ChatError {
  const { status, statusText, headers } = response;
  const parsed = parseJson(body);
  const error = apiError(parsed);
  const text = body.trim();
  const message =
    messageOf(parsed) ||
    (text && text[0] !== '<' && text.length <= 200 ? text : `HTTP ${status} ${statusText}`.trim());
  // Running out of quota is a 429 too, but waiting does not help.
  const code: ChatErrorCode =
    status === 429 && (error?.code ?? error?.type) === 'insufficient_quota'
      ? 'quota-exceeded'
      : (CODE_FOR_STATUS[status] ?? (status < 500 ? 'bad-request' : 'server-error'));
  const retryable = code === 'timeout' || code === 'server-error' || code === 'rate-limited';
  return new ChatError(code, redactKey(message, key), {
    status,
    requestId: headers.get('x-request-id') ?? undefined,
    // 408 request timeout, 409 lock conflict, 429 rate limit and 5xx are transient.
    retryable,
    retryAfterMs: code === 'rate-limited' ? retryAfterMs(headers) : undefined,
  });
}

/** A ChatError `stream-error` from an error event or `{"error": …}` object inside a 2xx body. */
export function streamError(parsed: unknown, key?: string): ChatError {
  return new ChatError('stream-error', redactKey(messageOf(parsed) || 'The server reported an error', key));
}
