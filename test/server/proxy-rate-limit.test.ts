// Rate limiting per client: the in-memory limiter answers 429 with Retry-After once a client used its
// quota, other clients are unaffected, and a custom RateLimiter (a shared store) is what gets asked.
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryRateLimiter,
  createOfflineModel,
  createOpenAiProxy,
  type RateLimiter,
} from '../../src/server/index';
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

  it('counts clients separately: by cf-connecting-ip, else the last x-forwarded-for entry', async () => {
    const url = await serve({ apiKey: fakeKey, upstream, rateLimit: { windowMs: 60_000, max: 1 } });
    expect((await postJson(url, chatBody(), { 'x-forwarded-for': 'spoofed, 198.51.100.1' })).status).toBe(
      200,
    );
    // Same last hop, different client-written first entry: still the same client.
    expect((await postJson(url, chatBody(), { 'x-forwarded-for': 'other, 198.51.100.1' })).status).toBe(429);
    expect((await postJson(url, chatBody(), { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '198.51.100.1' })).status).toBe(429);
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '198.51.100.3' })).status).toBe(200);
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

describe('a custom RateLimiter', () => {
  it('is asked once per POST with the client key, and its retryAfterMs becomes Retry-After seconds', async () => {
    const asked: string[] = [];
    const shared: RateLimiter = {
      async hit(key) {
        asked.push(key);
        return asked.length > 1 ? { allowed: false, retryAfterMs: 2500 } : { allowed: true, retryAfterMs: 0 };
      },
    };
    const url = await serve({ apiKey: fakeKey, upstream, rateLimit: shared });
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '192.0.2.9' })).status).toBe(200);
    const refused = await postJson(url, chatBody(), { 'cf-connecting-ip': '192.0.2.9' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(asked).toEqual(['192.0.2.9', '192.0.2.9']);
  });
});

describe('a failing RateLimiter', () => {
  it('makes the proxy answer 500 internal_error without the failure’s message', async () => {
    const broken: RateLimiter = {
      hit: () => Promise.reject(new Error(`redis://user:${fakeKey}@cache refused`)),
    };
    const url = await serve({ apiKey: fakeKey, upstream, rateLimit: broken });
    const response = await postJson(url, chatBody());
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text).error).toMatchObject({ type: 'server_error', code: 'internal_error' });
    expect(response.text).not.toContain('redis');
  });
});

describe('createMemoryRateLimiter', () => {
  it('lets a client in again once its oldest request leaves the window', async () => {
    const limiter = createMemoryRateLimiter({ windowMs: 40, max: 1 });
    expect(await limiter.hit('a')).toEqual({ allowed: true, retryAfterMs: 0 });
    const refused = await limiter.hit('a');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(40);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 5));
    expect((await limiter.hit('a')).allowed).toBe(true);
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(10);
  expect(keySightings()).toEqual([]);
});
