// OpenAI's reset durations (`6m0s`, `1s`, `20ms`, `1h2m3.5s`) read as ms, and only the headers sent are set.
import { expect, it } from 'vitest';
import { durationMs, rateLimitOf } from '../../src/core/rate-limit-headers';

it.each([
  ['6m0s', 360_000],
  ['1s', 1000],
  ['20ms', 20],
  ['0s', 0],
  ['1h2m3.5s', 3_723_500],
  ['7.66s', 7660],
  ['2', 2000],
])('%s is %i ms', (text, ms) => {
  expect(durationMs(text)).toBe(ms);
});

it('an unreadable duration is NaN and leaves its field out', () => {
  expect(durationMs('soon')).toBeNaN();
  const headers = new Headers({ 'x-ratelimit-reset-tokens': 'soon', 'x-ratelimit-limit-tokens': '100' });
  expect(rateLimitOf(headers)).toEqual({ limitTokens: 100 });
});

it('no x-ratelimit-* header: undefined', () => {
  expect(rateLimitOf(new Headers({ 'content-type': 'text/plain' }))).toBeUndefined();
});
