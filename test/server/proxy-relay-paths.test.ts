// The proxy has two relays: behind `toNodeHandler` it calls the upstream with node:http and writes the
// reply straight to the Node response; everywhere else (Workers, Deno, Bun, Next.js, or any wrapped
// handler) it uses fetch and web streams. Every promise is checked on both, against real loopback
// servers: the same request upstream, the key in no answer or log, redirects refused, usage read
// from events split across TCP reads, a broken upstream seen as a cut-off reply, and a client that
// stops reading or leaves.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatAdapter } from '../../src/index';
import {
  createOpenAiProxy,
  type OpenAiProxyOptions,
  toNodeHandler,
  type UsageEvent,
} from '../../src/server/index';
import {
  type FixtureReply,
  type FixtureServer,
  startFixtureServer,
  streamFixture,
} from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import {
  fakeKey,
  keySightings,
  postJson,
  rawRequest,
  type Served,
  serveFetchPath,
  serveHandler,
  serveNode,
} from './loopback';

const chatRecording = streamFixture('pyai02-text-after-tool-obfuscation-include-usage.sse');
const responsesRecording = readFixture('responses/dd01-text-basic.sse');
const sse = { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_paths' };
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** The recording cut at `offsets`, each piece its own write with a pause between (its own TCP read). */
function cutAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [0, ...offsets, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}
const usageAt = (bytes: Buffer) => bytes.indexOf('"usage":{');

let fake: FixtureServer;
let reply: (prompt: string, responses: boolean) => FixtureReply;
beforeAll(async () => {
  fake = await startFixtureServer((request) =>
    reply(JSON.stringify(request.json), request.url.endsWith('/responses')),
  );
});
const servers: Served[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await fake.close();
});

const chat = (content = 'hi') => ({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content }],
});

