import type { ChatError } from '../../core/errors';
import { type ChatStrings, englishStrings } from './strings';

type ErrorKey = keyof ChatStrings & `error${string}`;

// The table key of a code, by name: `not-found` → `errorNotFound`, `server-error` → `errorServer`.
const keyOf = (code: string) =>
  `error${code.replace(/-error$/, '').replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}`;

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
  if (error.code === 'rate-limited' && typeof retryAfterMs === 'number' && retryAfterMs > 0) {
    return { key: 'errorRateLimitedIn', retry: true, waitMs: retryAfterMs };
  }
  // A code the table has no words for (`aborted`, or an adapter's own) gets the general ones. Retrying
  // cannot refill a used-up quota.
  const key = keyOf(error.code);
  return {
    key: key in englishStrings ? (key as ErrorKey) : 'errorUnknown',
    retry: error.code !== 'quota-exceeded',
  };
}
