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

it.each([
  ['upstream_auth_failed', 502],
  ['upstream_permission_denied', 502],
  ['budget_exceeded', 503],
  ['insufficient_quota', 429],
])('a body whose code is %s (%i) is not retried, and its code is kept as serverCode', (code, status) => {
  const error = httpError(
    new Response(null, { status }),
    json({ message: 'The server’s key was refused', type: 'upstream_error', code }),
  );
  expect(error).toMatchObject({ retryable: false, serverCode: code });
});

it('serverCode is set only from a string error.code', () => {
  expect(
    httpError(new Response(null, { status: 400 }), json({ message: 'x', code: 'model_not_allowed' }))
      .serverCode,
  ).toBe('model_not_allowed');
  expect(
    httpError(new Response(null, { status: 400 }), json({ message: 'x', code: 42 })).serverCode,
  ).toBeUndefined();
  expect(httpError(new Response(null, { status: 502 }), '<html>bad gateway</html>')).toMatchObject({
    serverCode: undefined,
    retryable: true,
  });
});

it('405 is not-found; a hint is added only when the body names no error code', () => {
  const hint = ". Use .withApi('chat-completions')";
  expect(
    httpError(new Response(null, { status: 405, statusText: 'Method Not Allowed' }), '', undefined, hint),
  ).toMatchObject({ code: 'not-found', message: `HTTP 405 Method Not Allowed${hint}` });
  const missingModel = httpError(
    new Response(null, { status: 404 }),
    json({ message: 'The model `x` does not exist', code: 'model_not_found' }),
    undefined,
    hint,
  );
  expect(missingModel.message).toBe('The model `x` does not exist');
});

it('a 429 carries the x-ratelimit-* headers as numbers and durations in ms', () => {
  const headers = {
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': '6m0s',
    'x-ratelimit-limit-tokens': '30000',
    'x-ratelimit-remaining-tokens': '29000',
    'x-ratelimit-reset-tokens': '20ms',
  };
  const error = httpError(
    new Response(null, { status: 429, headers }),
    json({ message: 'slow', code: 'rate_limit_exceeded' }),
  );
  expect(error.rateLimit).toEqual({
    limitRequests: 500,
    remainingRequests: 0,
    resetRequestsMs: 360_000,
    limitTokens: 30_000,
    remainingTokens: 29_000,
    resetTokensMs: 20,
  });
  expect(httpError(new Response(null, { status: 429 }), '').rateLimit).toBeUndefined();
});
