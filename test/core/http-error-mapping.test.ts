// Each HTTP status becomes the ChatError code DESIGN.md names, with the right retryable flag.
import { expect, it } from 'vitest';
import { httpError } from '../../src/core/http-errors';

const json = (error: object) => JSON.stringify({ error });

it.each([
  [400, json({ message: 'bad' }), 'bad-request', false],
  [401, json({ message: 'no' }), 'invalid-api-key', false],
  [403, json({ message: 'no' }), 'permission-denied', false],
  [404, json({ message: 'no', code: 'model_not_found' }), 'not-found', false],
  [408, '', 'timeout', true],
  [409, '', 'server-error', true],
  [413, 'Payload Too Large', 'bad-request', false],
  [422, json({ message: 'no' }), 'bad-request', false],
  [429, json({ message: 'slow down', code: 'rate_limit_exceeded' }), 'rate-limited', true],
  [429, 'Too Many Requests', 'rate-limited', true],
  [429, json({ message: 'quota', type: 'insufficient_quota', code: null }), 'quota-exceeded', false],
  [
    429,
    json({ message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' }),
    'quota-exceeded',
    false,
  ],
  [500, json({ message: 'oops' }), 'server-error', true],
  [503, '<html>down</html>', 'server-error', true],
])('%i %s → %s (retryable %s)', (status, body, code, retryable) => {
  const error = httpError(new Response(null, { status, headers: { 'x-request-id': 'req_1' } }), body);
  expect(error).toMatchObject({ code, status, retryable, requestId: 'req_1' });
});

it('a short plain-text body is the message; a long one or a page is replaced', () => {
  expect(httpError(new Response(null, { status: 400 }), 'Message too long\n').message).toBe(
    'Message too long',
  );
  const long = httpError(new Response(null, { status: 400, statusText: 'Bad Request' }), 'x'.repeat(500));
  expect(long.message).toBe('HTTP 400 Bad Request');
});

it('a bare `{"message": …}` or string `error` body is understood too', () => {
  expect(httpError(new Response(null, { status: 400 }), '{"message":"nope"}').message).toBe('nope');
  expect(httpError(new Response(null, { status: 400 }), '{"error":"nope too"}').message).toBe('nope too');
});
