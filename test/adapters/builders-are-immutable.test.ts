// Builders are frozen values: every with* returns a new builder and leaves the old one alone, bad
// values throw invalid-config at the with* call, and create() refuses an incomplete builder.
import { describe, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import { ChatError } from '../../src/core/errors';
import { FAKE_KEY } from './helpers/observe';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectCode(fn: () => unknown, code: string) {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(ChatError);
  expect((error as ChatError).code).toBe(code);
}

describe.each([
  ['createUnsafeChatAdapter', () => createUnsafeChatAdapter().withApiKey(FAKE_KEY)],
  ['createChatAdapter', () => createChatAdapter().withUrl('/api/chat')],
])('%s', (_name, start) => {
  it('is frozen, and so is every builder it returns and the adapter', () => {
    const builder = start();
    expect(Object.isFrozen(builder)).toBe(true);
    expect(Object.isFrozen(builder.withModel('x'))).toBe(true);
    expect(Object.isFrozen(builder.create())).toBe(true);
    expect(() => {
      (builder as unknown as Record<string, unknown>).withModel = () => {};
    }).toThrow(TypeError);
  });

  it('forks: with* returns a new builder and never changes the one it was called on', async () => {
    const base = start();
    const a = base.withModel('model-a');
    const b = base.withModel('model-b');
    expect(a).not.toBe(base);
    expect(b).not.toBe(a);
    const models: string[] = [];
    const recordingFetch = async (_url: string, init: RequestInit) => {
      models.push(JSON.parse(String(init.body)).model);
      return new Response('{"choices":[{"index":0,"message":{"content":"ok"},"finish_reason":"stop"}]}', {
        headers: { 'content-type': 'application/json' },
      });
    };
    for (const builder of [base, a, b, a.withModel('model-c')]) {
      await builder.withFetch(recordingFetch).create().batchText('Hi');
    }
    expect(models).toEqual(['gpt-4o-mini', 'model-a', 'model-b', 'model-c']);
  });

  it.each([
    ['withModel', ['', 42, undefined, '   ']],
    ['withSystemMessage', [42, null, undefined]],
    ['withDataTransferMode', ['fast', undefined, 1]],
    [
      'withHeaders',
      [null, 'x', [], { 'Bad Name': 'v' }, { 'X-A': 'line\nbreak' }, { 'X-A': 'é' }, { 'X-A': 1 }],
    ],
    [
      'withTimeout',
      [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 'fast', null, { request: 0 }, { idle: -5 }, 2 ** 31],
    ],
    ['withMaxRetries', [-1, 1.5, '2', 11, Number.NaN]],
    ['withFetch', [null, 'fetch', {}]],
  ])('%s rejects bad values with invalid-config', (method, values) => {
    const builder = start() as unknown as Record<string, (value: unknown) => unknown>;
    for (const value of values) expectCode(() => builder[method]!(value), 'invalid-config');
  });

  it('accepts the documented good values', () => {
    const builder = start()
      .withModel('gpt-4.1')
      .withSystemMessage('')
      .withDataTransferMode('batch')
      .withHeaders({ 'X-Trace': 'abc 123' })
      .withTimeout(1000)
      .withTimeout({ idle: 5000 })
      .withMaxRetries(0)
      .withFetch(fetch);
    expect(typeof builder.create().streamText).toBe('function');
  });

  it('serializes to nothing but methods: JSON.stringify gives {}', () => {
    expect(JSON.stringify(start())).toBe('{}');
    expect(JSON.stringify(start().create())).toBe('{}');
  });
});

describe('OpenAI builder', () => {
  it('create() without a key throws missing-api-key', () => {
    expectCode(() => createUnsafeChatAdapter().create(), 'missing-api-key');
  });

  it.each([
    [
      'withApiKey',
      [
        '',
        42,
        null,
        'sk-test abc',
        'sk-test-a\nX-Evil: 1',
        'sk-test-\r\n',
        'sk-tést-key',
        ' sk-test-x',
        'sk-test-\tx',
      ],
    ],
    ['withBaseUrl', ['', 'not a url', 'ftp://example.com', '/relative', 42]],
    ['withOrganization', ['', 42, 'org\nX: y']],
    ['withProject', ['', null, 'proj\r\n']],
    [
      'withModelOptions',
      [
        null,
        'x',
        [],
        { model: 'x' },
        { messages: [] },
        { stream: false },
        { temperature: 'hot' },
        { seed: '1' },
      ],
    ],
  ])('%s rejects bad values with invalid-config', (method, values) => {
    const builder = createUnsafeChatAdapter() as unknown as Record<string, (value: unknown) => unknown>;
    for (const value of values) expectCode(() => builder[method]!(value), 'invalid-config');
  });

  it('a rejected key is not echoed in the error', () => {
    const error = thrownBy(() => createUnsafeChatAdapter().withApiKey('sk-test-secret\nvalue')) as ChatError;
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(error.message).not.toContain('secret');
  });
});

describe('backend builder', () => {
  it('create() without a URL throws invalid-config', () => {
    expectCode(() => createChatAdapter().create(), 'invalid-config');
  });

  it.each([
    ['withUrl', ['', 42, 'ftp://x', 'javascript:alert(1)']],
    ['withCredentials', ['always', undefined, true]],
  ])('%s rejects bad values with invalid-config', (method, values) => {
    const builder = createChatAdapter() as unknown as Record<string, (value: unknown) => unknown>;
    for (const value of values) expectCode(() => builder[method]!(value), 'invalid-config');
  });

  it('has no key methods', () => {
    expect('withApiKey' in createChatAdapter()).toBe(false);
  });
});
