// A `rate-limited` error says how long the server asked to wait (`retryAfterMs`), so a UI can tell the
// reader "try again in 3 s"; errors whose wait was not stated, or that waiting cannot fix, carry none.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUnsafeChatAdapter } from '../../src/adapters';
import { type FixtureReply, type FixtureServer, startFixtureServer } from '../helpers/fixture-server';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

let server: FixtureServer;
let reply: () => FixtureReply;
beforeAll(async () => {
  server = await startFixtureServer(() => reply());
});
afterAll(() => server.close());

const adapter = (maxRetries = 0) =>
  createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1`)
    .withMaxRetries(maxRetries)
    .create();

const limited = (headers: Record<string, string>, code = 'rate_limit_exceeded'): FixtureReply => ({
  status: 429,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req_429', ...headers },
  body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code } }),
});

it('retry-after-ms becomes retryAfterMs on the rate-limited error, and in its JSON', async () => {
  reply = () => limited({ 'retry-after-ms': '1500' });
  const observed = await observe(adapter());
  expectOneTerminal(observed);
  expect(observed.error).toMatchObject({
    code: 'rate-limited',
    status: 429,
    retryable: true,
    requestId: 'req_429',
    retryAfterMs: 1500,
  });
  expect(JSON.parse(JSON.stringify(observed.error))).toMatchObject({
    code: 'rate-limited',
    retryAfterMs: 1500,
  });
});

it('retry-after in seconds, on the last of several attempts', async () => {
  reply = () => limited({ 'retry-after': '0' });
  const first = await observe(adapter(1));
  expect(first.error).toMatchObject({ code: 'rate-limited', retryAfterMs: 0 });
  reply = () => limited({ 'retry-after': '3' });
  const rejected = await adapter()
    .batchText('Hi')
    .catch((error: unknown) => error);
  expect(rejected).toMatchObject({ code: 'rate-limited', retryAfterMs: 3000 });
});

it('a 429 that does not say how long to wait has no retryAfterMs', async () => {
  reply = () => limited({});
  const observed = await observe(adapter());
  expect(observed.error?.code).toBe('rate-limited');
  expect(observed.error?.retryAfterMs).toBeUndefined();
  expect(JSON.parse(JSON.stringify(observed.error))).not.toHaveProperty('retryAfterMs');
});

it('errors that are not rate-limited carry none, even with a retry-after header', async () => {
  reply = () => limited({ 'retry-after-ms': '1500' }, 'insufficient_quota');
  const quota = await observe(adapter());
  expect(quota.error?.code).toBe('quota-exceeded');
  expect(quota.error?.retryAfterMs).toBeUndefined();
  reply = () => ({ status: 503, headers: { 'retry-after': '2' }, body: '' });
  const down = await observe(adapter());
  expect(down.error?.code).toBe('server-error');
  expect(down.error?.retryAfterMs).toBeUndefined();
});
