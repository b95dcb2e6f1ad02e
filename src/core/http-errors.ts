import { ChatError, type ChatErrorCode } from './errors';
import { redactKey } from './redact-key';

/** The `error` object OpenAI (and most compatible servers) put in error bodies and stream events. */
interface ApiErrorBody {
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

function codeForStatus(status: number, apiCode: unknown): ChatErrorCode {
  if (status === 429) return apiCode === 'insufficient_quota' ? 'quota-exceeded' : 'rate-limited';
  if (status === 401) return 'invalid-api-key';
  if (status === 403) return 'permission-denied';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  return status < 500 && status !== 409 ? 'bad-request' : 'server-error';
}

/** The upstream `error` object inside a parsed body, whether nested (`{error: {…}}`) or bare. */
export function apiError(parsed: unknown): ApiErrorBody | undefined {
  if (!parsed || typeof parsed !== 'object') return undefined;
  const error = (parsed as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  return error && typeof error === 'object' ? (error as ApiErrorBody) : (parsed as ApiErrorBody);
}

/**
 * Turns a non-2xx response and its body text into a ChatError. A JSON body gives its own message
 * (redacted: OpenAI echoes the masked key on 401); an HTML page from a proxy or an empty body gives a
 * short "HTTP 502 Bad Gateway" instead of the page; a short plain-text body from a hand-written
 * backend is kept as the message.
 */
export function httpError(response: Response, body: string, key?: string): ChatError {
  const { status } = response;
  let error: ApiErrorBody | undefined;
  try {
    error = apiError(JSON.parse(body));
  } catch {
    // not JSON: handled below
  }
  const apiCode = error && (error.code ?? error.type);
  let message = typeof error?.message === 'string' ? error.message : '';
  if (!message) {
    const text = body.trim();
    message =
      text && !text.startsWith('<') && text.length <= 200
        ? text
        : `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  }
  return new ChatError(codeForStatus(status, apiCode), redactKey(message, key), {
    status,
    requestId: response.headers.get('x-request-id') ?? undefined,
    // 408 request timeout, 409 lock conflict, 429 rate limit and 5xx are transient; running out of
    // quota is not.
    retryable:
      status === 408 ||
      status === 409 ||
      (status === 429 && apiCode !== 'insufficient_quota') ||
      status >= 500,
  });
}

/** A ChatError `stream-error` from an error event or `{"error": …}` object inside a 2xx body. */
export function streamError(parsed: unknown, key?: string): ChatError {
  const message = apiError(parsed)?.message;
  return new ChatError(
    'stream-error',
    redactKey(
      typeof message === 'string' && message ? message : 'The server reported an error mid-stream',
      key,
    ),
  );
}
