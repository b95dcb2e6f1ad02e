// Faults a real network and real servers produce, injected by a loopback server: each ends in the
// right outcome, keeps the text already shown, calls the observer's terminal method exactly once and
// leaves no unhandled rejection behind.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import {
  type FixtureReply,
  type FixtureServer,
  type Responder,
  sseHeaders,
  sseStream,
  startFixtureServer,
} from '../helpers/fixture-server';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';
import { responsesEvent, responsesEvents, responsesHeaders } from './helpers/responses-stream';

failOnUnhandledRejections();

let server: FixtureServer;
let responder: Responder;
beforeAll(async () => {
  server = await startFixtureServer((request, index) => responder(request, index));
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const DELTAS = ['Hello', ', ', 'world', '!'];
const ok = (): FixtureReply => ({ headers: sseHeaders('req_ok'), body: sseStream(DELTAS) });
const base = () =>
  createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1`)
    .withTimeout({ request: 2000, idle: 2000 });

/** The first `count` events of a stream, each written separately, then whatever `after` says. */
function partialStream(count: number, after: FixtureReply['after']): FixtureReply {
  const events = sseStream(DELTAS).split(/(?<=\n\n)/);
  return { headers: sseHeaders('req_partial'), body: events.slice(0, count), pauseMs: 5, after };
}

describe('retries before the first byte', () => {
  it('429 with retry-after-ms, then success: retried once, text delivered once', async () => {
    responder = (_request, index) =>
      index === 0
        ? {
            status: 429,
            headers: {
              'content-type': 'application/json',
              'retry-after-ms': '20',
              'x-request-id': 'req_429',
            },
            body: JSON.stringify({
              error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
            }),
          }
        : ok();
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(server.requests).toHaveLength(2);
    expect(observed.deltas.join('')).toBe('Hello, world!');
    expect(observed.result?.requestId).toBe('req_ok');
  });

  it('429 insufficient_quota: not retried, one request seen', async () => {
    responder = () => ({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after-ms': '0', 'x-request-id': 'req_quota' },
      body: JSON.stringify({
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      }),
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(server.requests).toHaveLength(1);
    expect(observed.error).toMatchObject({
      code: 'quota-exceeded',
      status: 429,
      requestId: 'req_quota',
      retryable: false,
    });
  });

  it('429 that never clears: rate-limited after maxRetries + 1 requests', async () => {
    responder = () => ({ status: 429, headers: { 'retry-after': '0' }, body: '' });
    const observed = await observe(base().withMaxRetries(2).create());
    expectOneTerminal(observed);
    expect(server.requests).toHaveLength(3);
    expect(observed.error).toMatchObject({ code: 'rate-limited', status: 429, retryable: true });
  });

  it('500 then success (default backoff): retried once', async () => {
    responder = (_request, index) =>
      index === 0
        ? {
            status: 500,
            headers: { 'content-type': 'application/json' },
            body: '{"error":{"message":"boom"}}',
          }
        : ok();
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(server.requests).toHaveLength(2);
    expect(observed.result?.text).toBe('Hello, world!');
  });

  it('a 502 HTML page from a proxy: server-error with a short message, not the page', async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'<p>nginx</p>'.repeat(50)}</body></html>`;
    responder = () => ({
      status: 502,
      headers: { 'content-type': 'text/html', 'retry-after-ms': '0' },
      body: page,
    });
    const observed = await observe(base().withMaxRetries(1).create());
    expectOneTerminal(observed);
    expect(server.requests).toHaveLength(2);
    expect(observed.error).toMatchObject({ code: 'server-error', status: 502, retryable: true });
    expect(observed.error?.message).toBe('HTTP 502 Bad Gateway');
  });

  it('an empty 503 body: a readable message', async () => {
    responder = () => ({ status: 503, body: '' });
    const observed = await observe(base().withMaxRetries(0).create());
    expect(observed.error?.code).toBe('server-error');
    expect(observed.error?.message).toBe('HTTP 503 Service Unavailable');
  });

  it('a refused connection: connection-error after the retries', async () => {
    const closed = await startFixtureServer([ok()]);
    const origin = closed.origin;
    await closed.close();
    const adapter = createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(origin)
      .withMaxRetries(1)
      .create();
    const observed = await observe(adapter);
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'connection-error', retryable: true });
  });
});

