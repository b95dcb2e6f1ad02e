// Every recorded Responses API stream, replayed over HTTP whole and cut at random byte boundaries,
// gives the same text, reasoning summary, finish reason, usage and errors as a plain reference
// reading of the same file; the same recordings' final `response` objects, served as JSON, give the
// same text to batchText. Both adapters read them.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import type { ChatUsage } from '../../src/core/types';
import {
  FIXTURES_DIR,
  type FixtureReply,
  type FixtureServer,
  recordedHeaders,
  seededRandom,
  splitAtRandom,
  sseHeaders,
  startFixtureServer,
} from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

// biome-ignore lint/suspicious/noExplicitAny: a reference reading walks raw recorded JSON.
type Json = any;

/** A deliberately simple reading of a Responses SSE file, independent of chatwire's decoder. */
function referenceReading(body: string) {
  let text = '';
  let reasoning = '';
  let lastPart = '';
  let finishReason: string | null = null;
  let usage: ChatUsage | undefined;
  let errorCode: string | undefined;
  let final: Json;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6));
    if (errorCode) break;
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.reasoning_summary_text.delta') {
      const part = `${event.output_index}/${event.summary_index}`;
      if (reasoning && part !== lastPart) reasoning += '\n\n';
      reasoning += event.delta;
      lastPart = part;
    }
    if (event.type === 'error') errorCode = event.error.code;
    if (event.type === 'response.completed' || event.type === 'response.incomplete') {
      final = event.response;
      const reason = final.incomplete_details?.reason;
      const calls = final.output.some((item: Json) => item.type === 'function_call');
      finishReason = reason === 'max_output_tokens' ? 'length' : (reason ?? (calls ? 'tool_calls' : 'stop'));
      const u = final.usage;
      usage = {
        promptTokens: u.input_tokens,
        completionTokens: u.output_tokens,
        totalTokens: u.total_tokens,
        cachedTokens: u.input_tokens_details.cached_tokens,
        reasoningTokens: u.output_tokens_details.reasoning_tokens,
      };
    }
  }
  return { text, reasoning: reasoning || undefined, finishReason, usage, errorCode, final };
}

const dir = `${FIXTURES_DIR}/responses`;
const names = readdirSync(dir).filter((name) => name.endsWith('.sse'));
// The recordings that end in a finished response (the others end in an error).
const finals = names.filter((name) => referenceReading(readFixture(`${dir}/${name}`, 'utf8')).final);

let server: FixtureServer;
let current: FixtureReply;
beforeAll(async () => {
  server = await startFixtureServer(() => current);
});
afterAll(() => server.close());

function headersOf(name: string): Record<string, string> {
  const stem = name.replace(/(\.reserialised)?\.sse$/, '');
  try {
    return recordedHeaders(`${dir}/${stem}.headers.txt`).headers;
  } catch {
    return sseHeaders('req_replay');
  }
}

const unsafe = () =>
  createUnsafeChatAdapter()
    .withApiKey(FAKE_KEY)
    .withBaseUrl(`${server.origin}/v1`)
    .withMaxRetries(0)
    .create();
const backend = () => createChatAdapter().withUrl(`${server.origin}/api/chat`).withMaxRetries(0).create();

it('found every recorded stream', () => {
  expect(names.length).toBeGreaterThanOrEqual(11);
});

