// Rate limiting per client: the in-memory limiter answers 429 with Retry-After once a client used its
// quota, other clients are unaffected, and a custom RateLimiter (a shared store) is what gets asked.
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy, type RateLimiter } from '../../src/server/index';
import { chatBody, fakeKey, keySightings, postJson, type Served, seen, serveHandler } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
const serve = async (...args: Parameters<typeof createOpenAiProxy>) => {
  const server = await serveHandler(createOpenAiProxy(...args));
  servers.push(server);
  return server.url;
};
const upstream = createOfflineModel({ delayMs: 0 });

describe('rateLimit { windowMs, max }', () => {
  it('refuses the request after max with 429, Retry-After and an OpenAI-shaped error', async () => {
    const url = await serve({ apiKey: fakeKey, upstream, rateLimit: { windowMs: 60_000, max: 2 } });
    const client = { 'x-forwarded-for': '203.0.113.7' };
    expect((await postJson(url, chatBody(), client)).status).toBe(200);
    expect((await postJson(url, chatBody(), client)).status).toBe(200);
    const refused = await postJson(url, chatBody(), client);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(refused.text).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
  });

  it('keys on clientKey when given', async () => {
    const url = await serve({
      apiKey: fakeKey,
      upstream,
      rateLimit: { windowMs: 60_000, max: 1 },
      clientKey: (request) => request.headers.get('x-user') ?? 'nobody',
    });
    expect((await postJson(url, chatBody(), { 'x-user': 'ann' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'x-user': 'bob' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'x-user': 'ann' })).status).toBe(429);
  });
});

describe('rateLimit.store', () => {
  it('is asked once per POST, and its resetMs becomes Retry-After seconds', async () => {
    const asked: string[] = [];
    const shared: RateLimiter = {
      async add(key, amount) {
        asked.push(key);
        return { total: asked.length * amount, resetMs: 2500 };
      },
    };
    const url = await serve({
      apiKey: fakeKey,
      upstream,
      rateLimit: { windowMs: 60_000, max: 1, store: shared },
      clientKey: () => '192.0.2.9',
    });
    expect((await postJson(url, chatBody())).status).toBe(200);
    const refused = await postJson(url, chatBody());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(asked).toEqual(['req:192.0.2.9', 'req:192.0.2.9']);
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(5);
  expect(keySightings()).toEqual([]);
});
