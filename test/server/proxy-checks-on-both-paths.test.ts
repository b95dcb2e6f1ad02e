// The checks before the upstream call see the request as the client sent it on both relays. Behind
// `toNodeHandler` the proxy builds no Fetch Request for them: it reads the method, URL and headers
// straight from Node's request and gets the body read beforehand. So each check runs on both paths here,
// with the header forms that differ between Node and Fetch (a header sent on two lines, a body a parser
// already read), and `identify` must still get a real Request.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy, type OpenAiProxyOptions, toNodeHandler } from '../../src/server/index';
import { type FixtureServer, startFixtureServer, streamFixture } from '../helpers/fixture-server';
import {
  chatBody,
  fakeKey,
  postJson,
  rawRequest,
  type Served,
  serveFetchPath,
  serveHandler,
  serveNode,
} from './loopback';

const recording = streamFixture('pyai02-text-after-tool-obfuscation-include-usage.sse');
const sse = { 'content-type': 'text/event-stream; charset=utf-8' };

let fake: FixtureServer;
beforeAll(async () => {
  fake = await startFixtureServer(() => ({ headers: sse, body: recording }));
});
const servers: Served[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await fake.close();
});

const oneAMinute = { windowMs: 60_000, max: 1 };

/** A POST whose `x-forwarded-for` arrives as two header lines, as two proxies may send it. */
function postForwarded(url: string, lines: [string, string]) {
  return rawRequest(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': lines } },
    JSON.stringify(chatBody()),
  );
}

describe.each([
  ['the node:http relay (toNodeHandler)', serveHandler],
  ['the fetch relay (any other runtime)', serveFetchPath],
] as const)('%s', (_name, serve) => {
  async function proxy(options: Partial<OpenAiProxyOptions> = {}) {
    const server = await serve(
      createOpenAiProxy({
        apiKey: fakeKey,
        upstream: `${fake.origin}/v1`,
        allowedModels: ['gpt-4o-mini'],
        ...options,
      }),
    );
    servers.push(server);
    return server.url;
  }

  it('gives identify a Fetch Request with the client’s URL and headers', async () => {
    const seenRequests: Request[] = [];
    const url = await proxy({
      rateLimit: oneAMinute,
      identify: (request) => {
        seenRequests.push(request);
        return request.headers.get('x-test-user');
      },
    });
    expect((await postJson(`${url}/api/chat?x=1`, chatBody(), { 'x-test-user': 'ann' })).status).toBe(200);
    expect((await postJson(`${url}/api/chat`, chatBody(), { 'x-test-user': 'bob' })).status).toBe(200);
    expect((await postJson(`${url}/api/chat`, chatBody(), { 'x-test-user': 'ann' })).status).toBe(429);
    const [first] = seenRequests;
    expect(first).toBeInstanceOf(Request);
    expect(first!.method).toBe('POST');
    expect(new URL(first!.url).pathname + new URL(first!.url).search).toBe('/api/chat?x=1');
    expect(first!.headers.get('content-type')).toBe('application/json');
  });

  it('reads a header sent on two lines as Fetch does: trustProxy counts from the right of both', async () => {
    const url = await proxy({ trustProxy: 1, rateLimit: oneAMinute });
    expect((await postForwarded(url, ['198.51.100.1', '203.0.113.1'])).status).toBe(200);
    // The same right-most entry is the same client, whatever the client wrote to its left.
    expect((await postForwarded(url, ['198.51.100.2', '203.0.113.1'])).status).toBe(429);
    expect((await postForwarded(url, ['198.51.100.1', '203.0.113.2'])).status).toBe(200);
  });

  it('refuses a body over maxBodyBytes (413), declared or not, and non-JSON (415, 400)', async () => {
    const url = await proxy({ maxBodyBytes: 1024 });
    const big = JSON.stringify(chatBody('x'.repeat(4000)));
    expect((await postJson(url, big)).status).toBe(413);
    const chunked = await rawRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      big,
    );
    expect(chunked.status).toBe(413);
    expect((await postJson(url, chatBody(), { 'content-type': 'text/plain' })).status).toBe(415);
    const notUtf8 = await rawRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1'),
    );
    expect(notUtf8.status).toBe(400);
    expect((await postJson(url, chatBody())).status).toBe(200);
  });

  it('refuses a foreign origin and a host it does not serve (403)', async () => {
    const url = await proxy({ allowedHosts: ['127.0.0.1'] });
    expect((await postJson(url, chatBody(), { origin: 'https://evil.example' })).status).toBe(403);
    const wrongHost = await rawRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', host: 'rebind.attacker.example' } },
      JSON.stringify(chatBody()),
    );
    expect(wrongHost.status).toBe(403);
    expect(wrongHost.body).toContain('host_not_allowed');
    expect((await postJson(url, chatBody(), { origin: url })).status).toBe(200);
  });
});

it('relays a body a parser already read on the node:http relay, with its own length, not the client’s', async () => {
  const handler = toNodeHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: `${fake.origin}/v1`,
      allowedModels: ['gpt-4o-mini'],
      maxBodyBytes: 1024,
    }),
  );
  // As express.json() leaves it: the stream read to its end, the value on req.body.
  const server = await serveNode(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    (req as http.IncomingMessage & { body?: unknown }).body = JSON.parse(text);
    handler(req, res);
  });
  servers.push(server);
  const before = fake.requests.length;
  // Padded with spaces past maxBodyBytes: the client declared more than the parsed body re-serializes to.
  const padded = `${JSON.stringify(chatBody('parsed'))}${' '.repeat(2000)}`;
  const response = await postJson(server.url, padded);
  expect(response.status).toBe(200);
  expect(response.text).toBe(recording.toString('utf8'));
  expect(fake.requests[before]!.json).toMatchObject({ messages: [{ role: 'user', content: 'parsed' }] });
});
