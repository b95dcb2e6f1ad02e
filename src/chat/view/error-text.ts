import type { ChatError, ChatErrorCode } from '../../core/errors';
import type { ChatStrings } from './strings';

type ErrorKey = keyof ChatStrings & `error${string}`;

const KEYS: Partial<Record<ChatErrorCode | 'storage-error', ErrorKey>> = {
  'invalid-config': 'errorInvalidConfig',
  'missing-api-key': 'errorMissingApiKey',
  'invalid-api-key': 'errorInvalidApiKey',
  'permission-denied': 'errorPermissionDenied',
  'not-found': 'errorNotFound',
  'bad-request': 'errorBadRequest',
  'quota-exceeded': 'errorQuotaExceeded',
  'rate-limited': 'errorRateLimited',
  'server-error': 'errorServer',
  'connection-error': 'errorConnection',
  timeout: 'errorTimeout',
  'stream-error': 'errorStream',
  'invalid-response': 'errorInvalidResponse',
  'storage-error': 'errorStorage',
};

/** What the reader is told about a failed reply, and whether Retry makes sense. */
export interface ErrorAdvice {
  /** The table key of the text to show; `errorRateLimitedIn` takes `{seconds}`. */
  key: ErrorKey;
  /** Offer Retry: false when retrying cannot help (a used-up quota, the server's own key refused). */
  retry: boolean;
  /** For a rate limit with a known delay: Retry waits this long, counting down. */
  waitMs?: number;
}

/**
 * Chooses what to tell the reader from the error's code (never its message, which is for developers),
 * plus the two facts a code alone does not carry: the HTTP status 413 and the proxy's `serverCode`.
 */
export function adviseOn(error: ChatError): ErrorAdvice {
  const { serverCode, retryAfterMs } = error as ChatError & { serverCode?: unknown; retryAfterMs?: unknown };
  if (serverCode === 'upstream_auth_failed') return { key: 'errorUpstreamAuth', retry: false };
  if (error.status === 413) return { key: 'errorTooLong', retry: false };
  if (error.code === 'quota-exceeded') return { key: 'errorQuotaExceeded', retry: false };
  if (error.code === 'rate-limited' && typeof retryAfterMs === 'number' && retryAfterMs > 0) {
    return { key: 'errorRateLimitedIn', retry: true, waitMs: retryAfterMs };
  }
  return { key: KEYS[error.code] ?? 'errorUnknown', retry: true };
}
