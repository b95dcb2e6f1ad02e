// What goes over the wire: the body's message order and stream flags, and exactly the headers
// DESIGN.md names (nothing more that a proxy's CORS preflight would have to allow).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import type { FetchLike } from '../../src/core/chat-request';
import { type FixtureServer, sseHeaders, sseStream, startFixtureServer } from '../helpers/fixture-server';
import { FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(() => ({ headers: sseHeaders(), body: sseStream(['ok']) }));
});
afterAll(() => server.close());

/** A fetch that records the init it was given and forwards to the real one. */
function spyFetch(): { fetch: FetchLike; inits: RequestInit[]; urls: string[] } {
  const inits: RequestInit[] = [];
  const urls: string[] = [];
  return {
    inits,
    urls,
    fetch: (url, init) => {
      urls.push(url);
      inits.push(init);
      return fetch(url, init);
    },
  };
}

it('messages: system, then the history in order, then the new user message; stream flags set', async () => {
  const adapter = createUnsafeChatAdapter()
    .withApi('chat-completions')
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1/`)
    .withModel('gpt-4.1-mini')
    .withSystemMessage('Be brief.')
    .withModelOptions({ temperature: 0.3 })
    .create();
  await observe(adapter, 'Third', {
    conversationHistory: [
      { role: 'user', message: 'First' },
      { role: 'assistant', message: 'Second' },
    ],
  });
  const request = server.requests.at(-1)!;
  expect(request.url).toBe('/v1/chat/completions');
  expect(request.json).toEqual({
    model: 'gpt-4.1-mini',
    temperature: 0.3,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'First' },
      { role: 'assistant', content: 'Second' },
      { role: 'user', content: 'Third' },
    ],
    stream: true,
    stream_options: { include_usage: true },
  });
});

it('batch mode asks for a JSON completion', async () => {
  const adapter = createUnsafeChatAdapter()
    .withApi('chat-completions')
    .withApiKey(FAKE_KEY)
    .withBaseUrl(server.origin)
    .withDataTransferMode('batch')
    .create();
  await adapter.batchText('Hi');
  expect(server.requests.at(-1)!.json).toEqual({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: false,
  });
});

it('OpenAI headers: exactly Content-Type, Authorization, organization, project, custom, extras', async () => {
  const spy = spyFetch();
  const adapter = createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(server.origin)
    .withOrganization('org-123')
    .withProject('proj_456')
    .withHeaders({ 'X-Custom': 'a' })
    .withFetch(spy.fetch)
    .create();
  await observe(adapter, 'Hi', { headers: { 'X-Call': 'b' } });
  expect(spy.inits[0]!.headers).toEqual({
    'Content-Type': 'application/json',
    Authorization: `Bearer ${FAKE_KEY}`,
    'OpenAI-Organization': 'org-123',
    'OpenAI-Project': 'proj_456',
    'X-Custom': 'a',
    'X-Call': 'b',
  });
  expect(spy.urls[0]).toBe(`${server.origin}/responses`);
  expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
});

it("the default base URL is OpenAI's", async () => {
  const urls: string[] = [];
  const adapter = createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withDataTransferMode('batch')
    .withFetch(async (url) => {
      urls.push(url);
      return new Response('{"choices":[{"index":0,"message":{"content":"ok"}}]}', {
        headers: { 'content-type': 'application/json' },
      });
    })
    .create();
  expect(await adapter.batchText('Hi')).toBe('ok');
  expect(urls).toEqual(['https://api.openai.com/v1/responses']);
});

it('Responses (the default): instructions, input items, store false, the token cap renamed, reasoning', async () => {
  const adapter = createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1/`)
    .withModel('o4-mini')
    .withSystemMessage('Be brief.')
    .withModelOptions({ temperature: 0.3, max_completion_tokens: 64 })
    .withReasoning({ effort: 'low', summary: 'auto' })
    .create();
  await observe(adapter, 'Third', {
    conversationHistory: [
      { role: 'user', message: 'First' },
      { role: 'assistant', message: 'Second' },
    ],
  });
  const request = server.requests.at(-1)!;
  expect(request.url).toBe('/v1/responses');
  expect(request.json).toEqual({
    model: 'o4-mini',
    instructions: 'Be brief.',
    input: [
      { role: 'user', content: 'First' },
      { role: 'assistant', content: 'Second' },
      { role: 'user', content: 'Third' },
    ],
    temperature: 0.3,
    max_output_tokens: 64,
    reasoning: { effort: 'low', summary: 'auto' },
    store: false,
    stream: true,
  });
  await createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(server.origin)
    .withModelOptions({ store: true })
    .create()
    .batchText('Hi');
  expect(server.requests.at(-1)!.json).toEqual({
    model: 'gpt-4o-mini',
    input: [{ role: 'user', content: 'Hi' }],
    store: true,
    stream: true,
  });
});

