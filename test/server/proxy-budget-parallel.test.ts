// A token budget holds against requests sent in parallel: each running request reserves its worst
// case, so 30 requests fired at once cannot all be admitted against what none of them has been charged
// yet. In this process's memory, and shared by two proxies through a real redis-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy, createRedisRateLimiter, type RateLimiter } from '../../src/server/index';
import { clientKinds, connectClient, type TestClient } from '../helpers/redis-clients';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import {
  chatBody,
  fakeKey,
  postJson,
  type Served,
  serveFetchPath,
  serveHandler,
  serveNode,
} from './loopback';

const servers: Served[] = [];
let redis: RedisServer;
let upstream: Served;
let calls = 0;
// While a burst runs, the upstream's replies wait here (see `burst`).
let gate: (() => void)[] | undefined;
// What each reply reports: small input, and as much output as its cap allows (or 1,000 tokens).
const usageOf = (body: { max_completion_tokens?: number }) => {
  const completion = Math.min(990, body.max_completion_tokens ?? 990);
  return { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion };
};

beforeAll(async () => {
  redis = await startRedisServer();
  // A slow upstream: outside a burst each reply takes 500 ms.
  upstream = await serveNode((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      calls++;
      const reply = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: usageOf(JSON.parse(text)),
          }),
        );
      if (gate) gate.push(reply);
      else setTimeout(reply, 500);
    });
  });
});
afterAll(async () => {
  await Promise.all([upstream?.close(), ...servers.map((server) => server.close())]);
  await redis?.close();
});

type Options = Parameters<typeof createOpenAiProxy>[0];
const proxy = (options: Partial<Options> = {}) =>
  createOpenAiProxy({
    apiKey: fakeKey,
    upstream: `${upstream.url}/v1`,
    allowedModels: ['gpt-4o-mini'],
    // The reported setup, with room in the rate limit for the follow-ups after the burst of 30.
    rateLimit: { windowMs: 60_000, max: 40 },
    budget: { tokens: 2000, windowMs: 3_600_000 },
    ...options,
  });
const track = (served: Served) => {
  servers.push(served);
  return served.url;
};
const burst = async (urls: string[], count = 30) => {
  const before = calls;
  const replies: (() => void)[] = [];
  gate = replies;
  let answered = 0;
  const pending = Array.from({ length: count }, (_, i) =>
    postJson(urls[i % urls.length]!, chatBody()).then((result) => {
      answered++;
      return result;
    }),
  );
  // The upstream answers once every request of the burst was refused or reached it: all of them run at
  // once however slowly this machine sends them.
  while (answered + replies.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  gate = undefined;
  for (const reply of replies) reply();
  const results = await Promise.all(pending);
  const refused = results.filter((result) => result.status !== 200);
  for (const result of refused) {
    expect(result.status).toBe(429);
    expect(JSON.parse(result.text).error.code).toBe('budget_exceeded');
  }
  return { admitted: results.length - refused.length, upstreamCalls: calls - before };
};
const waitForSettling = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('a budget under parallel requests (in-memory store)', () => {
  for (const [path, serve] of [
    ['node:http fast path', serveHandler],
    ['Fetch path', serveFetchPath],
  ] as const) {
    it(`admits one request at a time when its output cap does not fit what is left (${path})`, async () => {
      const url = track(await serve(proxy()));
      // Each request reserves its input estimate plus the default 2048-token cap: more than the budget,
      // so only the rule "one request while any budget is left" lets one in.
      expect(await burst([url])).toEqual({ admitted: 1, upstreamCalls: 1 });
      await waitForSettling();
      // 1,000 of 2,000 spent: one more may go, and that one ends past the budget.
      expect(await burst([url], 5)).toEqual({ admitted: 1, upstreamCalls: 1 });
      await waitForSettling();
      const spent = await postJson(url, chatBody());
      expect(spent.status).toBe(429);
      expect(JSON.parse(spent.text).error.message).toContain('used up');
    });
  }

  it('admits as many as their reservations fit, and they stay within the budget', async () => {
    const url = track(await serveHandler(proxy({ maxCompletionTokens: 400 })));
    // Reservations of ~430 tokens each (input estimate + 400): four fit in 2,000; each reply costs 410.
    const { admitted, upstreamCalls } = await burst([url]);
    expect(admitted).toBe(4);
    expect(upstreamCalls).toBe(4);
    expect(upstreamCalls * 410).toBeLessThanOrEqual(2000);
  });

  it('releases the reservation of a request the upstream refused, charging nothing', async () => {
    const store: RateLimiter & { counts: Map<string, number> } = {
      counts: new Map(),
      add(key, amount) {
        this.counts.set(key, (this.counts.get(key) ?? 0) + amount);
        return { total: this.counts.get(key)!, resetMs: 1000 };
      },
    };
    const url = track(
      await serveHandler(
        proxy({ upstream: 'http://127.0.0.1:1/v1', rateLimit: { windowMs: 60_000, max: 40, store } }),
      ),
    );
    // Unreachable upstream: each request is refused with 502 and leaves no reservation behind, so the
    // next one is admitted by the same rule (nothing running, budget left).
    for (let i = 0; i < 3; i++) expect((await postJson(url, chatBody())).status).toBe(502);
    expect(store.counts.get('tok:ip:127.0.0.1') ?? 0).toBe(0);
  });

  it('releases the reservation of a client that left, and charges its worst case', async () => {
    const url = track(await serveHandler(proxy()));
    const controller = new AbortController();
    const left = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody()),
      signal: controller.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await left;
    await waitForSettling();
    // Its worst case (~2,080 tokens) is charged, and no reservation is left to name as the reason.
    const after = await postJson(url, chatBody());
    expect(after.status).toBe(429);
    expect(JSON.parse(after.text).error.message).toContain('used up');
  });
});

describe.each(clientKinds)('a budget under parallel requests, shared through Redis (%s client)', (kind) => {
  let connections: TestClient[] = [];
  beforeAll(async () => {
    connections = await Promise.all([connectClient(kind, redis.url), connectClient(kind, redis.url)]);
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit()));
  });
  // Two proxies, each with its own client, as two instances behind a load balancer would be.
  const twoProxies = async (prefix: string, options: Partial<Options> = {}) =>
    Promise.all(
      connections.map(async ({ client }) =>
        track(
          await serveHandler(
            proxy({
              rateLimit: {
                windowMs: 60_000,
                max: 40,
                store: createRedisRateLimiter({ client, prefix, timeoutMs: 5000 }),
                storeTimeoutMs: 5000,
              },
              ...options,
            }),
          ),
        ),
      ),
    );

  it('admits one request between both instances when its cap does not fit what is left', async () => {
    const urls = await twoProxies(`parallel-one-${kind}:`);
    expect(await burst(urls)).toEqual({ admitted: 1, upstreamCalls: 1 });
    await waitForSettling();
    expect(await burst(urls, 6)).toEqual({ admitted: 1, upstreamCalls: 1 });
    await waitForSettling();
    expect((await postJson(urls[1]!, chatBody())).status).toBe(429);
    // Every reservation was released: only spent slots are left in the key.
    const fields = (await connections[0]!.command(
      'HKEYS',
      `parallel-one-${kind}:tok:ip:127.0.0.1`,
    )) as string[];
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.filter((field) => field.startsWith('r'))).toEqual([]);
  });

  it('admits as many as fit, counted across both instances', async () => {
    const urls = await twoProxies(`parallel-fit-${kind}:`, { maxCompletionTokens: 400 });
    expect(await burst(urls)).toEqual({ admitted: 4, upstreamCalls: 4 });
  });
});
