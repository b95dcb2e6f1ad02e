import { invalidConfig } from '../core/errors';
import type { Rejection } from './json-error';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limit';

/** `rateLimit`: at most `max` requests per client in each window of `windowMs`. */
export interface RateLimitOptions {
  windowMs: number;
  max: number;
  /**
   * Where counts live. Default: this process's memory (`createMemoryRateLimiter()`). Several instances
   * share one limit through a shared store such as `createRedisRateLimiter({ client })`.
   */
  store?: RateLimiter;
  /**
   * When the store throws, rejects or takes longer than `storeTimeoutMs`: `'deny'` (default) refuses the
   * request with 503 `rate_limit_unavailable`, so an outage never lifts the limit on your key's spend;
   * `'allow'` lets it through unlimited.
   */
  onStoreError?: 'deny' | 'allow';
  /** Longest wait for the store before `onStoreError` applies. Default 1000 ms. */
  storeTimeoutMs?: number;
}

/**
 * `budget`: at most `tokens` tokens (input and output, as each reply reports) per client in each window
 * of `windowMs`. Kept in `rateLimit`'s store under its own keys, with the same `onStoreError`.
 *
 * While a request runs it holds a reservation of its worst case: its input at ~4 characters a token
 * plus its output cap. When it ends the reservation gives way to the tokens its reply reported (or to
 * the worst case, when it reported none). A request is admitted when the client's spent tokens, plus
 * the reservations of its requests still running, plus its own fit in `tokens`; or, when none of its
 * requests is running, while any budget is left. So parallel requests cannot overshoot the budget: past
 * `tokens` there is at most the one reply let in on what was left, as long as replies stay within their
 * reservations (input can exceed the estimate, e.g. for images). Reservations are shared through a
 * store with `reserve` (`createRedisRateLimiter`); other stores keep them per process.
 */
export interface BudgetOptions {
  tokens: number;
  windowMs: number;
}

/** The rate limit and token budget of one proxy, applied per client identity. */
export interface ClientLimits {
  /** Counts a request; says why it is refused, or undefined when it may proceed. */
  admit(identity: string | undefined): Promise<Rejection | undefined>;
  /**
   * Reserves `tokens` of the client's budget for a request about to go upstream (see `BudgetOptions`):
   * says why it is refused, or gives the function to call once when the request ended, with the tokens
   * it spent. That charges them and drops the reservation (store failures ignored).
   */
  reserve(identity: string | undefined, tokens: number): Promise<Rejection | Settle>;
  /** Whether any limit is configured, i.e. whether requests need an identity. */
  readonly active: boolean;
}

/** Ends a request's reservation, charging what it spent. */
export type Settle = (spent: number) => Promise<void>;

const settleNothing: Settle = async () => {};

