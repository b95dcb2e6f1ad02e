import { invalidConfig } from '../core/errors';

/** What a rate limiter says about one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: how long until this client may send again, in ms. */
  retryAfterMs: number;
}

/**
 * Counts requests per client. The in-memory default (`createMemoryRateLimiter`) counts per process;
 * a deployment on many instances implements this against a shared store (Redis, a KV, a Durable
 * Object) so every instance sees the same counts.
 */
export interface RateLimiter {
  /** Counts one request from `clientKey` and says whether it may proceed. */
  hit(clientKey: string): RateLimitDecision | Promise<RateLimitDecision>;
}

/** At most `max` requests per client in any `windowMs` milliseconds. */
export interface RateLimitOptions {
  windowMs: number;
  max: number;
}

/**
 * An in-memory sliding-window limiter: it remembers the times of each client's last `max` requests,
 * so a client cannot send `2 × max` across a window boundary as a fixed window would allow.
 * Memory is bounded by `max` timestamps per client seen within the last window.
 */
export function createMemoryRateLimiter({ windowMs, max }: RateLimitOptions): RateLimiter {
  if (!(windowMs > 0) || !Number.isInteger(max) || max < 1) {
    throw invalidConfig('rateLimit needs a positive windowMs and a positive integer max.');
  }
  const hits = new Map<string, number[]>();
  let nextSweep = 0;

  // Clients that went quiet would otherwise stay in the map forever; one pass per window is enough.
  const sweep = (now: number) => {
    if (now < nextSweep) return;
    nextSweep = now + windowMs;
    for (const [key, times] of hits) {
      if (times[times.length - 1]! <= now - windowMs) hits.delete(key);
    }
  };

  return {
    hit(clientKey) {
      const now = Date.now();
      sweep(now);
      const times = (hits.get(clientKey) ?? []).filter((time) => time > now - windowMs);
      if (times.length >= max) {
        hits.set(clientKey, times);
        return { allowed: false, retryAfterMs: times[0]! + windowMs - now };
      }
      times.push(now);
      hits.set(clientKey, times);
      return { allowed: true, retryAfterMs: 0 };
    },
  };
}

/**
 * The default client key: `cf-connecting-ip` (set by Cloudflare), else the last `x-forwarded-for`
 * entry (the one your own reverse proxy appended; earlier entries are whatever the client claimed),
 * else `'anonymous'`, one bucket shared by everyone. A server reachable without a proxy in front
 * sees only client-written headers: pass `clientKey` (a session or user id) there.
 */
export function defaultClientKey(request: Request): string {
  const cloudflare = request.headers.get('cf-connecting-ip')?.trim();
  if (cloudflare) return cloudflare;
  const forwarded = request.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
  return forwarded || 'anonymous';
}
