// CORS: without allowedOrigins only same-origin pages may call; with it, exactly the listed origins get
// preflights answered and CORS headers, and every other origin is refused without any.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { chatBody, fakeKey, keySightings, postJson, type Served, seen, send, serveHandler } from './loopback';

const listed = 'https://app.example.com';
let sameOriginOnly: Served;
let withOrigins: Served;

beforeAll(async () => {
  const upstream = createOfflineModel({ delayMs: 0 });
  sameOriginOnly = await serveHandler(
    createOpenAiProxy({ apiKey: fakeKey, allowedModels: ['gpt-4o-mini'], upstream }),
  );
  withOrigins = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      allowedModels: ['gpt-4o-mini'],
      upstream,
      allowedOrigins: [listed],
    }),
  );
});
afterAll(async () => {
  await sameOriginOnly.close();
  await withOrigins.close();
});

const preflight = (url: string, origin: string) =>
  send(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-app',
    },
  });

describe('with allowedOrigins', () => {
  it('answers the preflight of a listed origin with exactly that origin', async () => {
    const response = await preflight(withOrigins.url, listed);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(listed);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-app');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('refuses the preflight of an unlisted origin without CORS headers', async () => {
    const response = await preflight(withOrigins.url, 'https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives a listed origin CORS headers on the POST, including on errors', async () => {
    const ok = await postJson(withOrigins.url, chatBody(), { origin: listed });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(listed);
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const bad = await postJson(withOrigins.url, '{', { origin: listed });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(listed);
  });

  it('refuses a POST from an unlisted origin with 403 and no CORS headers', async () => {
    const response = await postJson(withOrigins.url, chatBody(), { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text).error.code).toBe('origin_not_allowed');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('without allowedOrigins (same origin only)', () => {
  it('accepts a POST from the page on the same host, and one with no Origin at all', async () => {
    const same = await postJson(sameOriginOnly.url, chatBody(), { origin: sameOriginOnly.url });
    expect(same.status).toBe(200);
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
    const none = await postJson(sameOriginOnly.url, chatBody());
    expect(none.status).toBe(200);
  });

  it('refuses every foreign origin, including the opaque "null" origin', async () => {
    for (const origin of [listed, 'null', 'http://127.0.0.1:1']) {
      const response = await postJson(sameOriginOnly.url, chatBody(), { origin });
      expect(response.status, origin).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await preflight(sameOriginOnly.url, origin);
      expect(pre.status, origin).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(10);
  expect(keySightings()).toEqual([]);
});