describe('timeouts', () => {
  it('stall before headers: request timeout, not retried', async () => {
    responder = () => ({ stallBeforeHeaders: true });
    const observed = await observe(base().withTimeout({ request: 150 }).create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'timeout' });
    expect(observed.error?.message).toContain('150 ms');
    expect(server.requests).toHaveLength(1);
  });

  it('stall right after headers: idle timeout', async () => {
    responder = () => ({ headers: sseHeaders('req_stall'), body: [], after: 'stall' });
    const observed = await observe(base().withTimeout({ idle: 150 }).create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'timeout', requestId: 'req_stall' });
    expect(observed.error?.partialText).toBeUndefined();
  });

  it('stall mid-stream: idle timeout, partialText is exactly what was delivered', async () => {
    responder = () => partialStream(3, 'stall');
    const observed = await observe(base().withTimeout({ idle: 150 }).create());
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(['Hello', ', ']);
    expect(observed.error).toMatchObject({
      code: 'timeout',
      partialText: 'Hello, ',
      requestId: 'req_partial',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('withTimeout(ms) sets both timeouts; a partial object keeps the other one', async () => {
    responder = () => ({ stallBeforeHeaders: true });
    const request = await observe(base().withTimeout(150).create());
    expect(request.error?.message).toBe('No response within 150 ms');
    responder = () => ({ headers: sseHeaders(), body: [], after: 'stall' });
    const idle = await observe(base().withTimeout(150).create());
    expect(idle.error?.message).toBe('No data for 150 ms');
    const kept = await observe(base().withTimeout(150).withTimeout({ request: 5000 }).create());
    expect(kept.error?.message).toBe('No data for 150 ms');
  });
});

describe('broken streams', () => {
  it('dropped connection mid-stream: connection-error, partialText kept, no retry', async () => {
    responder = () => partialStream(3, 'drop');
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'connection-error', partialText: 'Hello, ' });
    expect(server.requests).toHaveLength(1);
  });

  it('an `event: error` mid-stream: stream-error with its message, partialText kept', async () => {
    const events = sseStream(DELTAS).split(/(?<=\n\n)/);
    responder = () => ({
      headers: sseHeaders(),
      body: [
        ...events.slice(0, 2),
        'event: error\ndata: {"error":{"message":"The server had an error while processing your request","type":"server_error"}}\n\n',
        ...events.slice(2),
      ],
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(['Hello']);
    expect(observed.error).toMatchObject({ code: 'stream-error', partialText: 'Hello' });
    expect(observed.error?.message).toContain('The server had an error');
  });

  it('a `{"error": …}` data object mid-stream: stream-error, partialText kept', async () => {
    const events = sseStream(DELTAS).split(/(?<=\n\n)/);
    responder = () => ({
      headers: sseHeaders(),
      body: [...events.slice(0, 3), 'data: {"error":{"message":"Overloaded","type":"server_error"}}\n\n'],
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({
      code: 'stream-error',
      message: 'Overloaded',
      partialText: 'Hello, ',
    });
  });

  it('a data line that is not JSON: invalid-response, partialText kept', async () => {
    const events = sseStream(DELTAS).split(/(?<=\n\n)/);
    responder = () => ({ headers: sseHeaders(), body: [...events.slice(0, 2), 'data: {"choices":[\n\n'] });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'invalid-response', partialText: 'Hello' });
  });

  it('a 2xx with an unexpected content type: invalid-response', async () => {
    responder = () => ({ headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    const observed = await observe(base().create());
    expect(observed.error?.code).toBe('invalid-response');
  });
});

describe('stream shapes', () => {
  it('CRLF line endings: the same text, finish reason and usage', async () => {
    responder = () => ({
      headers: sseHeaders(),
      body: sseStream(DELTAS, { lineEnd: '\r\n' }).split(/(?<=\r\n)/),
      pauseMs: 1,
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.result).toMatchObject({
      text: 'Hello, world!',
      finishReason: 'stop',
      usage: { totalTokens: 11 },
    });
  });

  it.each([
    ['one line break', '\n'],
    ['no line break', ''],
  ])('final event with %s and no [DONE] is still delivered', async (_name, ending) => {
    const body = `${sseStream(DELTAS, { usage: false, done: false }).trimEnd()}\n\ndata: ${JSON.stringify({
      choices: [{ index: 0, delta: { content: ' Bye.' }, finish_reason: 'stop' }],
    })}${ending}`;
    responder = () => ({ headers: sseHeaders(), body });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.deltas.at(-1)).toBe(' Bye.');
    expect(observed.result).toMatchObject({ text: 'Hello, world! Bye.', finishReason: 'stop' });
  });
});

describe('abort through extras.signal', () => {
  it('already aborted: aborted, no request made', async () => {
    responder = ok;
    const observed = await observe(base().create(), 'Hi', { signal: AbortSignal.abort() });
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'aborted', retryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('while waiting for headers: aborted', async () => {
    responder = () => ({ stallBeforeHeaders: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const observed = await observe(base().create(), 'Hi', { signal: controller.signal });
    expectOneTerminal(observed);
    expect(observed.error?.code).toBe('aborted');
  });

  it('while waiting between retries: aborted, no second request', async () => {
    responder = () => ({ status: 500, headers: { 'retry-after-ms': '5000' }, body: '' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const observed = await observe(base().create(), 'Hi', { signal: controller.signal });
    expectOneTerminal(observed);
    expect(observed.error?.code).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('mid-stream, from inside next(): no further next, partialText kept', async () => {
    responder = () => ({ headers: sseHeaders(), body: sseStream(DELTAS) });
    const controller = new AbortController();
    const observed = await observe(base().create(), 'Hi', { signal: controller.signal }, (delta) => {
      if (delta === ', ') controller.abort();
    });
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(['Hello', ', ']);
    expect(observed.error).toMatchObject({ code: 'aborted', partialText: 'Hello, ' });
  });

  it('mid-stream while the server is silent: aborted, partialText kept', async () => {
    responder = () => partialStream(2, 'stall');
    const controller = new AbortController();
    const observed = await observe(base().create(), 'Hi', { signal: controller.signal }, () => {
      setTimeout(() => controller.abort(), 30);
    });
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'aborted', partialText: 'Hello' });
  });

  it('batchText rejects with aborted', async () => {
    responder = () => ({ stallBeforeHeaders: true });
    const controller = new AbortController();
    const pending = base().create().batchText('Hi', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('observers that throw', () => {
  it('a throwing next/complete neither breaks the single terminal call nor leaks a rejection', async () => {
    responder = ok;
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const calls: string[] = [];
    await new Promise<void>((resolve) => {
      base()
        .create()
        .streamText('Hi', {
          next() {
            calls.push('next');
            throw new Error('next broke');
          },
          complete() {
            calls.push('complete');
            setTimeout(resolve, 30);
            throw new Error('complete broke');
          },
          error() {
            calls.push('error');
          },
        });
    });
    expect(calls).toEqual(['next', 'next', 'next', 'next', 'complete']);
    expect(reported).toHaveBeenCalledTimes(5);
    reported.mockRestore();
  });

  it('a throwing error() is reported, not rethrown', async () => {
    responder = () => ({ status: 400, body: '{"error":{"message":"bad"}}' });
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    await new Promise<void>((resolve) => {
      base()
        .create()
        .streamText('Hi', {
          next() {},
          complete() {},
          error() {
            setTimeout(resolve, 30);
            throw new Error('error broke');
          },
        });
    });
    expect(reported).toHaveBeenCalledTimes(1);
    reported.mockRestore();
  });
});

describe('Responses streams fail like Chat Completions ones', () => {
  const events = responsesEvents({ deltas: DELTAS });
  // created, in_progress, output_item.added, then the text deltas.
  const upTo = (deltas: number) => events.slice(0, 3 + deltas);
  const responses = () =>
    createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .withTimeout({ request: 2000, idle: 2000 });

  it('stall mid-stream: idle timeout, partialText kept, one request', async () => {
    responder = () => ({ headers: responsesHeaders('req_r'), body: upTo(2), pauseMs: 5, after: 'stall' });
    const observed = await observe(responses().withTimeout({ idle: 150 }).create());
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(['Hello', ', ']);
    expect(observed.error).toMatchObject({ code: 'timeout', partialText: 'Hello, ', requestId: 'req_r' });
    expect(server.requests).toHaveLength(1);
  });

  it('dropped connection mid-stream: connection-error, partialText kept, no retry', async () => {
    responder = () => ({ headers: responsesHeaders(), body: upTo(2), pauseMs: 5, after: 'drop' });
    const observed = await observe(responses().create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'connection-error', partialText: 'Hello, ' });
    expect(server.requests).toHaveLength(1);
  });

  it('a body that ends before the terminal event: the text so far, finish reason unknown', async () => {
    responder = () => ({ headers: responsesHeaders(), body: upTo(4) });
    const observed = await observe(responses().create());
    expectOneTerminal(observed);
    expect(observed.result).toMatchObject({ text: 'Hello, world!', finishReason: null });
  });

  it('aborted mid-stream from inside next(): no further next, partialText kept', async () => {
    responder = () => ({ headers: responsesHeaders(), body: events });
    const controller = new AbortController();
    const observed = await observe(responses().create(), 'Hi', { signal: controller.signal }, (delta) => {
      if (delta === ', ') controller.abort();
    });
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(['Hello', ', ']);
    expect(observed.error).toMatchObject({ code: 'aborted', partialText: 'Hello, ' });
  });

  it('an error event mid-stream: stream-error with partialText; response.failed alone does the same', async () => {
    const failed = responsesEvent({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'The model failed' } },
    });
    const errorEvent = responsesEvent({
      type: 'error',
      error: { type: 'server_error', code: 'server_error', message: 'Something broke' },
    });
    responder = () => ({ headers: responsesHeaders(), body: [...upTo(1), errorEvent, failed] });
    const first = await observe(responses().create());
    expectOneTerminal(first);
    expect(first.error).toMatchObject({
      code: 'stream-error',
      message: 'Something broke',
      partialText: 'Hello',
    });
    responder = () => ({ headers: responsesHeaders(), body: [...upTo(1), failed] });
    const second = await observe(responses().create());
    expect(second.error).toMatchObject({
      code: 'stream-error',
      message: 'The model failed',
      serverCode: 'server_error',
      partialText: 'Hello',
      retryable: false,
    });
    expect(server.requests).toHaveLength(2);
  });
});

describe('after the end of a reply (issue 9)', () => {
  const chat = () => base().withApi('chat-completions').create();

  it('content after [DONE] in the same network chunk is ignored', async () => {
    const injected = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: ' INJECTED' } }] })}\n\n`;
    responder = () => ({ headers: sseHeaders(), body: sseStream(['Hello']) + injected });
    const observed = await observe(chat());
    expectOneTerminal(observed);
    expect(observed.result?.text).toBe('Hello');
    expect(observed.deltas).toEqual(['Hello']);
  });

  it('an error event after [DONE] does not turn the finished reply into an error', async () => {
    const after = 'event: error\ndata: {"error":{"message":"late failure"}}\n\n';
    responder = () => ({ headers: sseHeaders(), body: [sseStream(['Hello']) + after, after], pauseMs: 5 });
    const observed = await observe(chat());
    expectOneTerminal(observed);
    expect(observed.error).toBeUndefined();
    expect(observed.result?.text).toBe('Hello');
  });

  it('content and errors after a Responses terminal event are ignored', async () => {
    const junk = `${responsesEvent({ type: 'response.output_text.delta', delta: ' INJECTED' })}${responsesEvent(
      {
        type: 'error',
        error: { message: 'late' },
      },
    )}`;
    responder = () => ({
      headers: responsesHeaders(),
      body: responsesEvents({ deltas: ['Hello'] }).join('') + junk,
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.result).toMatchObject({ text: 'Hello', finishReason: 'stop' });
  });

  it.each([
    ['[DONE]', () => sseStream(['Hello'])],
    ['response.completed', () => responsesEvents({ deltas: ['Hello'] }).join('')],
  ])(
    'a server that keeps the body open after %s: the reply completes and the body is let go',
    async (_name, body) => {
      // Its own server, to see the moment the client hangs up: that is the body being cancelled.
      let closed = false;
      const holder = createServer((_req, res) => {
        res.writeHead(200, sseHeaders());
        res.write(body());
        res.on('close', () => {
          closed = true;
        });
      });
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const { port } = holder.address() as AddressInfo;
      try {
        const started = Date.now();
        const observed = await observe(
          createUnsafeChatAdapter().withApiKey(FAKE_KEY).withBaseUrl(`http://127.0.0.1:${port}`).create(),
        );
        expect(observed.result?.text).toBe('Hello');
        expect(Date.now() - started).toBeLessThan(1000);
        await vi.waitFor(() => expect(closed).toBe(true), { timeout: 3000 });
      } finally {
        holder.closeAllConnections();
        holder.close();
      }
    },
  );
});

describe('bounded buffers (issue 9)', () => {
  it('an SSE line that never ends: invalid-response once it passes the cap, not a growing buffer', async () => {
    const piece = 'x'.repeat(1024 * 1024);
    responder = () => ({
      headers: sseHeaders(),
      body: ['data: {"choices":[{"index":0,"delta":{"content":"', ...Array(12).fill(piece)],
      after: 'stall',
    });
    const observed = await observe(base().withTimeout({ idle: 5000 }).create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'invalid-response', retryable: false });
    expect(observed.error?.message).toContain('too large');
  });

  it('an error body that never ends is read only up to its cap', async () => {
    responder = () => ({
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: ['{"error":{"message":"', ...Array(4).fill('y'.repeat(64 * 1024))],
      after: 'stall',
    });
    const observed = await observe(base().withMaxRetries(0).withTimeout({ idle: 5000 }).create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'server-error', status: 500 });
    expect(observed.error?.message).toBe('HTTP 500 Internal Server Error');
  });
});

describe('wrong codes (issue 9)', () => {
  it('a chunk whose choices is not a list: invalid-response, not retried', async () => {
    responder = () => ({
      headers: sseHeaders(),
      body: 'data: {"choices":{"0":{"delta":{"content":"x"}}}}\n\n',
    });
    const observed = await observe(base().create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({ code: 'invalid-response', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("the proxy's 502 upstream_auth_failed: not retried, serverCode set, no key in the message", async () => {
    responder = () => ({
      status: 502,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_auth' },
      body: JSON.stringify({
        error: {
          type: 'upstream_error',
          code: 'upstream_auth_failed',
          message: 'The server could not authenticate with the model provider. Check the server’s API key.',
        },
      }),
    });
    const observed = await observe(createChatAdapter().withUrl(`${server.origin}/api/chat`).create());
    expectOneTerminal(observed);
    expect(observed.error).toMatchObject({
      code: 'server-error',
      status: 502,
      serverCode: 'upstream_auth_failed',
      retryable: false,
      requestId: 'req_auth',
    });
    expect(server.requests).toHaveLength(1);
  });
});
