// The proxy refuses bad input with a clear OpenAI-shaped JSON error and forwards only what it knows,
// capped, to the upstream. What the upstream receives is recorded by an in-process upstream handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy } from '../../src/server/index';
import {
  chatBody,
  fakeKey,
  keySightings,
  postJson,
  recordingUpstream,
  type Served,
  seen,
  send,
  serveHandler,
} from './loopback';

const upstream = recordingUpstream();
let server: Served;
let url: string;

beforeAll(async () => {
  server = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: upstream.handler,
      allowedModels: ['gpt-4o-mini', 'gpt-4o'],
      maxCompletionTokens: 300,
      maxMessages: 5,
    }),
  );
  url = `${server.url}/api/chat`;
});
afterAll(() => server.close());

const errorOf = (text: string) => JSON.parse(text).error;

describe('method and content type', () => {
  it('answers 405 with Allow for anything but POST and OPTIONS', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await send(url, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      expect(errorOf(response.text).code).toBe('method_not_allowed');
    }
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const plain = await send(url, {
      method: 'POST',
      body: JSON.stringify(chatBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(errorOf(plain.text)).toMatchObject({
      type: 'invalid_request_error',
      code: 'unsupported_content_type',
    });
    const form = await send(url, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    expect(form.status).toBe(415);
  });

  it('accepts a JSON content type with parameters', async () => {
    const response = await postJson(url, chatBody(), { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
  });
});

describe('body', () => {
  it('answers 400 invalid_json for a body that does not parse, or is not an object', async () => {
    for (const body of ['{"model":', '', 'null', '[1,2]', '"text"']) {
      const response = await postJson(url, body);
      expect(response.status, body).toBe(400);
      expect(errorOf(response.text).code).toBe('invalid_json');
    }
  });

  it('answers 400 missing_field when model or messages is absent', async () => {
    const noModel = await postJson(url, { messages: [{ role: 'user', content: 'hi' }] });
    expect(noModel.status).toBe(400);
    expect(errorOf(noModel.text)).toMatchObject({ code: 'missing_field' });
    expect(errorOf(noModel.text).message).toContain('model');
    const noMessages = await postJson(url, { model: 'gpt-4o-mini' });
    expect(errorOf(noMessages.text)).toMatchObject({ code: 'missing_field' });
    expect(errorOf(noMessages.text).message).toContain('messages');
  });

  it('answers 400 invalid_field for fields of the wrong shape', async () => {
    const bad: Record<string, unknown>[] = [
      { messages: [] },
      { messages: 'hi' },
      { messages: [{ role: 'wizard', content: 'hi' }] },
      { messages: [{ role: 'user', content: 42 }] },
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      { temperature: 3 },
      { top_p: 'high' },
      { stream: 'yes' },
      { max_completion_tokens: 0 },
      { max_tokens: 2.5 },
      { stop: ['a', 'b', 'c', 'd', 'e'] },
      { seed: 1.5 },
      { model: 42 },
    ];
    for (const override of bad) {
      const response = await postJson(url, { ...chatBody(), ...override });
      expect(response.status, JSON.stringify(override)).toBe(400);
      expect(errorOf(response.text).code).toBe('invalid_field');
    }
  });

  it('refuses a model outside allowedModels with 400 model_not_allowed and never calls upstream', async () => {
    const before = upstream.received.length;
    const response = await postJson(url, { ...chatBody(), model: 'gpt-4.5-preview' });
    expect(response.status).toBe(400);
    expect(errorOf(response.text)).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_allowed',
    });
    expect(errorOf(response.text).message).toContain('gpt-4o-mini');
    expect(upstream.received.length).toBe(before);
  });

  it('refuses more than maxMessages messages with 400 too_many_messages', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: `m${i}`,
    }));
    const response = await postJson(url, { model: 'gpt-4o-mini', messages });
    expect(response.status).toBe(400);
    expect(errorOf(response.text).code).toBe('too_many_messages');
    const five = await postJson(url, { model: 'gpt-4o-mini', messages: messages.slice(0, 5) });
    expect(five.status).toBe(200);
  });
});