describe.each([
  ['the node:http relay (toNodeHandler)', serveHandler, true],
  ['the fetch relay (any other runtime)', serveFetchPath, false],
] as const)('%s', (_name, serve, nodePath) => {
  const events: UsageEvent[] = [];
  async function proxy(options: Partial<OpenAiProxyOptions> = {}, upstream = `${fake.origin}/v1`) {
    const server = await serve(
      createOpenAiProxy({
        apiKey: fakeKey,
        upstream,
        allowedModels: ['gpt-4o-mini', 'gpt-4.1'],
        onUsage: (event) => {
          events.push(event);
        },
        ...options,
      }),
    );
    servers.push(server);
    return server.url;
  }

  it('sends the upstream the same request, and relays its reply byte for byte with its usage', async () => {
    reply = () => ({ headers: sse, body: chatRecording });
    const url = await proxy({ allowedOrigins: ['https://shop.example'] });
    events.length = 0;
    const seenBefore = fake.requests.length;
    const response = await postJson(`${url}/api/chat`, chat(), { origin: 'https://shop.example' });
    expect(response.status).toBe(200);
    expect(response.text).toBe(chatRecording.toString('utf8'));
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(response.headers.get('x-request-id')).toBe('req_paths');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');

    const sent = fake.requests[seenBefore]!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${fakeKey}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.accept).toBe('text/event-stream');
    expect(sent.json).toMatchObject({ ...chat(), stream_options: { include_usage: true } });
    // Which relay ran: only node:http asks for plain bytes.
    expect(sent.headers['accept-encoding'] === 'identity').toBe(nodePath);

    await settle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'completed',
      requestId: 'req_paths',
      usage: { totalTokens: 87 },
    });
  });

  it('reads usage from an event split across TCP reads: mid-line, inside "usage":{, between its two newlines', async () => {
    const at = usageAt(chatRecording);
    const eventEnd = chatRecording.indexOf('\n\n', at);
    const url = await proxy();
    for (const offsets of [[at - 40], [at + 4], [at + 1, at + 6, eventEnd + 1], [eventEnd + 1]]) {
      reply = () => ({ headers: sse, body: cutAt(chatRecording, offsets), pauseMs: 20 });
      events.length = 0;
      const response = await postJson(`${url}/api/chat`, chat());
      expect(response.text).toBe(chatRecording.toString('utf8'));
      await settle();
      expect(events.map((event) => [event.outcome, event.usage?.totalTokens])).toEqual([['completed', 87]]);
    }
  });

  it('reads Responses usage from response.completed split in two', async () => {
    const cut = usageAt(responsesRecording) + 3;
    reply = () => ({ headers: sse, body: cutAt(responsesRecording, [cut]), pauseMs: 20 });
    const url = await proxy();
    events.length = 0;
    const response = await postJson(`${url}/v1/responses`, { model: 'gpt-4.1', stream: true, input: 'hi' });
    expect(response.text).toBe(responsesRecording.toString('utf8'));
    await settle();
    expect(events[0]).toMatchObject({ api: 'responses', outcome: 'completed', usage: { totalTokens: 21 } });
  });

  it('marks a reply failed when an error event arrives split across reads', async () => {
    const failure = readFixture('responses/swift01-error-event-insufficient-quota.sse');
    const cut = failure.indexOf('"type":"error"') + 9;
    expect(cut).toBeGreaterThan(9);
    reply = () => ({ headers: sse, body: cutAt(failure, [cut]), pauseMs: 20 });
    const url = await proxy();
    events.length = 0;
    const response = await postJson(`${url}/v1/responses`, { model: 'gpt-4.1', stream: true, input: 'hi' });
    expect(response.text).toBe(failure.toString('utf8'));
    await settle();
    expect(events[0]).toMatchObject({ outcome: 'failed', usage: null });
  });

  it('keeps the whole events and drops the client connection when the upstream resets mid-stream', async () => {
    const cut = usageAt(chatRecording) - 30;
    const prefix = chatRecording.subarray(0, cut);
    reply = () => ({ headers: sse, body: prefix, after: 'drop' });
    const counts = new Map<string, number>();
    const url = await proxy({
      maxCompletionTokens: 500,
      budget: { tokens: 1_000_000, windowMs: 60_000 },
      rateLimit: {
        windowMs: 60_000,
        max: 100,
        store: {
          add(key, amount) {
            counts.set(key, (counts.get(key) ?? 0) + amount);
            return { total: counts.get(key)!, resetMs: 60_000 };
          },
        },
      },
    });
    events.length = 0;
    const result = await rawRequest(
      `${url}/api/chat`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      JSON.stringify(chat()),
    );
    expect(result.status).toBe(200);
    const text = prefix.toString('utf8');
    expect(result.body).toBe(text.slice(0, text.lastIndexOf('\n\n') + 2));
    expect(result.outcome).toBe('dropped');
    await settle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failed', usage: null });
    // No usage came, so the worst case is charged: the output cap and the input.
    expect(counts.get('tok:ip:127.0.0.1')).toBeGreaterThan(500);

    // The chatwire adapter sees a broken connection, with the text so far, and may retry it.
    const adapter = createChatAdapter().withUrl(`${url}/api/chat`).withMaxRetries(0).create();
    const error = await new Promise<{ code: string; partialText?: string }>((resolve) => {
      adapter.streamText('hi', { next() {}, complete: () => resolve({ code: 'none' }), error: resolve });
    });
    expect(error.code).toBe('connection-error');
    expect(error.partialText?.length).toBeGreaterThan(0);
  });

  it('answers 504 when no response starts in time, and ends a stalled stream with a timeout event', async () => {
    const url = await proxy({ timeout: { request: 200, idle: 200 } });
    reply = () => ({ stallBeforeHeaders: true });
    events.length = 0;
    const never = await postJson(`${url}/api/chat`, chat());
    expect(never.status).toBe(504);
    expect(JSON.parse(never.text).error.code).toBe('upstream_timeout');

    const cut = usageAt(chatRecording) - 30;
    reply = () => ({ headers: sse, body: chatRecording.subarray(0, cut), after: 'stall' });
    const stalled = await postJson(`${url}/api/chat`, chat());
    const text = chatRecording.subarray(0, cut).toString('utf8');
    const whole = text.slice(0, text.lastIndexOf('\n\n') + 2);
    expect(stalled.text.startsWith(whole)).toBe(true);
    expect(JSON.parse(stalled.text.slice(whole.length + 'data: '.length)).error.code).toBe(
      'upstream_timeout',
    );
    await settle();
    expect(events.map((event) => [event.status, event.outcome])).toEqual([
      [504, 'failed'],
      [200, 'failed'],
    ]);
  });

  it('never follows a redirect: the key stays here, and the client gets 502', async () => {
    let reachedTarget = 0;
    const target = await serveNode((_req, res) => {
      reachedTarget++;
      res.end('{}');
    });
    servers.push(target);
    const redirecting = await serveNode((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${target.url}/v1/chat/completions` }).end();
    });
    servers.push(redirecting);
    const url = await proxy({}, `${redirecting.url}/v1`);
    events.length = 0;
    const response = await postJson(`${url}/api/chat`, chat());
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text).error.code).toBe('upstream_unreachable');
    expect(reachedTarget).toBe(0);
    await settle();
    expect(events[0]).toMatchObject({ outcome: 'failed', status: 502 });
  });

  it('refuses a body past maxBodyBytes with 413 early, streamed or declared, and reports it once', async () => {
    reply = () => ({ headers: sse, body: chatRecording });
    const url = await proxy({ maxBodyBytes: 8 * 1024 });
    events.length = 0;
    const seenBefore = fake.requests.length;
    const streamed = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const request = http.request(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => {
        answered = true;
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, written }));
      });
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      const pump = () => {
        if (answered || written >= 400) {
          request.end();
          return;
        }
        written++;
        request.write(Buffer.alloc(4096, 0x20));
        setTimeout(pump, 2);
      };
      request.write('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"');
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(streamed.written).toBeLessThan(100);

    const declared = await postJson(`${url}/api/chat`, chat('x'.repeat(9 * 1024)));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).error.code).toBe('body_too_large');
    // And one just under the limit goes through.
    expect((await postJson(`${url}/api/chat`, chat('x'.repeat(7 * 1024)))).status).toBe(200);
    await settle();
    expect(events.map((event) => [event.status, event.outcome])).toEqual([
      [413, 'failed'],
      [413, 'failed'],
      [200, 'completed'],
    ]);
    expect(fake.requests.length - seenBefore).toBe(1);
  });

  it('reports a client that leaves mid-body once, and sends nothing upstream', async () => {
    const url = await proxy();
    events.length = 0;
    const seenBefore = fake.requests.length;
    const request = http.request(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10000' },
    });
    request.on('error', () => {});
    request.write('{"model":"gpt-4o-mini",');
    await settle(100);
    request.destroy();
    await settle(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failed', usage: null });
    expect(fake.requests.length).toBe(seenBefore);
  });

  it('puts the key and the account ids in no answer, event or log, whatever the upstream says', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const err = vi.spyOn(console, 'error');
    try {
      const url = await proxy();
      const quoting = `Incorrect API key provided: ${fakeKey}. You can find your API key at …`;
      reply = (prompt): FixtureReply =>
        prompt.includes('/401')
          ? {
              status: 401,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ error: { message: quoting, code: 'invalid_api_key' } }),
            }
          : {
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': '3' },
              body: JSON.stringify({
                error: {
                  message: `Rate limit reached in organization org-AbC123xyz for key ${fakeKey}.`,
                  code: 'rate_limit_exceeded',
                },
              }),
            };
      events.length = 0;
      const unauthorized = await postJson(`${url}/api/chat`, chat('/401'));
      expect(unauthorized.status).toBe(502);
      expect(JSON.parse(unauthorized.text).error.code).toBe('upstream_auth_failed');
      const limited = await postJson(`${url}/api/chat`, chat('/429'));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(limited.text).toContain('Rate limit reached');
      expect(limited.text).not.toContain('org-AbC123xyz');

      // An upstream that is not there: nothing about it (or the key) reaches the client.
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const nowhere = await proxy({}, `http://127.0.0.1:${port}/v1`);
      const unreachable = await postJson(`${nowhere}/api/chat`, chat());
      expect(unreachable.status).toBe(502);
      expect(unreachable.text).not.toContain(String(port));

      await settle();
      expect(keySightings()).toEqual([]);
      expect(JSON.stringify(events)).not.toContain(fakeKey);
      const logged = [...log.mock.calls, ...warn.mock.calls, ...err.mock.calls].flat().map(String).join('\n');
      expect(logged).not.toContain(fakeKey.slice(-10));
    } finally {
      log.mockRestore();
      warn.mockRestore();
      err.mockRestore();
    }
  });
});

