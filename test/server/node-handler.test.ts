// toNodeHandler: a Fetch handler behind node:http sees the real request (method, URL, headers, a
// streamed body, a signal tied to the client's connection), and its Response is written as produced;
// a body that fails midway drops the connection instead of ending like a complete response.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { FetchHandler } from '../../src/server/index';
import { rawRequest, type Served, serveHandler } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
async function serve(handler: FetchHandler) {
  const server = await serveHandler(handler);
  servers.push(server);
  return server.url;
}

describe('the Request a handler sees', () => {
  it('has the method, full URL, every header value and the body', async () => {
    let seen:
      | { method: string; url: string; accept: string | null; multi: string | null; body: string }
      | undefined;
    const url = await serve(async (request) => {
      seen = {
        method: request.method,
        url: request.url,
        accept: request.headers.get('accept'),
        multi: request.headers.get('x-multi'),
        body: await request.text(),
      };
      return new Response('ok');
    });
    const result = await rawRequest(
      `${url}/api/chat?x=1`,
      { method: 'PUT', headers: { accept: 'text/plain', 'x-multi': ['a', 'b'] } },
      'the body',
    );
    expect(result.body).toBe('ok');
    expect(seen).toEqual({
      method: 'PUT',
      url: `${url}/api/chat?x=1`,
      accept: 'text/plain',
      multi: 'a, b',
      body: 'the body',
    });
  });

  it('aborts request.signal when the client hangs up before the response completes', async () => {
    let aborted!: () => void;
    const abortedPromise = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const url = await serve((request) => {
      request.signal.addEventListener('abort', () => aborted());
      return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('first')) }));
    });
    await new Promise<void>((resolve) => {
      const request = http.get(url, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => {});
    });
    await expect(abortedPromise).resolves.toBeUndefined();
  });

  it('does not abort request.signal after a response completed normally', async () => {
    let signal: AbortSignal | undefined;
    const url = await serve((request) => {
      signal = request.signal;
      return new Response('done');
    });
    const result = await rawRequest(url);
    expect(result.outcome).toBe('end');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal?.aborted).toBe(false);
  });
});

describe('writing the Response', () => {
  it('writes status, headers (several set-cookie kept apart) and body', async () => {
    const url = await serve(() => {
      const headers = new Headers({ 'content-type': 'text/plain', 'x-request-id': 'req_1' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response('created', { status: 201, headers });
    });
    const result = await rawRequest(url);
    expect(result.status).toBe(201);
    expect(result.headers?.['x-request-id']).toBe('req_1');
    expect(result.headers?.['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(result.body).toBe('created');
  });

  it('drops the connection when the body errors midway, after sending what it had', async () => {
    const url = await serve(
      () =>
        new Response(
          new ReadableStream({
            async pull(controller) {
              controller.enqueue(new TextEncoder().encode('partial'));
              await new Promise((resolve) => setTimeout(resolve, 10));
              controller.error(new Error('upstream broke'));
            },
          }),
        ),
    );
    const result = await rawRequest(url);
    expect(result.status).toBe(200);
    expect(result.body).toBe('partial');
    expect(result.outcome).toBe('dropped');
  });

  it('answers 500 with a JSON error when the handler throws, without its message', async () => {
    const url = await serve(() => {
      throw new Error('secret internals');
    });
    const result = await rawRequest(url);
    expect(result.status).toBe(500);
    expect(JSON.parse(result.body).error.code).toBe('internal_error');
    expect(result.body).not.toContain('secret internals');
  });

  it('answers 500 when Node refuses a header the Fetch Response allowed', async () => {
    const url = await serve(() => new Response('x', { headers: { 'x-odd': 'a\u0001b' } }));
    const result = await rawRequest(url);
    expect(result.status).toBe(500);
    expect(result.outcome).toBe('end');
  });

  it('sends no body for HEAD', async () => {
    const url = await serve(() => new Response('ignored', { headers: { 'content-type': 'text/plain' } }));
    const result = await rawRequest(url, { method: 'HEAD' });
    expect(result.status).toBe(200);
    expect(result.body).toBe('');
    expect(result.outcome).toBe('end');
  });
});