describe('what goes upstream', () => {
  it('forwards only known fields, caps max_completion_tokens and adds the key', async () => {
    const response = await postJson(
      url,
      {
        model: 'gpt-4o',
        messages: [
          { role: 'assistant', content: 'earlier', extra: 'dropped' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi', cache_control: { type: 'ephemeral' }, image_url: { url: 'x' } },
            ],
            name: 'ann',
          },
        ],
        stream: true,
        stream_options: { include_usage: false, other: 1 },
        temperature: 0.5,
        top_p: 0.9,
        presence_penalty: 1,
        frequency_penalty: -1,
        stop: ['\n\n'],
        seed: 7,
        user: 'u-1',
        max_tokens: 5000,
        n: 4,
        tools: [{ type: 'function', function: { name: 'rm_rf' } }],
        logit_bias: { 50256: -100 },
        store: true,
      },
      { cookie: 'session=abc', authorization: 'Bearer client-token' },
    );
    expect(response.status).toBe(200);
    const { body, headers, url: upstreamUrl } = upstream.received.at(-1)!;
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'assistant', content: 'earlier' },
        // Each part rebuilt as { type, text }: extra fields on a text part never reach the upstream.
        { role: 'user', content: [{ type: 'text', text: 'hi' }], name: 'ann' },
      ],
      stream: true,
      // Always asked for, so budgets and onUsage can read what the reply cost.
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      presence_penalty: 1,
      frequency_penalty: -1,
      stop: ['\n\n'],
      seed: 7,
      user: 'u-1',
      max_completion_tokens: 300,
    });
    expect(upstreamUrl).toMatch(/\/chat\/completions$/);
    expect(headers.get('authorization')).toBe(`Bearer ${fakeKey}`);
    // The page's own cookies and credentials are for this server, never for the model provider.
    expect(headers.get('cookie')).toBeNull();
  });

  it('sends the cap when the client asks for none, and a smaller request as it is', async () => {
    await postJson(url, chatBody());
    expect(upstream.received.at(-1)!.body.max_completion_tokens).toBe(300);
    await postJson(url, chatBody('x', { max_completion_tokens: 20 }));
    expect(upstream.received.at(-1)!.body.max_completion_tokens).toBe(20);
  });

  it('passes back only the content type and x-request-id of a successful upstream response', async () => {
    const response = await postJson(url, chatBody());
    expect(response.headers.get('x-request-id')).toBe('req_recorded');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('openai-organization')).toBeNull();
    expect(JSON.parse(response.text).choices[0].message.content).toBe('ok');
  });
});

describe('configuration', () => {
  const models = ['gpt-4o-mini'];
  const invalidConfig = expect.objectContaining({ code: 'invalid-config' });

  it('refuses to start without a key for OpenAI, and with bad limits', () => {
    expect(() => createOpenAiProxy({ allowedModels: models })).toThrow(/apiKey/);
    expect(() => createOpenAiProxy({ allowedModels: models })).toThrow(invalidConfig);
    expect(() => createOpenAiProxy({ apiKey: fakeKey, allowedModels: models, upstream: 'ftp://x' })).toThrow(
      /upstream/,
    );
    expect(() => createOpenAiProxy({ apiKey: fakeKey, allowedModels: models, maxBodyBytes: -1 })).toThrow(
      /maxBodyBytes/,
    );
    expect(() =>
      createOpenAiProxy({ apiKey: fakeKey, allowedModels: models, rateLimit: { windowMs: 0, max: 1 } }),
    ).toThrow(/rateLimit/);
    expect(() =>
      createOpenAiProxy({ apiKey: fakeKey, allowedModels: models, maxReasoningEffort: 'extreme' as 'high' }),
    ).toThrow(/maxReasoningEffort/);
  });

  it('refuses to start without allowedModels, with invalid-config naming it', () => {
    const withoutModels = [
      { apiKey: fakeKey },
      { apiKey: fakeKey, allowedModels: [] },
      { apiKey: fakeKey, allowedModels: 'gpt-4o-mini' },
      { apiKey: fakeKey, allowedModels: [''] },
    ];
    for (const options of withoutModels) {
      const create = () => createOpenAiProxy(options as unknown as Parameters<typeof createOpenAiProxy>[0]);
      expect(create, JSON.stringify(options)).toThrow(invalidConfig);
      expect(create).toThrow(/allowedModels/);
    }
    // @ts-expect-error allowedModels is required by the types too
    expect(() => createOpenAiProxy({ apiKey: fakeKey, upstream: upstream.handler })).toThrow(/allowedModels/);
    // @ts-expect-error and so are the options themselves
    expect(() => createOpenAiProxy()).toThrow(invalidConfig);
  });
});

it('never returned the key in any response of this file', () => {
  expect(seen.length).toBeGreaterThan(20);
  expect(keySightings()).toEqual([]);
});
