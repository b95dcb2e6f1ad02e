// Upstream failures become clean JSON errors with a status the client can act on, and nothing of the
// key survives: a fake OpenAI on loopback replays the recorded error responses byte for byte and
// builds the documented 429s, including bodies that quote the key.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy } from '../../src/server/index';
import {
  chatBody,
  fakeKey,
  keySightings,
  postJson,
  recordedError,
  type Served,
  seen,
  serveHandler,
  serveNode,
} from './loopback';

type Reply = { status: number; headers: Record<string, string>; body: string };
let reply: (request: http.IncomingMessage) => Reply;
let fakeOpenAi: Served;
let proxy: Served;

beforeAll(async () => {
  fakeOpenAi = await serveNode((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, headers, body } = reply(request);
      response.writeHead(status, headers).end(body);
    });
  });
  proxy = await serveHandler(
    createOpenAiProxy({ apiKey: fakeKey, allowedModels: ['gpt-4o-mini'], upstream: `${fakeOpenAi.url}/v1/` }),
  );
});
afterAll(async () => {
  await proxy.close();
  await fakeOpenAi.close();
});

const errorOf = (text: string) => JSON.parse(text).error;

describe('recorded OpenAI errors', () => {
  it('maps a 401 (the server’s key is wrong) to 502 upstream_auth_failed, without the masked key', async () => {
    for (const name of [
      '401-invalid_api_key-chat-2024-01',
      '401-invalid_api_key-completions-stream-2025-01',
    ]) {
      reply = () => recordedError(name);
      const response = await postJson(proxy.url, chatBody());
      expect(response.status).toBe(502);
      expect(errorOf(response.text)).toMatchObject({ type: 'upstream_error', code: 'upstream_auth_failed' });
      expect(response.text).not.toContain('****');
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('keeps the x-request-id of the failed upstream request', async () => {
    reply = () => recordedError('401-invalid_api_key-completions-stream-2025-01');
    const response = await postJson(proxy.url, chatBody());
    expect(response.headers.get('x-request-id')).toBe('req_c45bfc7515dca54ef87c667f8210af23');
  });

  it('passes a 404 model_not_found and a 400 on with their status, code and message', async () => {
    reply = () => recordedError('404-model_not_found-chat-2025-09');
    const notFound = await postJson(proxy.url, chatBody());
    expect(notFound.status).toBe(404);
    expect(errorOf(notFound.text)).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
    expect(errorOf(notFound.text).message).toContain('does not exist');

    reply = () => recordedError('400-unsupported_parameter-chat-2025-07');
    const badRequest = await postJson(proxy.url, chatBody());
    expect(badRequest.status).toBe(400);
    expect(errorOf(badRequest.text)).toMatchObject({ code: 'unsupported_parameter' });
    expect(badRequest.headers.get('x-request-id')).toBe('req_7be4715c3ee32aa406eacb68c7cc966e');
    expect(badRequest.headers.get('openai-organization')).toBeNull();
  });
});

describe('documented errors with no recording', () => {
  const openAi429 = (code: string, type: string): Reply => ({
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '7', 'retry-after-ms': '6500' },
    body: JSON.stringify({ error: { message: `429 ${code}`, type, param: null, code } }),
  });

  it('keeps a 429 rate_limit_exceeded a 429 with its Retry-After headers', async () => {
    reply = () => openAi429('rate_limit_exceeded', 'requests');
    const response = await postJson(proxy.url, chatBody());
    expect(response.status).toBe(429);
    expect(errorOf(response.text)).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('retry-after-ms')).toBe('6500');
  });

  it('keeps insufficient_quota distinguishable from a rate limit', async () => {
    reply = () => openAi429('insufficient_quota', 'insufficient_quota');
    const response = await postJson(proxy.url, chatBody());
    expect(response.status).toBe(429);
    expect(errorOf(response.text)).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
  });

  it('maps 500, 503 and an HTML error page to 502 upstream_server_error', async () => {
    const replies: Reply[] = [
      {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}',
      },
      {
        status: 503,
        headers: { 'retry-after': '3' },
        body: '{"error":{"message":"overloaded","type":"server_error"}}',
      },
      {
        status: 500,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Bad gateway</body></html>',
      },
    ];
    for (const next of replies) {
      reply = () => next;
      const response = await postJson(proxy.url, chatBody());
      expect(response.status).toBe(502);
      expect(errorOf(response.text)).toMatchObject({ type: 'upstream_error', code: 'upstream_server_error' });
      expect(response.text).not.toContain('<html>');
    }
  });

  it('redacts the key from an upstream message that quotes it in full or masked', async () => {
    reply = (request) => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: {
          message: `Bad header ${request.headers.authorization}; key sk-test-pr****SxyZ rejected`,
          type: 'invalid_request_error',
          code: 'bad_header',
        },
      }),
    });
    const response = await postJson(proxy.url, chatBody());
    expect(response.status).toBe(400);
    expect(errorOf(response.text).message).toContain('[redacted]');
    expect(response.text).not.toContain('sk-test');
  });

  it('answers 502 upstream_unreachable when nothing listens upstream', async () => {
    const dead = await serveHandler(
      createOpenAiProxy({
        apiKey: fakeKey,
        allowedModels: ['gpt-4o-mini'],
        upstream: 'http://127.0.0.1:9/v1',
      }),
    );
    const response = await postJson(dead.url, chatBody());
    await dead.close();
    expect(response.status).toBe(502);
    expect(errorOf(response.text)).toMatchObject({ code: 'upstream_unreachable' });
  });
});

it('sent the key upstream as a bearer token (so the search below is meaningful)', async () => {
  let authorization: string | undefined;
  reply = (request) => {
    authorization = request.headers.authorization;
    return recordedError('404-model_not_found-chat-2025-09');
  };
  await postJson(proxy.url, chatBody());
  expect(authorization).toBe(`Bearer ${fakeKey}`);
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(10);
  expect(keySightings()).toEqual([]);
});
