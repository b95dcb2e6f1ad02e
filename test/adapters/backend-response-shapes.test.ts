// The backend adapter reads whatever the backend answers, by content type: OpenAI SSE, plain
// streamed text, or a JSON completion; in both stream and batch mode, on the same core path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter } from '../../src/adapters';
import {
  type FixtureReply,
  type FixtureServer,
  sseHeaders,
  sseStream,
  startFixtureServer,
} from '../helpers/fixture-server';
import { expectOneTerminal, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

const PIECES = ['Plain ', 'text ', 'from a ', 'hand-written ', 'backend: ', 'ünïcödé ✓'];
const TEXT = PIECES.join('');

const shapes: Record<string, () => FixtureReply> = {
  'text/event-stream': () => ({ headers: sseHeaders('req_sse'), body: sseStream(PIECES), pauseMs: 2 }),
  'text/plain': () => ({
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-request-id': 'req_text' },
    body: PIECES.map((piece) => Buffer.from(piece)),
    pauseMs: 5,
  }),
  'application/json': () => ({
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_json' },
    body: JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
    }),
  }),
};

let server: FixtureServer;
let shape = 'text/event-stream';
beforeAll(async () => {
  server = await startFixtureServer(() => shapes[shape]!());
});
afterAll(() => server.close());

const adapter = (mode: 'stream' | 'batch' = 'stream') =>
  createChatAdapter().withUrl(`${server.origin}/api/chat`).withDataTransferMode(mode).create();

describe.each(Object.keys(shapes))('%s', (contentType) => {
  it('streamText delivers the text and completes once', async () => {
    shape = contentType;
    const observed = await observe(adapter());
    expectOneTerminal(observed);
    expect(observed.deltas.join('')).toBe(TEXT);
    expect(observed.result?.text).toBe(TEXT);
    expect(observed.result?.requestId).toMatch(/^req_/);
    if (contentType === 'text/plain') {
      // Each body chunk is a delta; a plain body says nothing about why it ended.
      expect(observed.deltas.length).toBeGreaterThan(1);
      expect(observed.result?.finishReason).toBeNull();
    } else {
      expect(observed.result?.finishReason).toBe('stop');
      expect(observed.result?.usage?.totalTokens).toBeGreaterThan(0);
    }
  });

  it('batchText resolves the same text', async () => {
    shape = contentType;
    expect(await adapter().batchText('Hi')).toBe(TEXT);
  });

  it('batch mode: streamText delivers the whole text as one next, then complete', async () => {
    shape = contentType;
    const observed = await observe(adapter('batch'));
    expect(observed.calls).toEqual(['next', 'complete']);
    expect(observed.deltas).toEqual([TEXT]);
    expect((server.requests.at(-1)!.json as { stream: boolean }).stream).toBe(false);
  });
});

it('a JSON 2xx without choices is an invalid-response', async () => {
  shapes.broken = () => ({ headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
  shape = 'broken';
  const observed = await observe(adapter());
  expect(observed.error?.code).toBe('invalid-response');
});

it('a JSON 2xx carrying an error object is a stream-error', async () => {
  shapes.error = () => ({
    headers: { 'content-type': 'application/json' },
    body: '{"error":{"message":"model overloaded"}}',
  });
  shape = 'error';
  const observed = await observe(adapter());
  expect(observed.error).toMatchObject({ code: 'stream-error', message: 'model overloaded' });
});

it('a backend error in JSON keeps its status and message', async () => {
  shapes.limited = () => ({
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '0' },
    body: '{"error":{"message":"Too many requests from this client","type":"rate_limit"}}',
  });
  shape = 'limited';
  const observed = await observe(
    createChatAdapter().withUrl(`${server.origin}/api/chat`).withMaxRetries(0).create(),
  );
  expect(observed.error).toMatchObject({
    code: 'rate-limited',
    status: 429,
    message: 'Too many requests from this client',
  });
});
