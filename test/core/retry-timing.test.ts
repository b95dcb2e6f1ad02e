// Where retry timing is decided: the server's retry-after-ms / retry-after (seconds or HTTP date,
// capped at 60 s) wins; otherwise exponential backoff with jitter.
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/core/retry';
import { retryAfterMs } from '../../src/core/retry-after';

const headers = (init: Record<string, string>) => new Headers(init);

describe('retryAfterMs', () => {
  it('reads retry-after-ms, fractions included', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250.5' }))).toBe(250.5);
  });
  it('prefers retry-after-ms over retry-after', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '100', 'retry-after': '9' }))).toBe(100);
  });
  it('reads retry-after in seconds', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }))).toBe(3000);
  });
  it('reads retry-after as an HTTP date', () => {
    const date = new Date(Date.now() + 10_000).toUTCString();
    const wait = retryAfterMs(headers({ 'retry-after': date }))!;
    expect(wait).toBeGreaterThan(8000);
    expect(wait).toBeLessThanOrEqual(10_000);
  });
  it('a date in the past means now', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }))).toBe(0);
  });
  it('caps at 60 s', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3600' }))).toBe(60_000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '90000' }))).toBe(60_000);
  });
  it('ignores absent or unreadable values', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }))).toBe(2000);
  });
});

describe('retryDelayMs', () => {
  it('uses the header when there is one', () => {
    expect(retryDelayMs(0, headers({ 'retry-after-ms': '42' }))).toBe(42);
  });
  it('backs off exponentially with up to 25% jitter, capped at 8 s', () => {
    for (const [attempt, full] of [
      [0, 500],
      [1, 1000],
      [2, 2000],
      [6, 8000],
    ]) {
      for (let i = 0; i < 20; i++) {
        const delay = retryDelayMs(attempt!, headers({}));
        expect(delay).toBeGreaterThanOrEqual(full! * 0.75);
        expect(delay).toBeLessThanOrEqual(full!);
      }
    }
  });
});
