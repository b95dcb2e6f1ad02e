// Every recorded OpenAI stream, replayed over HTTP whole and cut at random byte boundaries, gives
// the same text, finish reason and usage as a plain reference reading of the same file.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsafeChatAdapter } from '../../src/adapters';
import {
  FIXTURES_DIR,
  type FixtureReply,
  type FixtureServer,
  recordedHeaders,
  seededRandom,
  splitAtRandom,
  sseHeaders,
  sseStream,
  startFixtureServer,
  streamFixture,
} from '../helpers/fixture-server';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

/** A deliberately simple reading of an SSE file, independent of chatwire's decoder. */
function referenceReading(body: string) {
  let text = '';
  let finishReason: string | null = null;
  let usage: { promptTokens: number; completionTokens: number; totalTokens: number } | undefined;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6));
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      // A refusal is the reply's text, and the reply's finish reason.
      if (choice.delta.content) text += choice.delta.content;
      if (choice.delta.refusal) {
        text += choice.delta.refusal;
        finishReason = 'refusal';
      }
      if (choice.finish_reason && finishReason !== 'refusal') finishReason = choice.finish_reason;
    }
    if (chunk.usage) {
      usage = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
        totalTokens: chunk.usage.total_tokens,
      };
    }
  }
  return { text, finishReason, usage };
}

const names = readdirSync(`${FIXTURES_DIR}/streams`).filter((name) => name.endsWith('.sse'));
const MULTIBYTE = 'multibyte (synthetic)';
const multibyteBody = Buffer.from(
  sseStream(['Grüße, ', '世界', ' — ', '👩‍💻🚀', ' naïve café ', 'ℝ𝔼𝔸𝕃', '!']),
  'utf8',
);

let server: FixtureServer;
let current: FixtureReply;

beforeAll(async () => {
  server = await startFixtureServer(() => current);
});
afterAll(() => server.close());

function bodyOf(name: string): Buffer {
  return name === MULTIBYTE ? multibyteBody : streamFixture(name);
}

function headersOf(name: string): Record<string, string> {
  const path = `${FIXTURES_DIR}/streams/${name.replace(/\.sse$/, '.headers.txt')}`;
  try {
    return recordedHeaders(path).headers;
  } catch {
    return sseHeaders('req_replay');
  }
}

describe.each([...names, MULTIBYTE])('%s', (name) => {
  const body = bodyOf(name);
  const expected = referenceReading(body.toString('utf8'));
  const adapter = () =>
    createUnsafeChatAdapter()
      .withApi('chat-completions')
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .withMaxRetries(0)
      .create();

  it('the reference reading found something to compare', () => {
    expect(expected.finishReason).not.toBeNull();
  });

  it('whole: same text, finish reason, usage, model and request id', async () => {
    const headers = headersOf(name);
    current = { headers, body };
    const observed = await observe(adapter());
    expectOneTerminal(observed);
    expect(observed.error).toBeUndefined();
    expect(observed.deltas.join('')).toBe(expected.text);
    expect(observed.result).toMatchObject({
      text: expected.text,
      finishReason: expected.finishReason,
      usage: expected.usage,
      requestId: headers['x-request-id'],
    });
    expect(observed.result?.model).toMatch(/^gpt-/);
  });

  it.each([1, 2, 3])('cut at random byte boundaries (seed %i): same result', async (seed) => {
    const pieces = splitAtRandom(body, 40, seededRandom(seed * 7919 + body.length));
    current = { headers: headersOf(name), body: pieces, pauseMs: 1 };
    const observed = await observe(adapter());
    expectOneTerminal(observed);
    expect(observed.error).toBeUndefined();
    expect(observed.deltas.join('')).toBe(expected.text);
    // No delta ever carries half a character.
    for (const delta of observed.deltas) expect(delta).not.toContain('\uFFFD');
    expect(observed.result).toMatchObject({
      text: expected.text,
      finishReason: expected.finishReason,
      usage: expected.usage,
    });
  });
});

describe('batchText', () => {
  it.each(names)('%s resolves the recorded text', async (name) => {
    current = { headers: sseHeaders(), body: streamFixture(name) };
    const adapter = createUnsafeChatAdapter()
      .withApi('chat-completions')
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .create();
    expect(await adapter.batchText('Hi')).toBe(referenceReading(streamFixture(name).toString('utf8')).text);
  });
});
