// Proxy-side upstream timeouts: an upstream that never answers gets 504 before the first byte; one that
// goes silent mid-stream ends the client's stream with an error event in the API's own shape. Either
// way the upstream request is aborted, and the chatwire adapter reports a clean error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter } from '../../src/index';
import { createOpenAiProxy, type UsageEvent } from '../../src/server/index';
import { type FixtureServer, startFixtureServer, streamFixture } from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { fakeKey, postJson, type Served, serveHandler, serveNode } from './loopback';

const chatRecording = streamFixture('py01-text-basic.sse');
const responsesRecording = readFixture('responses/dd01-text-basic.sse');
const sse = { 'content-type': 'text/event-stream' };
let fake: FixtureServer;
let proxy: Served;
const events: UsageEvent[] = [];

beforeAll(async () => {
  fake = await startFixtureServer((request) => {
    const prompt = JSON.stringify(request.json);
    const bytes = request.url.endsWith('/responses') ? responsesRecording : chatRecording;
    if (prompt.includes('/never')) return { stallBeforeHeaders: true };
    // The first events, then silence with the connection open.
    if (prompt.includes('/stall')) return { headers: sse, body: bytes.subarray(0, 700), after: 'stall' };
    return { headers: sse, body: bytes };
  });
  proxy = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: `${fake.origin}/v1`,
      allowedModels: ['gpt-4o-mini', 'gpt-4.1'],
      timeout: { request: 300, idle: 300 },
      onUsage: (event) => {
        events.push(event);
      },
    }),
  );
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});

const chat = (content: string) => ({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content }],
});

describe('timeout.request', () => {
  it('answers 504 upstream_timeout when the upstream sends no response in time', async () => {
    const started = Date.now();
    const response = await postJson(`${proxy.url}/api/chat`, chat('/never'));
    expect(response.status).toBe(504);
    expect(JSON.parse(response.text).error).toMatchObject({
      type: 'upstream_error',
      code: 'upstream_timeout',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('timeout.idle', () => {
  it('ends a stalled Chat Completions stream with an error event, keeping what came before', async () => {
    events.length = 0;
    const response = await postJson(`${proxy.url}/api/chat`, chat('/stall'));
    expect(response.status).toBe(200);
    // Whole events only: the half event the upstream stalled in is never passed on.
    const sent = chatRecording.subarray(0, 700).toString('utf8');
    const whole = sent.slice(0, sent.lastIndexOf('\n\n') + 2);
    expect(whole.length).toBeGreaterThan(100);
    expect(response.text.startsWith(whole)).toBe(true);
    expect(response.text.slice(whole.length)).toMatch(/^data: \{"error":/);
    const last = response.text.trim().split('\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length)).error).toMatchObject({ code: 'upstream_timeout' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.at(-1)).toMatchObject({ outcome: 'failed', usage: null });
  });

  it('ends a stalled Responses stream with an `error` event', async () => {
    const response = await postJson(`${proxy.url}/v1/responses`, {
      model: 'gpt-4.1',
      stream: true,
      input: '/stall',
    });
    const tail = response.text.trim().split('\n').slice(-2);
    expect(tail[0]).toBe('event: error');
    expect(JSON.parse(tail[1]!.slice('data: '.length))).toMatchObject({
      type: 'error',
      code: 'upstream_timeout',
    });
  });

  it('reaches the chatwire adapter as a stream error with the partial text kept', async () => {
    const adapter = createChatAdapter().withUrl(`${proxy.url}/api/chat`).withMaxRetries(0).create();
    const error = await new Promise<{ code: string; partialText?: string }>((resolve) => {
      adapter.streamText('/stall', { next() {}, complete: () => resolve({ code: 'none' }), error: resolve });
    });
    expect(error.code).toBe('stream-error');
  });

  it('aborts the upstream request, before the first byte and mid-stream', async () => {
    const closedAt: string[] = [];
    const upstream = await serveNode((req, res) => {
      res.on('close', () => closedAt.push('closed'));
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        if (body.includes('/stall')) {
          res.writeHead(200, sse);
          res.write(chatRecording.subarray(0, 700));
        }
        // '/never': no answer at all.
      });
    });
    const silent = await serveHandler(
      createOpenAiProxy({
        apiKey: fakeKey,
        upstream: `${upstream.url}/v1`,
        allowedModels: ['gpt-4o-mini'],
        timeout: { request: 200, idle: 200 },
      }),
    );
    expect((await postJson(`${silent.url}/api/chat`, chat('/never'))).status).toBe(504);
    expect((await postJson(`${silent.url}/api/chat`, chat('/stall'))).text).toContain('upstream_timeout');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closedAt).toEqual(['closed', 'closed']);
    await silent.close();
    await upstream.close();
  });
});
