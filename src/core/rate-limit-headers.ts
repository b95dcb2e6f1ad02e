import type { RateLimit } from './types';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * A Go-style duration as OpenAI sends resets (`6m0s`, `1s`, `20ms`, `1h2m3.5s`) in ms; a bare number
 * is seconds. NaN when unreadable.
 */
export function durationMs(text: string): number {
  if (/^[\d.]+$/.test(text)) return Number(text) * 1000;
  let ms = Number.NaN;
  // `ms` is tried before `m`, so "20ms" is not read as 20 minutes and an "s".
  for (const [, amount, unit] of text.matchAll(/([\d.]+)(ms|h|m|s)/g))
    ms = (ms || 0) + Number(amount) * UNIT_MS[unit!]!;
  return ms;
}

/** The `x-ratelimit-*` headers as numbers, or undefined when the response has none of them. */
export function rateLimitOf(headers: Headers): RateLimit | undefined {
  let rateLimit: RateLimit | undefined;
  for (const kind of ['Requests', 'Tokens'] as const) {
    for (const part of ['limit', 'remaining', 'reset'] as const) {
      const value = headers.get(`x-ratelimit-${part}-${kind.toLowerCase()}`);
      const number = value && (part === 'reset' ? durationMs(value) : Number(value));
      if (number || number === 0) {
        rateLimit ??= {};
        rateLimit[`${part}${kind}${part === 'reset' ? 'Ms' : ''}` as keyof RateLimit] = number;
      }
    }
  }
  return rateLimit;
}
