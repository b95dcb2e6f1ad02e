// Who a request counts against. Forwarding headers are written by whoever sends the request, so they are
// believed only when the owner says a proxy of theirs sets them (trustProxy); otherwise the client is
// the connection's own address, which toNodeHandler supplies. Clients are never lumped into one bucket.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { addressKey } from '../../src/server/client-identity';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { chatBody, collectGarbage, fakeKey, postJson, type Served, serveHandler } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
type Options = Parameters<typeof createOpenAiProxy>[0];
const upstream = createOfflineModel({ delayMs: 0 });
const proxyWith = (options: Partial<Options>) =>
  createOpenAiProxy({ apiKey: fakeKey, upstream, allowedModels: ['gpt-4o-mini'], ...options });
const serve = async (options: Partial<Options>) => {
  const server = await serveHandler(proxyWith(options));
  servers.push(server);
  return server.url;
};
const oneAMinute = { windowMs: 60_000, max: 1 };

/** A POST from a chosen loopback address (all of 127.0.0.0/8 is this machine), so connections differ. */
function postFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(chatBody()));
  });
}

describe('by default, the connection’s address', () => {
  it('does not let spoofed cf-connecting-ip / x-forwarded-for headers pass a 1-per-minute limit', async () => {
    const url = await serve({ rateLimit: oneAMinute });
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const response = await postJson(url, chatBody(), {
        'cf-connecting-ip': `10.0.0.${i}`,
        'x-forwarded-for': `198.51.100.${i}, 203.0.113.${i}`,
        'x-real-ip': `192.0.2.${i}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 429, 429, 429, 429]);
  });

  it('counts two clients on different addresses apart: no shared anonymous bucket', async () => {
    const url = await serve({ rateLimit: oneAMinute });
    expect(await postFrom('127.0.0.2', url)).toBe(200);
    expect(await postFrom('127.0.0.3', url)).toBe(200);
    expect(await postFrom('127.0.0.2', url)).toBe(429);
    expect(await postFrom('127.0.0.3', url)).toBe(429);
  });

  it('refuses with 500 client_unidentified, rather than share one bucket, when no address is known', async () => {
    const proxy = proxyWith({ rateLimit: oneAMinute });
    const request = () =>
      new Request('http://localhost/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chatBody()),
      });
    const response = await proxy(request());
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe('client_unidentified');
    // The address a runtime gives: toNodeHandler's clientAddress, Deno's remoteAddr, Bun's requestIP().
    expect((await proxy(request(), { clientAddress: '192.0.2.1' })).status).toBe(200);
    expect((await proxy(request(), { remoteAddr: { hostname: '192.0.2.2' } })).status).toBe(200);
    expect((await proxy(request(), { requestIP: () => ({ address: '192.0.2.3' }) })).status).toBe(200);
    expect((await proxy(request(), { clientAddress: '192.0.2.1' })).status).toBe(429);
    // Without limits nothing needs an identity.
    expect((await proxyWith({})(request())).status).toBe(200);
  });
});

describe('trustProxy', () => {
  it("'cloudflare' keys on cf-connecting-ip", async () => {
    const url = await serve({ rateLimit: oneAMinute, trustProxy: 'cloudflare' });
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '10.0.0.1' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '10.0.0.2' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'cf-connecting-ip': '10.0.0.1' })).status).toBe(429);
  });

  it('a number of hops takes that entry from the right of x-forwarded-for; entries before it are ignored', async () => {
    const url = await serve({ rateLimit: oneAMinute, trustProxy: 2 });
    // Two proxies appended "client, proxy1"; anything left of them is what the client claimed.
    expect(
      (await postJson(url, chatBody(), { 'x-forwarded-for': 'spoof-1, 198.51.100.1, 10.1.1.1' })).status,
    ).toBe(200);
    expect(
      (await postJson(url, chatBody(), { 'x-forwarded-for': 'spoof-2, 198.51.100.1, 10.1.1.1' })).status,
    ).toBe(429);
    expect((await postJson(url, chatBody(), { 'x-forwarded-for': '198.51.100.2, 10.1.1.1' })).status).toBe(
      200,
    );
  });

  it('is checked at creation', () => {
    for (const trustProxy of [0, -1, 1.5, 'yes', true]) {
      expect(() => proxyWith({ trustProxy: trustProxy as 'cloudflare' })).toThrow(
        expect.objectContaining({ code: 'invalid-config' }),
      );
    }
  });
});

describe('identify', () => {
  it('keys on the app’s own user, and falls back to the address for visitors it does not know', async () => {
    const url = await serve({
      rateLimit: oneAMinute,
      identify: (request, client) => {
        expect(client.address).toMatch(/127\.0\.0\.1/);
        return request.headers.get('x-test-user');
      },
    });
    expect((await postJson(url, chatBody(), { 'x-test-user': 'ann' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'x-test-user': 'bob' })).status).toBe(200);
    expect((await postJson(url, chatBody(), { 'x-test-user': 'ann' })).status).toBe(429);
    expect((await postJson(url, chatBody())).status).toBe(200);
    expect((await postJson(url, chatBody())).status).toBe(429);
  });

  it('a throwing identify answers 500 internal_error, with CORS headers for an allowed origin', async () => {
    const url = await serve({
      allowedOrigins: ['https://app.example'],
      identify: () => {
        throw new Error('session store down');
      },
    });
    const response = await postJson(url, chatBody(), { origin: 'https://app.example' });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text).error.code).toBe('internal_error');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.text).not.toContain('session store');
  });
});

describe('bounded keys', () => {
  it('5,000 refused requests with distinct 8 KB identities do not hold megabytes', async () => {
    const proxy = proxyWith({ rateLimit: oneAMinute, trustProxy: 'cloudflare' });
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 5000; i++) {
      const response = await proxy(
        new Request('http://localhost/api/chat', {
          method: 'POST',
          // Refused after counting (415), so nothing goes upstream.
          headers: { 'content-type': 'text/plain', 'cf-connecting-ip': `${i}-${'k'.repeat(8 * 1024)}` },
          body: 'x',
        }),
      );
      expect(response.status).toBe(415);
    }
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    // Stored as is, 5,000 × 8 KB keys would be 40 MB (80 MB as UTF-16).
    expect(grown).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('addressKey', () => {
  it('counts IPv4-mapped IPv6 as IPv4 and IPv6 per /64', () => {
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('[2001:DB8:1:2:bbbb:cccc:dddd:eeee]')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('not an address')).toBe('not an address');
  });
});
