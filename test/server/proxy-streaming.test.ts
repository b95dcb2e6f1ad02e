// Streams pass through as they arrive (the client reads the first chunk while the upstream is still
// holding the rest back), byte for byte, and a client that disconnects aborts the upstream request,
// for an in-process upstream handler and for an upstream URL alike.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy, type FetchHandler } from '../../src/server/index';
import { readFixture } from '../helpers/fixtures';
import { chatBody, fakeKey, keySightings, type Served, seen, serveHandler, serveNode } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
async function serve(handler: FetchHandler) {
  const server = await serveHandler(handler);
  servers.push(server);
  return server.url;
}

const encoder = new TextEncoder();
const recording = readFixture('streams/py01-text-basic.sse', 'utf8');
const events = recording
  .split('\n\n')
  .filter(Boolean)
  .map((event) => `${event}\n\n`);

/** An upstream that sends the first event, then waits for `release()` before sending the rest. */
function gatedUpstream() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let finished = false;
  const handler: FetchHandler = () =>
    new Response(
      new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode(events[0]));
          await released;
          for (const event of events.slice(1)) controller.enqueue(encoder.encode(event));
          finished = true;
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_stream_1' } },
    );
  return { handler, release, isFinished: () => finished };
}

const streamRequest = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(chatBody('hi', { stream: true })),
  });

describe('streaming', () => {
  it('delivers the first event before the upstream has finished, then the rest byte for byte', async () => {
    const upstream = gatedUpstream();
    const url = await serve(
      createOpenAiProxy({ apiKey: fakeKey, allowedModels: ['gpt-4o-mini'], upstream: upstream.handler }),
    );
    const response = await streamRequest(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('req_stream_1');
    expect(response.headers.get('cache-control')).toContain('no-cache');

    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text).toBe(events[0]);
    expect(upstream.isFinished()).toBe(false);

    upstream.release();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe(events.join(''));
    seen.push({ status: response.status, headers: response.headers, text });
  });
});

/** POSTs a streaming request over node:http, reads the first bytes, then drops the connection. */
function connectReadAndHangUp(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    request.on('response', (response) => {
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
    request.end(JSON.stringify(chatBody('hi', { stream: true })));
  });
}

/** An upstream that sends one event and then keeps the stream open until its request is aborted. */
function endlessUpstream() {
  let resolveAborted!: () => void;
  const aborted = new Promise<void>((resolve) => {
    resolveAborted = resolve;
  });
  const handler: FetchHandler = (request) => {
    request.signal.addEventListener('abort', () => resolveAborted());
    return new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode(events[0]));
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  };
  return { handler, aborted };
}

describe('client disconnect', () => {
  it('aborts the signal of the request an upstream handler was given', async () => {
    const upstream = endlessUpstream();
    const url = await serve(
      createOpenAiProxy({ apiKey: fakeKey, allowedModels: ['gpt-4o-mini'], upstream: upstream.handler }),
    );
    await connectReadAndHangUp(url);
    await expect(upstream.aborted).resolves.toBeUndefined();
  });

  it('closes the connection to an upstream URL', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const fakeOpenAi = await serveNode((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(events[0]);
      // Never ends on its own: only the proxy hanging up can close this.
      response.on('close', () => upstreamClosed());
    });
    servers.push(fakeOpenAi);
    const url = await serve(
      createOpenAiProxy({
        apiKey: fakeKey,
        allowedModels: ['gpt-4o-mini'],
        upstream: `${fakeOpenAi.url}/v1`,
      }),
    );
    await connectReadAndHangUp(url);
    await expect(closed).resolves.toBeUndefined();
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(0);
  expect(keySightings()).toEqual([]);
});
