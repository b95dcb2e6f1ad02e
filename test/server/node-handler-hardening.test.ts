// toNodeHandler under the conditions that used to hang or leak: a body parser that already read the
// body, a client that disconnects mid-body, a client that stops reading a stream. And it hands the
// handler the connection's address, never a header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ConnectionInfo,
  createOfflineModel,
  createOpenAiProxy,
  type FetchHandler,
  toNodeHandler,
} from '../../src/server/index';
import { chatBody, fakeKey, type Served, serveNode } from './loopback';

const servers: Served[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));
async function serve(listener: http.RequestListener) {
  const server = await serveNode(listener);
  servers.push(server);
  return server.url;
}

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** What express.json() does: reads the whole body, then leaves the parse on req.body. */
function jsonBodyParser(next: http.RequestListener): http.RequestListener {
  return (req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      (req as http.IncomingMessage & { body?: unknown }).body = JSON.parse(text);
      next(req, res);
    });
  };
}

describe('a body another middleware already read', () => {
  it('is taken from the parsed req.body, so the proxy answers instead of hanging', async () => {
    const proxy = createOpenAiProxy({
      apiKey: fakeKey,
      upstream: createOfflineModel({ delayMs: 0 }),
      allowedModels: ['gpt-4o-mini'],
    });
    const url = await serve(jsonBodyParser(toNodeHandler(proxy)));
    const response = await post(url, JSON.stringify(chatBody('/echo parsed already')), {
      'content-length': String(JSON.stringify(chatBody('/echo parsed already')).length),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).choices[0].message.content).toBe('parsed already');
  });

  it('fails fast with 500 body_already_read naming the cause when nothing parsed is left', async () => {
    const consumer: http.RequestListener = (req, res) => {
      req.resume();
      req.on('end', () => toNodeHandler(async (request) => new Response(await request.text()))(req, res));
    };
    const url = await serve(consumer);
    const started = Date.now();
    const response = await post(url, '{"a":1}');
    expect(response.status).toBe(500);
    const { error } = await response.json();
    expect(error.code).toBe('body_already_read');
    expect(error.message).toMatch(/body parser/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the connection', () => {
  it('gives the handler { clientAddress } from the socket, whatever the headers say', async () => {
    let seen: unknown;
    const handler: FetchHandler = (_request, connection) => {
      seen = (connection as ConnectionInfo | undefined)?.clientAddress;
      return new Response('ok');
    };
    const url = await serve(toNodeHandler(handler));
    await post(url, '{}', { 'x-forwarded-for': '6.6.6.6', 'cf-connecting-ip': '6.6.6.6' });
    expect(seen).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('fails a body read when the client disconnects mid-body, instead of waiting for it forever', async () => {
    let failure: unknown = 'not yet';
    const readDone = new Promise<void>((resolve) => {
      const handler: FetchHandler = async (request) => {
        failure = await request.text().then(
          () => 'completed',
          (error: unknown) => error,
        );
        resolve();
        return new Response('late');
      };
      void serve(toNodeHandler(handler)).then((url) => {
        const { port } = new URL(url);
        const request = http.request({
          port,
          host: '127.0.0.1',
          method: 'POST',
          headers: { 'content-length': '100000' },
        });
        request.on('error', () => {});
        request.write('{"partial":');
        setTimeout(() => request.destroy(), 100);
      });
    });
    await readDone;
    expect(failure).not.toBe('completed');
    expect(failure).toBeInstanceOf(Error);
  });

  // A client sending its body slowly (or never finishing it) was held, with what it sent so far, until
  // the body ended, even when it was refused for what its headers already said.
  it('refuses a client over its rate limit before reading its body, and takes the rest as it comes', async () => {
    // An upstream at a URL, which is what puts the proxy on the node:http fast path.
    const model = await serve(toNodeHandler(createOfflineModel()));
    const url = await serve(
      toNodeHandler(
        createOpenAiProxy({
          apiKey: fakeKey,
          upstream: `${model}/v1`,
          allowedModels: ['gpt-4o-mini'],
          rateLimit: { windowMs: 60_000, max: 1 },
        }),
      ),
    );
    expect((await post(url, JSON.stringify(chatBody()))).status).toBe(200);
    const body = JSON.stringify(chatBody());
    const { port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      request.on('error', reject);
      // The rest of the body is sent only once the answer came: an answer that waits for it never comes.
      request.on('response', (response) => {
        request.end(body.slice(10));
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.write(body.slice(0, 10));
    });
    expect(status).toBe(429);
  }, 10_000);

  it('disconnects a client that stops reading after writeTimeoutMs, and cancels the body', async () => {
    let cancelled = false;
    const handler: FetchHandler = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(new Uint8Array(64 * 1024));
          },
          cancel() {
            cancelled = true;
          },
        }),
      );
    const server = http.createServer(toNodeHandler(handler, { writeTimeoutMs: 200 }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let serverSockets = 0;
    server.on('connection', (socket) => {
      serverSockets++;
      socket.on('close', () => serverSockets--);
    });
    const request = http.request({ port, host: '127.0.0.1', method: 'GET' }, (response) => {
      // Never read: the socket's buffers fill, then the server waits on 'drain'.
      response.pause();
    });
    request.end();
    const started = Date.now();
    while (!cancelled && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancelled).toBe(true);
    expect(serverSockets).toBe(0);
    request.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a bad writeTimeoutMs with invalid-config', () => {
    expect(() => toNodeHandler(() => new Response(''), { writeTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });

  it('refuses a handler that is not a function with invalid-config, at the call', () => {
    for (const handler of [42, undefined, null, { fetch() {} }]) {
      expect(() => toNodeHandler(handler as never)).toThrow(
        expect.objectContaining({ name: 'ChatError', code: 'invalid-config' }),
      );
    }
  });
});