describe.each(names)('%s', (name) => {
  const body = readFixture(`${dir}/${name}`);
  const expected = referenceReading(body.toString('utf8'));

  it('the reference reading found an ending to compare', () => {
    expect(expected.finishReason ?? expected.errorCode).toBeTruthy();
  });

  async function replay(reply: FixtureReply) {
    current = reply;
    return { observed: await observe(unsafe()) };
  }

  it.each([
    ['unsafe adapter', unsafe],
    ['backend adapter', backend],
  ])('whole, %s: same text, reasoning, finish reason, usage and request id', async (_which, make) => {
    const headers = headersOf(name);
    current = { headers, body };
    const reasoning: string[] = [];
    const observed = await new Promise<Awaited<ReturnType<typeof observe>>>((resolve) => {
      const result: Awaited<ReturnType<typeof observe>> = { deltas: [], calls: [] };
      make().streamText('Hello', {
        next: (delta) => {
          result.calls.push('next');
          result.deltas.push(delta);
        },
        reasoning: (delta) => {
          // Reasoning comes before the text it explains.
          expect(result.deltas).toEqual([]);
          reasoning.push(delta);
        },
        complete: (value) => {
          result.calls.push('complete');
          result.result = value;
          setTimeout(() => resolve(result), 30);
        },
        error: (error) => {
          result.calls.push('error');
          result.error = error;
          setTimeout(() => resolve(result), 30);
        },
      });
    });
    expectOneTerminal(observed);
    expect(observed.deltas.join('')).toBe(expected.text);
    expect(reasoning.join('') || undefined).toBe(expected.reasoning);
    if (expected.errorCode) {
      expect(observed.error).toMatchObject({
        code: expected.errorCode === 'insufficient_quota' ? 'quota-exceeded' : 'stream-error',
        serverCode: expected.errorCode,
        retryable: false,
        partialText: expected.text || undefined,
        requestId: headers['x-request-id'],
      });
      return;
    }
    expect(observed.error).toBeUndefined();
    expect(observed.result).toEqual({
      text: expected.text,
      reasoning: expected.reasoning,
      finishReason: expected.finishReason,
      usage: expected.usage,
      model: expected.final.model,
      responseId: expected.final.id,
      requestId: headers['x-request-id'],
    });
  });

  it.each([1, 2, 3])('cut at random byte boundaries (seed %i): same result', async (seed) => {
    const pieces = splitAtRandom(body, 40, seededRandom(seed * 7919 + body.length));
    const { observed } = await replay({ headers: headersOf(name), body: pieces, pauseMs: 1 });
    expectOneTerminal(observed);
    expect(observed.deltas.join('')).toBe(expected.text);
    for (const delta of observed.deltas) expect(delta).not.toContain('\uFFFD');
    if (expected.errorCode) expect(observed.error?.serverCode).toBe(expected.errorCode);
    else {
      expect(observed.result).toMatchObject({
        text: expected.text,
        finishReason: expected.finishReason,
        usage: expected.usage,
      });
      expect(observed.result?.reasoning).toBe(expected.reasoning);
    }
  });
});

it.each(finals)(
  '%s: its final response object as JSON gives the same reply to batchText and batch streamText',
  async (name) => {
    const expected = referenceReading(readFixture(`${dir}/${name}`, 'utf8'));
    const json = { headers: { 'content-type': 'application/json' }, body: JSON.stringify(expected.final) };
    current = json;
    expect(await unsafe().batchText('Hi')).toBe(expected.text);
    current = json;
    const batch = createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(server.origin)
      .withDataTransferMode('batch')
      .create();
    const observed = await observe(batch);
    expect(observed.deltas).toEqual(expected.text ? [expected.text] : []);
    expect(observed.result).toMatchObject({
      text: expected.text,
      finishReason: expected.finishReason,
      usage: expected.usage,
      responseId: expected.final.id,
    });
  },
);

it('swift01 ends without a final newline: its last event is still read', async () => {
  const body = readFixture(`${dir}/swift01-error-event-insufficient-quota.sse`);
  expect(body.at(-1)).toBe('}'.charCodeAt(0));
  // Without the error event (so that response.failed, the unterminated last event, decides the outcome).
  const withoutErrorEvent = body.toString('utf8').replace(/event: error\ndata: .*\n\n/, '');
  current = { headers: sseHeaders(), body: withoutErrorEvent };
  const observed = await observe(unsafe());
  expectOneTerminal(observed);
  expect(observed.error).toMatchObject({ code: 'quota-exceeded', serverCode: 'insufficient_quota' });
});

it('the recordings cover a reasoning summary, a cut-off reply, a tool call and a quota error', () => {
  const read = (name: string) => referenceReading(readFixture(`${dir}/${name}.sse`, 'utf8'));
  expect(read('dd02-reasoning-summary').reasoning?.length).toBeGreaterThan(100);
  expect(read('dd03-incomplete-max-output-tokens').finishReason).toBe('length');
  expect(read('pyai03-function-call').finishReason).toBe('tool_calls');
  expect(read('dd02-reasoning-summary').usage?.reasoningTokens).toBe(128);
  expect(read('vercel01-error-event-insufficient-quota.reserialised').errorCode).toBe('insufficient_quota');
});
