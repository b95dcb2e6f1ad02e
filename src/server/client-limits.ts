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
 */
export interface BudgetOptions {
  tokens: number;
  windowMs: number;
}

/** The rate limit and token budget of one proxy, applied per client identity. */
export interface ClientLimits {
  /** Counts a request; says why it is refused, or undefined when it may proceed. */
  admit(identity: string | undefined): Promise<Rejection | undefined>;
  /** Adds tokens a reply spent to the client's budget (nothing without a budget; store failures ignored). */
  charge(identity: string | undefined, tokens: number): Promise<void>;
  /** Whether any limit is configured, i.e. whether requests need an identity. */
  readonly active: boolean;
}

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
    async charge(identity, spent) {
      if (!budget || identity === undefined || !(spent > 0)) return;
      // The reply is already delivered: a store failure here can only lose this charge, not refuse anything.
      await add(`tok:${identity}`, Math.ceil(spent), budget.windowMs).catch(() => {});
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
