// allowedHosts refuses requests sent to other host names (DNS rebinding), and the upstream call never
// follows a redirect, which would carry the key to wherever it points.
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createOfflineModel, createOpenAiProxy } from '../../src/server/index';
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

  // Written as raw bytes: an HTTP client would not send a request target that names another host.
  const rawPost = (url: string, target: string, host: string) =>
    new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const body = JSON.stringify(chatBody());
      // Written without ending our side: the server closes the connection once it answered.
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(
          `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        resolve({ status, code: /"code":"([^"]+)"/.exec(text)?.[1] });
      });
    });

  for (const [path, serve] of [
    ['node:http fast path', serveHandler],
    ['Fetch path', serveFetchPath],
  ] as const) {
    it(`checks the Host header, not a host named in the request target (${path})`, async () => {
      const proxy = createOpenAiProxy({
        apiKey: fakeKey,
        upstream: 'http://127.0.0.1:1/v1',
        allowedModels: ['gpt-4o-mini'],
        allowedHosts: ['localhost:9130'],
      });
      const { url } = track(await serve(proxy));
      const rebound = 'rebind.attacker.example:9130';
      // A path that starts with `//` is a path here, so the host is still the Host header's.
      expect(await rawPost(url, '//localhost:9130/api/chat', rebound)).toEqual({
        status: 403,
        code: 'host_not_allowed',
      });
      // Absolute-form would override Host: it is refused outright.
      expect(await rawPost(url, 'http://localhost:9130/api/chat', rebound)).toEqual({
        status: 400,
        code: 'invalid_request_target',
      });
      expect(await rawPost(url, '/api/chat', `${rebound}@localhost:9130`)).toEqual({
        status: 400,
        code: 'invalid_request_target',
      });
      // The allowed host still gets through the host check (to an unreachable upstream: 502).
      expect((await rawPost(url, '/api/chat', 'localhost:9130')).status).toBe(502);
    });
  }

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
