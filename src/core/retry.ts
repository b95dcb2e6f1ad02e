import type { ChatError } from './errors';
import { retryAfterMs } from './retry-after';

/**
 * Whether a failed attempt may be repeated: a transient HTTP status or a failed connection, while
 * attempts remain. Callers only ask before the first body byte; our own timeouts and aborts never ask.
 */
export function shouldRetry(error: ChatError, attempt: number, maxRetries: number): boolean {
  return error.retryable && attempt < maxRetries;
}

/**
 * Wait before retry number `attempt + 1`: the server's `retry-after` when it gave one, otherwise
 * exponential backoff from 0.5 s (capped at 8 s) with up to 25% jitter so that many clients failing
 * together do not come back together.
 */
export function retryDelayMs(attempt: number, headers?: Headers): number {
  const asked = headers && retryAfterMs(headers);
  if (asked !== undefined) return asked;
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}
