import { retryAfterMs } from './retry-after';

/**
 * Wait before retry number `attempt + 1`: the server's `retry-after` when it gave one, otherwise
 * exponential backoff from 0.5 s (capped at 8 s) with up to 25% jitter so that many clients failing
 * together do not come back together.
 */
export function retryDelayMs(attempt: number, headers?: Headers): number {
  return (
    (headers && retryAfterMs(headers)) ?? Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25)
  );
}
