// Responses API shapes no recording has (a refusal, a citation, a content-filter cut-off, rate-limit
// headers), the recorded Responses HTTP errors, and the hint a server without `/responses` gets.
import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import {
  FIXTURES_DIR,
  type FixtureReply,
  type FixtureServer,
  recordedHeaders,
  startFixtureServer,
} from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';
import { responsesEvents, responsesHeaders } from './helpers/responses-stream';

failOnUnhandledRejections();

let server: FixtureServer;
let current: FixtureReply;
beforeAll(async () => {
  server = await startFixtureServer(() => current);
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const adapter = () =>
  createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1`)
    .withMaxRetries(0)
    .create();

describe('refusals reach the reader on both APIs', () => {
  it('Responses: response.refusal.delta is the reply text, finish reason refusal', async () => {
    current = {
      headers: responsesHeaders(),
      body: responsesEvents({ refusal: ["I'm sorry, ", 'I cannot help.'] }),
    };
    const observed = await observe(adapter());
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual(["I'm sorry, ", 'I cannot help.']);
    expect(observed.result).toMatchObject({ text: "I'm sorry, I cannot help.", finishReason: 'refusal' });
  });

  it('Responses JSON: a refusal content part is the reply text', async () => {
    const events = responsesEvents({ refusal: ['No.'] });
    const final = JSON.parse(events.at(-1)!.split('data: ')[1]!).response;
    current = { headers: { 'content-type': 'application/json' }, body: JSON.stringify(final) };
    const observed = await observe(
      createUnsafeChatAdapter()
        .withApiKey(FAKE_KEY)
        .withBaseUrl(server.origin)
        .withDataTransferMode('batch')
        .create(),
    );
    expect(observed.result).toMatchObject({ text: 'No.', finishReason: 'refusal' });
  });

  it('Chat Completions JSON: message.refusal is the reply text', async () => {
    current = {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'chatcmpl-1',
        model: 'gpt-4o',
        choices: [
          { index: 0, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' },
        ],
      }),
    };
    const observed = await observe(
      createChatAdapter()
        .withApi('chat-completions')
        .withUrl(server.origin)
        .withDataTransferMode('batch')
        .create(),
    );
    expect(observed.result).toMatchObject({ text: 'No.', finishReason: 'refusal', responseId: 'chatcmpl-1' });
  });
});

it('url_citation annotations become result.sources, each URL once', async () => {
  const citations = [
    { url: 'https://example.com/a', title: 'A' },
    { url: 'https://example.com/b', title: 'B' },
    { url: 'https://example.com/a', title: 'A again' },
  ];
  current = { headers: responsesHeaders(), body: responsesEvents({ deltas: ['See ', 'these.'], citations }) };
  const observed = await observe(adapter());
  expect(observed.result?.sources).toEqual([
    { url: 'https://example.com/a', title: 'A' },
    { url: 'https://example.com/b', title: 'B' },
  ]);
});

it('response.incomplete for content_filter: finish reason content_filter, text kept', async () => {
  current = {
    headers: responsesHeaders(),
    body: responsesEvents({ deltas: ['Part'], incomplete: 'content_filter' }),
  };
  const observed = await observe(adapter());
  expect(observed.result).toMatchObject({ text: 'Part', finishReason: 'content_filter' });
});

it('x-ratelimit-* headers on a reply become result.rateLimit', async () => {
  current = {
    headers: {
      ...responsesHeaders(),
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-tokens': '199990',
      'x-ratelimit-reset-tokens': '1m30s',
    },
    body: responsesEvents({ deltas: ['Hi'] }),
  };
  const observed = await observe(adapter());
  expect(observed.result?.rateLimit).toEqual({
    limitRequests: 10000,
    remainingRequests: 9999,
    resetRequestsMs: 6,
    limitTokens: 200000,
    remainingTokens: 199990,
    resetTokensMs: 90_000,
  });
});

describe('a server without /responses', () => {
  it.each([404, 405])(
    '%i on /responses: not-found that says to use withApi("chat-completions")',
    async (status) => {
      current = { status, body: '' };
      const observed = await observe(adapter());
      expect(server.requests[0]!.url).toBe('/v1/responses');
      expect(observed.error).toMatchObject({ code: 'not-found', status, retryable: false });
      expect(observed.error?.message).toContain("withApi('chat-completions')");
    },
  );

  it('the same 404 on /chat/completions gives no such hint', async () => {
    current = { status: 404, body: '' };
    const observed = await observe(
      createUnsafeChatAdapter()
        .withApi('chat-completions')
        .withApiKey(FAKE_KEY)
        .withBaseUrl(server.origin)
        .create(),
    );
    expect(observed.error?.code).toBe('not-found');
    expect(observed.error?.message).not.toContain('withApi');
  });
});

describe('recorded Responses HTTP errors', () => {
  const dir = `${FIXTURES_DIR}/responses`;
  const recordings = readdirSync(dir)
    .filter((name) => name.endsWith('.headers.txt'))
    .map((name) => name.replace('.headers.txt', ''))
    .filter((stem) => /-http-\d+-/.test(stem))
    .map((stem) => {
      const body = readdirSync(dir).find(
        (file) => file.startsWith(`${stem}.`) && /^\.(parsed\.)?json$/.test(file.slice(stem.length)),
      )!;
      const path = `${dir}/${stem}.headers.txt`;
      // "STATUS 401 Unauthorized": the shared helper reads only a bare number, so the status is read here.
      const status = Number(/^STATUS (\d+)/m.exec(readFixture(path, 'utf8'))![1]);
      return { stem, status, headers: recordedHeaders(path).headers, body: readFixture(`${dir}/${body}`) };
    });

  it('found dd04, dd05 and pyai07', () => {
    expect(recordings.map((r) => r.stem.split('-')[0])).toEqual(['dd04', 'dd05', 'pyai07']);
  });

  const codes: Record<number, string> = { 400: 'bad-request', 401: 'invalid-api-key' };
  it.each(recordings)(
    '$stem: its code, status, serverCode and request id, once',
    async ({ status, headers, body }) => {
      current = { status, headers, body };
      const observed = await observe(adapter());
      expectOneTerminal(observed);
      const upstream = JSON.parse(body.toString('utf8')).error;
      expect(observed.error).toMatchObject({
        code: codes[status],
        status,
        retryable: false,
        serverCode: upstream.code,
        requestId: headers['x-request-id'],
      });
      expect(observed.error?.message).not.toMatch(/\*{3,}|sk-/);
      expect(server.requests).toHaveLength(1);
    },
  );
});
