// withApi and withReasoning: bad values and settings that do not fit the API throw invalid-config at
// the call that made them, whichever order the calls come in; good ones fork like every setting.
import { describe, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import { FAKE_KEY } from './helpers/observe';

const invalid = (make: () => unknown, text: string) => {
  expect(make).toThrow(
    expect.objectContaining({ code: 'invalid-config', message: expect.stringContaining(text) }),
  );
};

describe('withApi', () => {
  it.each([[''], ['completions'], [null], [42]])('rejects %j', (value) => {
    invalid(() => createUnsafeChatAdapter().withApi(value as 'responses'), 'api');
    invalid(() => createChatAdapter().withApi(value as 'responses'), 'api');
  });
});

describe('withReasoning', () => {
  it.each([
    [{}, 'reasoning'],
    [null, 'reasoning'],
    [{ effort: 'extreme' }, 'reasoning.effort'],
    [{ effort: '' }, 'reasoning'],
    [{ summary: 'verbose' }, 'reasoning.summary'],
  ])('rejects %j', (value, text) => {
    invalid(() => createChatAdapter().withReasoning(value as { effort: 'low' }), text);
  });

  it('a summary needs Responses, in either order', () => {
    invalid(
      () => createChatAdapter().withApi('chat-completions').withReasoning({ summary: 'auto' }),
      'summary',
    );
    invalid(
      () => createChatAdapter().withReasoning({ summary: 'auto' }).withApi('chat-completions'),
      'summary',
    );
    expect(() =>
      createChatAdapter().withApi('chat-completions').withReasoning({ effort: 'low' }),
    ).not.toThrow();
  });
});

describe('model options on Responses', () => {
  const openai = () => createUnsafeChatAdapter().withApiKey(FAKE_KEY);
  it.each(['stop', 'seed', 'n', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'response_format'])(
    '%s has no Responses equivalent: refused, in either order, and fine on Chat Completions',
    (name) => {
      const value = name === 'stop' || name === 'response_format' ? 'x' : 1;
      invalid(() => openai().withModelOptions({ [name]: value }), `modelOptions.${name}`);
      const chat = openai()
        .withApi('chat-completions')
        .withModelOptions({ [name]: value });
      invalid(() => chat.withApi('responses'), `modelOptions.${name}`);
      expect(() => chat.create()).not.toThrow();
    },
  );

  it.each(['input', 'instructions', 'reasoning', 'stream', 'stream_options', 'messages', 'model'])(
    '%s is set by the adapter: refused',
    (name) => {
      invalid(() => openai().withModelOptions({ [name]: 'x' }), `modelOptions.${name}`);
    },
  );

  it('token caps must be numbers under any of their names', () => {
    for (const name of ['max_output_tokens', 'max_completion_tokens', 'max_tokens'])
      invalid(() => openai().withModelOptions({ [name]: '10' }), name);
  });
});

it('withApi and withReasoning fork without touching the builder they were called on', async () => {
  const calls: Array<{ url: string; body: Record<string, unknown> }> = [];
  const base = createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withDataTransferMode('batch')
    .withFetch(async (url, init) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      return new Response('{"choices":[{"index":0,"message":{"content":"ok"}}]}', {
        headers: { 'content-type': 'application/json' },
      });
    });
  const chat = base.withApi('chat-completions');
  const reasoning = base.withReasoning({ effort: 'low' });
  await base.create().batchText('a');
  await chat.create().batchText('b');
  await reasoning.create().batchText('c');
  expect(calls.map((call) => call.url.split('/v1')[1])).toEqual([
    '/responses',
    '/chat/completions',
    '/responses',
  ]);
  expect(calls[0]!.body.reasoning).toBeUndefined();
  expect(calls[2]!.body.reasoning).toEqual({ effort: 'low' });
  expect(Object.isFrozen(chat)).toBe(true);
});
