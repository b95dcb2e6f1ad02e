// Responses bodies through the proxy, with the same guarantees as Chat Completions: only known fields,
// allowed models, capped output, store forced off, reasoning effort bounded, stateful features refused
// with a reason. Routing by path suffix, else by body shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy } from '../../src/server/index';
import {
  fakeKey,
  keySightings,
  postJson,
  recordingUpstream,
  type Served,
  seen,
  serveHandler,
} from './loopback';

const upstream = recordingUpstream((request) =>
  Response.json({ id: 'resp_1', object: 'response', url: new URL(request.url).pathname }),
);
let server: Served;
beforeAll(async () => {
  server = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: upstream.handler,
      allowedModels: ['gpt-4o-mini', 'o4-mini'],
      maxCompletionTokens: 500,
    }),
  );
});
afterAll(() => server.close());

const errorOf = (text: string) => JSON.parse(text).error;
const body = (extra: Record<string, unknown> = {}) => ({ model: 'o4-mini', input: 'hi', ...extra });

describe('routing', () => {
  it('sends a path ending in /responses to the upstream’s /responses, and /chat/completions to its own', async () => {
    await postJson(`${server.url}/api/v1/responses`, body());
    expect(upstream.received.at(-1)!.url).toMatch(/\/v1\/responses$/);
    await postJson(`${server.url}/api/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(upstream.received.at(-1)!.url).toMatch(/\/v1\/chat\/completions$/);
  });

  it('decides by body shape on any other path: input is Responses, messages is Chat Completions', async () => {
    await postJson(`${server.url}/api/chat`, body());
    expect(upstream.received.at(-1)!.url).toMatch(/\/responses$/);
    await postJson(`${server.url}/api/chat`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(upstream.received.at(-1)!.url).toMatch(/\/chat\/completions$/);
    const both = await postJson(`${server.url}/api/chat`, { ...body(), messages: [] });
    expect(both.status).toBe(400);
  });

  it('holds a path to its API: a Chat Completions body sent to /responses is refused for lacking input', async () => {
    const response = await postJson(`${server.url}/v1/responses`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.status).toBe(400);
    expect(errorOf(response.text)).toMatchObject({ code: 'missing_field' });
    expect(errorOf(response.text).message).toContain('input');
  });
});

describe('what goes upstream', () => {
  it('forwards only known fields, rebuilds input as text items, caps max_output_tokens, forces store false', async () => {
    const response = await postJson(`${server.url}/v1/responses`, {
      model: 'o4-mini',
      input: [
        { role: 'user', content: 'first', id: 'x' },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [1] }],
        },
        { role: 'user', content: [{ type: 'input_text', text: 'second', cache_control: {} }] },
      ],
      stream: true,
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 9000,
      reasoning: { effort: 'low', summary: 'auto', generate_summary: 'x' },
      store: true,
      metadata: { a: 'b' },
      include: ['reasoning.encrypted_content'],
      background: true,
      text: { format: { type: 'json_schema' } },
      truncation: 'auto',
      service_tier: 'priority',
    });
    expect(response.status).toBe(200);
    expect(upstream.received.at(-1)!.body).toEqual({
      model: 'o4-mini',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'second' }] },
      ],
      stream: true,
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 500,
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
    });
    expect(upstream.received.at(-1)!.headers.get('authorization')).toBe(`Bearer ${fakeKey}`);
  });

  it('sends the cap when the client gives no max_output_tokens', async () => {
    await postJson(`${server.url}/v1/responses`, body());
    expect(upstream.received.at(-1)!.body).toMatchObject({ max_output_tokens: 500, store: false });
  });
});

describe('refusals', () => {
  it('refuses previous_response_id, conversation and tools with 400 unsupported_field saying why', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ previous_response_id: 'resp_123' }, /previous_response_id.*whole conversation/],
      [{ conversation: 'conv_1' }, /conversation/],
      [{ tools: [{ type: 'web_search' }] }, /Tools are not accepted/],
    ];
    const before = upstream.received.length;
    for (const [extra, reason] of cases) {
      const response = await postJson(`${server.url}/v1/responses`, body(extra));
      expect(response.status).toBe(400);
      expect(errorOf(response.text).code).toBe('unsupported_field');
      expect(errorOf(response.text).message).toMatch(reason);
    }
    expect(upstream.received.length).toBe(before);
  });

  it('refuses a reasoning effort above maxReasoningEffort (default medium), never lowering it', async () => {
    for (const effort of ['high', 'xhigh', 'max']) {
      const response = await postJson(`${server.url}/v1/responses`, body({ reasoning: { effort } }));
      expect(response.status).toBe(400);
      expect(errorOf(response.text).code).toBe('reasoning_effort_not_allowed');
    }
    const chat = await postJson(`${server.url}/v1/chat/completions`, {
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'hi' }],
      reasoning_effort: 'high',
    });
    expect(errorOf(chat.text).code).toBe('reasoning_effort_not_allowed');
    expect(
      (await postJson(`${server.url}/v1/responses`, body({ reasoning: { effort: 'medium' } }))).status,
    ).toBe(200);
  });

  it('honours a higher maxReasoningEffort', async () => {
    const high = await serveHandler(
      createOpenAiProxy({
        apiKey: fakeKey,
        upstream: upstream.handler,
        allowedModels: ['o4-mini'],
        maxReasoningEffort: 'high',
      }),
    );
    expect((await postJson(`${high.url}/v1/responses`, body({ reasoning: { effort: 'high' } }))).status).toBe(
      200,
    );
    expect(
      (await postJson(`${high.url}/v1/responses`, body({ reasoning: { effort: 'xhigh' } }))).status,
    ).toBe(400);
    await high.close();
  });

  it('refuses other models, non-text items and bad fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 'o1-pro' }, 'model_not_allowed'],
      [
        { input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://x' }] }] },
        'invalid_field',
      ],
      [{ input: [{ type: 'function_call_output', call_id: 'c', output: 'x' }] }, 'invalid_field'],
      [{ input: [] }, 'invalid_field'],
      [{ input: 42 }, 'invalid_field'],
      [{ temperature: 5 }, 'invalid_field'],
      [{ max_output_tokens: -1 }, 'invalid_field'],
      [{ reasoning: { summary: 'verbose' } }, 'invalid_field'],
      [{ stream: 'yes' }, 'invalid_field'],
    ];
    for (const [extra, code] of cases) {
      const response = await postJson(`${server.url}/v1/responses`, body(extra));
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect(errorOf(response.text).code).toBe(code);
    }
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(10);
  expect(keySightings()).toEqual([]);
});