describe('the node:http relay and a client that stops reading', () => {
  it('disconnects it after writeTimeoutMs, aborts the upstream, and reports the request aborted', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const event = Buffer.from(
      `data: ${JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(4000) } }] })}\n\n`,
    );
    const upstream = await serveNode((req, res) => {
      req.resume();
      res.on('close', () => upstreamClosed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pump = () => {
        while (!res.destroyed && res.write(event));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    servers.push(upstream);
    const events: UsageEvent[] = [];
    const proxy = await serveNode(
      toNodeHandler(
        createOpenAiProxy({
          apiKey: fakeKey,
          upstream: `${upstream.url}/v1`,
          allowedModels: ['gpt-4o-mini'],
          onUsage: (usage) => {
            events.push(usage);
          },
        }),
        { writeTimeoutMs: 200 },
      ),
    );
    servers.push(proxy);
    const request = http.request(
      `${proxy.url}/api/chat`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      // Never read: the sockets' buffers fill, then the proxy waits for 'drain'.
      (response) => response.pause(),
    );
    request.on('error', () => {});
    request.end(JSON.stringify(chat()));
    await closed;
    request.destroy();
    await settle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'aborted', usage: null });
  });
});

it('never returned the key in any response of this file', () => {
  expect(keySightings()).toEqual([]);
});