it('Chat Completions sends reasoning as reasoning_effort; max_output_tokens becomes max_completion_tokens', async () => {
  await createUnsafeChatAdapter()
    .withApi('chat-completions')
    .withApiKey(FAKE_KEY)
    .withBaseUrl(server.origin)
    .withReasoning({ effort: 'high' })
    .withModelOptions({ max_output_tokens: 10, seed: 3 })
    .create()
    .batchText('Hi');
  expect(server.requests.at(-1)!.json).toEqual({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hi' }],
    max_completion_tokens: 10,
    seed: 3,
    reasoning_effort: 'high',
    stream: true,
    stream_options: { include_usage: true },
  });
});

it('a header set again in another case replaces the first instead of being joined to it', async () => {
  const spy = spyFetch();
  const adapter = createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(server.origin)
    .withHeaders({ 'content-type': 'application/json; charset=utf-8', authorization: 'Basic x' })
    .withFetch(spy.fetch)
    .create();
  await observe(adapter, 'Hi', { headers: { 'X-Trace': 'a' } });
  const headers = new Headers(spy.inits[0]!.headers);
  expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(headers.get('authorization')).toBe(`Bearer ${FAKE_KEY}`);
});

it('a key function is called per request, sync or async', async () => {
  let calls = 0;
  const adapter = createUnsafeChatAdapter()
    .withApiKey(async () => {
      calls++;
      return FAKE_KEY;
    })
    .withBaseUrl(server.origin)
    .create();
  await adapter.batchText('a');
  await adapter.batchText('b');
  expect(calls).toBe(2);
  expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
  const sync = createUnsafeChatAdapter()
    .withApiKey(() => FAKE_KEY)
    .withBaseUrl(server.origin)
    .create();
  expect(await sync.batchText('c')).toBe('ok');
});

it('a key function that returns nothing or an unsafe key fails the call, not the page', async () => {
  const empty = createUnsafeChatAdapter()
    .withApiKey(() => '')
    .withBaseUrl(server.origin)
    .create();
  expect((await observe(empty)).error?.code).toBe('missing-api-key');
  const unsafe = createUnsafeChatAdapter()
    .withApiKey(async () => 'sk-test-a\r\nX-Evil: 1')
    .withBaseUrl(server.origin)
    .create();
  expect((await observe(unsafe)).error?.code).toBe('invalid-config');
});

it('backend: no Authorization, the same body, credentials passed to fetch', async () => {
  const spy = spyFetch();
  const adapter = createChatAdapter()
    .withApi('chat-completions')
    .withUrl(`${server.origin}/api/chat`)
    .withCredentials('include')
    .withHeaders({ 'X-CSRF': 't' })
    .withFetch(spy.fetch)
    .create();
  const observed = await observe(adapter, 'Hi');
  expect(observed.result?.text).toBe('ok');
  expect(spy.inits[0]!.credentials).toBe('include');
  expect(spy.inits[0]!.headers).toEqual({ 'Content-Type': 'application/json', 'X-CSRF': 't' });
  const request = server.requests.at(-1)!;
  expect(request.url).toBe('/api/chat');
  expect(request.headers.authorization).toBeUndefined();
  expect(request.json).toEqual({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
    stream_options: { include_usage: true },
  });
});

it('bad extras fail the call with invalid-config', async () => {
  const adapter = createChatAdapter().withUrl(server.origin).create();
  const badHeader = await observe(adapter, 'Hi', { headers: { 'X-A': 'b\r\nX-Evil: 1' } });
  expect(badHeader.error?.code).toBe('invalid-config');
  const badHistory = await observe(adapter, 'Hi', {
    conversationHistory: [{ role: 'wizard' as 'user', message: 'x' }],
  });
  expect(badHistory.error?.code).toBe('invalid-config');
});

it('backend (Responses by default): the CreateResponse body goes to the URL as it is, without a key', async () => {
  const adapter = createChatAdapter()
    .withUrl(`${server.origin}/api/chat`)
    .withSystemMessage('Be kind.')
    .create();
  const observed = await observe(adapter, 'Hi');
  expect(observed.result?.text).toBe('ok');
  const request = server.requests.at(-1)!;
  expect(request.url).toBe('/api/chat');
  expect(request.headers.authorization).toBeUndefined();
  expect(request.json).toEqual({
    model: 'gpt-4o-mini',
    instructions: 'Be kind.',
    input: [{ role: 'user', content: 'Hi' }],
    store: false,
    stream: true,
  });
});