export function createClientLimits(
  rateLimit: RateLimitOptions | undefined,
  budget: BudgetOptions | undefined,
): ClientLimits {
  if (rateLimit !== undefined) {
    if (!(rateLimit.windowMs > 0) || !Number.isSafeInteger(rateLimit.max) || rateLimit.max < 1) {
      throw invalidConfig(
        'createOpenAiProxy: rateLimit needs a positive windowMs and a positive integer max.',
      );
    }
    if (rateLimit.store !== undefined && typeof rateLimit.store?.add !== 'function') {
      throw invalidConfig(
        'createOpenAiProxy: rateLimit.store must have an add(key, amount, windowMs) method.',
      );
    }
    if (rateLimit.onStoreError !== undefined && !['deny', 'allow'].includes(rateLimit.onStoreError)) {
      throw invalidConfig("createOpenAiProxy: rateLimit.onStoreError must be 'deny' or 'allow'.");
    }
    if (rateLimit.storeTimeoutMs !== undefined && !(rateLimit.storeTimeoutMs > 0)) {
      throw invalidConfig('createOpenAiProxy: rateLimit.storeTimeoutMs must be a positive number.');
    }
  }
  if (
    budget !== undefined &&
    (!(budget.windowMs > 0) || !Number.isSafeInteger(budget.tokens) || budget.tokens < 1)
  ) {
    throw invalidConfig('createOpenAiProxy: budget needs a positive windowMs and a positive integer tokens.');
  }
  const active = rateLimit !== undefined || budget !== undefined;
  const store = rateLimit?.store ?? (active ? createMemoryRateLimiter() : undefined);
  const allowOnError = rateLimit?.onStoreError === 'allow';
  const storeTimeoutMs = rateLimit?.storeTimeoutMs ?? 1000;

  const add = (key: string, amount: number, windowMs: number) =>
    withTimeout(async () => {
      const count = await store!.add(key, amount, windowMs);
      // A store answering nonsense is a failing store, not a client with no count.
      if (!Number.isFinite(count?.total) || !Number.isFinite(count?.resetMs)) {
        throw new Error('The rate-limit store answered without a count.');
      }
      return count;
    }, storeTimeoutMs);

  // A store without reserve/release gets its reservations here: this process's running requests, by key.
  const shared = typeof store?.reserve === 'function' && typeof store.release === 'function';
  const holds = new Map<string, Map<string, number>>();
  const releaseHere = (key: string, id: string) => {
    const held = holds.get(key);
    held?.delete(id);
    if (held?.size === 0) holds.delete(key);
  };
  const reserveHere = async (key: string, id: string, amount: number, limit: number, windowMs: number) => {
    const held = holds.get(key) ?? new Map<string, number>();
    holds.set(key, held);
    let before = 0;
    for (const tokens of held.values()) before += tokens;
    // Held before the store is read: a request checked meanwhile counts this one, and a request that
    // ends meanwhile is charged in the store before it leaves `holds`, so none is ever missed.
    held.set(id, amount);
    const { total, resetMs } = await add(key, 0, windowMs);
    const admitted = total + before + amount <= limit || (before === 0 && total < limit);
    if (!admitted) releaseHere(key, id);
    return { admitted, total, resetMs };
  };
  const release = async (key: string, id: string) => {
    if (!shared) return releaseHere(key, id);
    // Not released (Redis away), the reservation lapses after the budget's window.
    await withTimeout(async () => store!.release!(key, id), storeTimeoutMs).catch(() => {});
  };

  return {
    active,
    async admit(identity) {
      if (!active) return undefined;
      if (identity === undefined) return unidentified;
      let requests: { total: number; resetMs: number } | undefined;
      let tokens: { total: number; resetMs: number } | undefined;
      try {
        [requests, tokens] = await Promise.all([
          rateLimit && add(`req:${identity}`, 1, rateLimit.windowMs),
          budget && add(`tok:${identity}`, 0, budget.windowMs),
        ]);
      } catch {
        return allowOnError ? undefined : storeUnavailable;
      }
      if (rateLimit && requests && requests.total > rateLimit.max) {
        return tooMany('requests', 'rate_limit_exceeded', 'Too many requests.', requests.resetMs);
      }
      if (budget && tokens && tokens.total >= budget.tokens) {
        return tooMany('tokens', 'budget_exceeded', 'This client’s token budget is used up.', tokens.resetMs);
      }
      return undefined;
    },
    async reserve(identity, tokens) {
      if (!budget || identity === undefined) return settleNothing;
      const key = `tok:${identity}`;
      const id = crypto.randomUUID();
      const settle: Settle = async (spent) => {
        // The reply is already delivered: a store failure here can only lose this charge, not refuse
        // anything. Charged before the reservation goes, so there is no moment that counts neither.
        if (spent > 0) await add(key, Math.ceil(spent), budget.windowMs).catch(() => {});
        await release(key, id);
      };
      let answer: Awaited<ReturnType<typeof reserveHere>>;
      try {
        answer = await withTimeout(async () => {
          const reply = await (shared
            ? store!.reserve!(key, id, tokens, budget.tokens, budget.windowMs)
            : reserveHere(key, id, tokens, budget.tokens, budget.windowMs));
          if (typeof reply?.admitted !== 'boolean' || !Number.isFinite(reply.total + reply.resetMs)) {
            throw new Error('The rate-limit store answered without a reservation.');
          }
          return reply;
        }, storeTimeoutMs);
      } catch {
        // A reservation that timed out may still have been made; releasing one that was not costs nothing.
        void release(key, id);
        return allowOnError ? settle : storeUnavailable;
      }
      if (answer.admitted) return settle;
      return answer.total >= budget.tokens
        ? tooMany('tokens', 'budget_exceeded', 'This client’s token budget is used up.', answer.resetMs)
        : tooMany(
            'tokens',
            'budget_exceeded',
            'This client’s token budget is held by its requests still running.',
            5000,
          );
    },
  };
}

function tooMany(type: string, code: string, message: string, resetMs: number): Rejection {
  const seconds = Math.max(1, Math.ceil(resetMs / 1000));
  return {
    status: 429,
    type,
    code,
    message: `${message} Try again in ${seconds} s.`,
    headers: { 'retry-after': String(seconds) },
  };
}

const storeUnavailable: Rejection = {
  status: 503,
  type: 'server_error',
  code: 'rate_limit_unavailable',
  message: 'The rate limit could not be checked, so the request was not sent. Try again shortly.',
  headers: { 'retry-after': '5' },
};

// A server set up to limit clients but unable to tell them apart must not lump everyone into one bucket.
const unidentified: Rejection = {
  status: 500,
  type: 'server_error',
  code: 'client_unidentified',
  message:
    'The proxy cannot tell clients apart: serve it through toNodeHandler (or pass { clientAddress }), or set trustProxy or identify.',
};

function withTimeout<T>(run: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The rate-limit store did not answer in time.')), ms);
    run().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
