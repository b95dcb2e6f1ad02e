// allowedHosts refuses requests sent to other host names (DNS rebinding), and the upstream call never
// follows a redirect, which would carry the key to wherever it points.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
import { chatBody, fakeKey, postJson, type Served, serveHandler, serveNode } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
const track = (server: Served) => {
  servers.push(server);
  return server;
};

/** A POST with a chosen Host header (fetch forbids setting it). */
function postWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { host, 'content-type': 'application/json' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(chatBody()));
  });
}

describe('allowedHosts', () => {
  it('answers only for the listed hosts: a rebinding name gets 403 host_not_allowed', async () => {
    const { url } = track(
      await serveHandler(
        createOpenAiProxy({
          apiKey: fakeKey,
          upstream: createOfflineModel({ delayMs: 0 }),
          allowedModels: ['gpt-4o-mini'],
          allowedHosts: ['localhost', '127.0.0.1:1'],
        }),
      ),
    );
    const port = new URL(url).port;
    expect((await postWithHost(url, `localhost:${port}`)).status).toBe(200);
    expect((await postWithHost(url, `LOCALHOST:${port}`)).status).toBe(200);
    // An entry with a port matches that port only.
    expect((await postWithHost(url, `127.0.0.1:${port}`)).status).toBe(403);
    const rebound = await postWithHost(url, `rebind.attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.code).toBe('host_not_allowed');
  });

  it('is checked at creation', () => {
    expect(() =>
      createOpenAiProxy({
        apiKey: fakeKey,
        allowedModels: ['gpt-4o-mini'],
        allowedHosts: 'localhost' as never,
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});

describe('upstream redirects', () => {
  it('are not followed: the key never reaches the redirect’s target', async () => {
    const reachedTarget: (string | undefined)[] = [];
    const target = track(
      await serveNode((req, res) => {
        reachedTarget.push(req.headers.authorization);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }),
    );
    const redirecting = track(
      await serveNode((_req, res) => {
        res.writeHead(307, { location: `${target.url}/v1/chat/completions` }).end();
      }),
    );
    const proxy = track(
      await serveHandler(
        createOpenAiProxy({
          apiKey: fakeKey,
          upstream: `${redirecting.url}/v1`,
          allowedModels: ['gpt-4o-mini'],
        }),
      ),
    );
    const response = await postJson(`${proxy.url}/api/chat`, chatBody());
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text).error.code).toBe('upstream_unreachable');
    expect(reachedTarget).toEqual([]);
  });
});
