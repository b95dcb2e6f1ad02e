// onUsage and budgets read what each reply cost from the relayed stream itself: the last Chat
// Completions chunk, Responses' response.completed. Replayed from recorded OpenAI streams on a real
// loopback server, whole and split at random byte boundaries; onUsage is called exactly once per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy, type RateLimiter, type UsageEvent } from '../../src/server/index';
import {
  type FixtureReply,
  type FixtureServer,
  recordedHeaders,
  seededRandom,
  splitAtRandom,
  startFixtureServer,
  streamFixture,
} from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { fakeKey, postJson, type Served, serveHandler } from './loopback';

const chatRecording = streamFixture('pyai02-text-after-tool-obfuscation-include-usage.sse');
const responsesRecording = readFixture('responses/dd01-text-basic.sse');
const responsesHeaders = recordedHeaders('responses/dd01-text-basic.headers.txt').headers;
const sse = { 'content-type': 'text/event-stream; charset=utf-8' };

let fake: FixtureServer;
let cuts = 0;
const random = seededRandom(11);
const servers: Served[] = [];
let events: UsageEvent[] = [];

beforeAll(async () => {
  fake = await startFixtureServer((request): FixtureReply => {
    const prompt = JSON.stringify(request.json);
    const responses = request.url.endsWith('/responses');
    const bytes = responses ? responsesRecording : chatRecording;
    const body = cuts > 0 ? splitAtRandom(bytes, cuts, random) : bytes;
    if (prompt.includes('/limit')) {
      return {
        status: 429,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req_limited' },
        body: JSON.stringify({
          error: {
            message:
              'Rate limit reached for gpt-4o-mini in organization org-AbC123xyz on requests per min (RPM).',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        }),
      };
    }
    if (prompt.includes('/slow')) {
      const firstEvent = bytes.indexOf('\n\n') + 2;
      return {
        headers: sse,
        body: [bytes.subarray(0, firstEvent), bytes.subarray(firstEvent)],
        pauseMs: 1500,
      };
    }
    if (prompt.includes('/json')) {
      return {
        headers: { 'content-type': 'application/json', 'x-request-id': 'req_json' },
        body: JSON.stringify(
          {
            id: 'chatcmpl-1',
            object: 'chat.completion',
            choices: [],
            usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
          },
          null,
          2,
        ),
      };
    }
    return {
      headers: responses ? { ...responsesHeaders, ...sse } : { ...sse, 'x-request-id': 'req_chat' },
      body,
    };
  });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await fake.close();
});

async function serve(options: Partial<Parameters<typeof createOpenAiProxy>[0]> = {}) {
  const server = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: `${fake.origin}/v1`,
      allowedModels: ['gpt-4o-mini', 'gpt-4.1'],
      onUsage: (event) => {
        events.push(event);
      },
      ...options,
    }),
  );
  servers.push(server);
  return server.url;
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const chatBody = (content = 'hi') => ({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content }],
});
const responsesBody = (input = 'hi') => ({ model: 'gpt-4.1', stream: true, input });

describe('onUsage', () => {
  it('reports a Chat Completions stream’s usage once, with client, model, api and request id', async () => {
    events = [];
    const url = await serve();
    const response = await postJson(`${url}/api/chat`, chatBody());
    expect(response.text).toBe(chatRecording.toString('utf8'));
    await settle();
    expect(events).toEqual([
      {
        clientId: 'ip:127.0.0.1',
        model: 'gpt-4o-mini',
        api: 'chat-completions',
        usage: {
          promptTokens: 78,
          completionTokens: 9,
          totalTokens: 87,
          cachedTokens: 0,
          reasoningTokens: 0,
        },
        requestId: 'req_chat',
        outcome: 'completed',
        status: 200,
      },
    ]);
  });

  it('reports a Responses stream’s usage from response.completed', async () => {
    events = [];
    const url = await serve();
    const response = await postJson(`${url}/api/v1/responses`, responsesBody());
    expect(response.text).toBe(responsesRecording.toString('utf8'));
    await settle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      api: 'responses',
      model: 'gpt-4.1',
      usage: { promptTokens: 9, completionTokens: 12, totalTokens: 21, cachedTokens: 0, reasoningTokens: 0 },
      requestId: responsesHeaders['x-request-id'],
      outcome: 'completed',
    });
  });

  it('reads the same usage when the upstream’s bytes arrive split at random boundaries', async () => {
    const url = await serve();
    for (const pieces of [3, 17, 80]) {
      cuts = pieces;
      events = [];
      await postJson(`${url}/api/chat`, chatBody());
      await postJson(`${url}/api/chat`, responsesBody());
      await settle();
      expect(events.map((event) => event.usage?.totalTokens)).toEqual([87, 21]);
    }
    cuts = 0;
  });

  it('reads a JSON (non-stream) reply’s usage, pretty-printed or not', async () => {
    events = [];
    const url = await serve();
    await postJson(`${url}/api/chat`, { ...chatBody('/json'), stream: false });
    await settle();
    expect(events[0]).toMatchObject({
      usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12 },
      outcome: 'completed',
    });
  });

  it('reports refusals and upstream errors as failed, once each, and an upstream 429 without the org id', async () => {
    events = [];
    const url = await serve();
    const limited = await postJson(`${url}/api/chat`, chatBody('/limit'));
    expect(limited.status).toBe(429);
    expect(limited.text).not.toContain('org-AbC123xyz');
    expect(JSON.parse(limited.text).error.message).toContain('Rate limit reached');
    await postJson(`${url}/api/chat`, { ...chatBody(), model: 'o1' });
    await settle();
    expect(
      events.map(({ outcome, status, requestId, usage }) => ({ outcome, status, requestId, usage })),
    ).toEqual([
      { outcome: 'failed', status: 429, requestId: 'req_limited', usage: null },
      { outcome: 'failed', status: 400, requestId: null, usage: null },
    ]);
  });

  it('reports a client that leaves mid-stream as aborted, and charges its budget the worst case', async () => {
    events = [];
    const counts = new Map<string, number>();
    const store: RateLimiter = {
      add(key, amount) {
        counts.set(key, (counts.get(key) ?? 0) + amount);
        return { total: counts.get(key)!, resetMs: 60_000 };
      },
    };
    const url = await serve({
      rateLimit: { windowMs: 60_000, max: 100, store },
      budget: { tokens: 1_000_000, windowMs: 60_000 },
      maxCompletionTokens: 700,
    });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('/slow')),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'aborted', usage: null });
    // Walking away before the usage chunk saves nothing: the whole output cap, plus the input, is charged.
    expect(counts.get('tok:ip:127.0.0.1')).toBeGreaterThan(700);
  });

  it('is never given the key, and a throwing onUsage does not break the reply', async () => {
    const url = await serve({
      onUsage: (event) => {
        events.push(event);
        throw new Error('meter down');
      },
    });
    events = [];
    const response = await postJson(`${url}/api/chat`, chatBody());
    expect(response.status).toBe(200);
    expect(response.text).toContain('[DONE]');
    await settle();
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(fakeKey);
  });
});
