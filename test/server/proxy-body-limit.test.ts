// maxBodyBytes is enforced while the body is read: a client streaming a huge body gets 413 after the
// first few chunks, long before it could finish sending, and a declared oversized body is refused unread.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOpenAiProxy } from '../../src/server/index';
import {
  chatBody,
  fakeKey,
  keySightings,
  postJson,
  recordingUpstream,
  type Served,
  seen,
  serveHandler,
} from './loopback';

const upstream = recordingUpstream();
let server: Served;
beforeAll(async () => {
  server = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      allowedModels: ['gpt-4o-mini'],
      upstream: upstream.handler,
      maxBodyBytes: 64 * 1024,
    }),
  );
});
afterAll(() => server.close());

it('accepts a body just under the limit', async () => {
  const padding = 'x'.repeat(60 * 1024);
  const response = await postJson(server.url, chatBody(padding));
  expect(response.status).toBe(200);
});

it('refuses a body declared larger than the limit with 413 body_too_large', async () => {
  const response = await postJson(server.url, chatBody('x'.repeat(70 * 1024)));
  expect(response.status).toBe(413);
  expect(JSON.parse(response.text).error).toMatchObject({
    type: 'invalid_request_error',
    code: 'body_too_large',
  });
});

it('cuts off a streamed (chunked, undeclared) huge body early', async () => {
  const chunk = Buffer.alloc(16 * 1024, 0x20);
  const totalChunks = 640; // 10 MiB if the server read it all
  const { status, written, body } = await new Promise<{ status: number; written: number; body: string }>(
    (resolve, reject) => {
      let written = 0;
      let answered = false;
      const request = http.request(`${server.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text) => {
          body += text;
        });
        response.on('end', () => resolve({ status: response.statusCode!, written, body }));
      });
      // The server may close the connection while this side still writes; the answer has arrived by then.
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      const pump = () => {
        if (answered || written >= totalChunks) {
          request.end();
          return;
        }
        written++;
        request.write(chunk);
        setTimeout(pump, 2);
      };
      request.write('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"');
      pump();
    },
  );
  expect(status).toBe(413);
  expect(JSON.parse(body).error.code).toBe('body_too_large');
  // 64 KiB is four of these chunks; the answer came while the client had sent a small fraction.
  expect(written).toBeLessThan(totalChunks / 4);
  expect(upstream.received.length).toBe(1);
});

it('applies the maxBodyBytes it is given, not only the default', async () => {
  const small = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      allowedModels: ['gpt-4o-mini'],
      upstream: upstream.handler,
      maxBodyBytes: 1024,
    }),
  );
  try {
    // About 1.5 KiB: well under the default 64 KiB, over this proxy's 1 KiB.
    const refused = await postJson(small.url, chatBody('x'.repeat(1500)));
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.text).error.message).toContain('1024 bytes');
    expect((await postJson(small.url, chatBody('x'.repeat(900)))).status).toBe(200);
  } finally {
    await small.close();
  }
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(1);
  expect(keySightings()).toEqual([]);
});
