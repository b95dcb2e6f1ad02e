// The proxy as an OpenAI-compatible base URL: the official `openai` npm client, pointed at
// `<proxy>/api/v1`, streams both APIs through it. The upstream is a loopback server replaying recorded
// OpenAI streams; the client never holds the real key, and the upstream never sees the client's.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiProxy } from '../../src/server/index';
import { type FixtureServer, startFixtureServer, streamFixture } from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { fakeKey, type Served, serveHandler } from './loopback';

const chatRecording = streamFixture('py01-text-basic.sse');
const responsesRecording = readFixture('responses/dd01-text-basic.sse');

/** The text a plain reading of a recording gives: every content delta, or every output_text delta. */
function expectedText(recording: Buffer, responses: boolean): string {
  let text = '';
  for (const line of recording.toString('utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const event = JSON.parse(line.slice(6));
    if (responses && event.type === 'response.output_text.delta') text += event.delta;
    if (!responses) text += event.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

let fake: FixtureServer;
let proxy: Served;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFixtureServer((request) => ({
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_fixture' },
    body: request.url.endsWith('/responses') ? responsesRecording : chatRecording,
  }));
  proxy = await serveHandler(
    createOpenAiProxy({
      apiKey: fakeKey,
      upstream: `${fake.origin}/v1`,
      allowedModels: ['gpt-4o', 'gpt-4.1'],
    }),
  );
  client = new OpenAI({
    apiKey: 'sk-client-side-placeholder',
    baseURL: `${proxy.url}/api/v1`,
    maxRetries: 0,
  });
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});

describe('the openai npm client with baseURL <proxy>/api/v1', () => {
  it('streams Chat Completions', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(5);
    expect(text).toBe(expectedText(chatRecording, false));
    const upstream = fake.requests.at(-1)!;
    expect(upstream.url).toBe('/v1/chat/completions');
    expect(upstream.headers.authorization).toBe(`Bearer ${fakeKey}`);
  });

  it('streams Responses', async () => {
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'Say hello', stream: true });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    expect(text.length).toBeGreaterThan(5);
    expect(text).toBe(expectedText(responsesRecording, true));
    expect(completed).toBe(true);
    const upstream = fake.requests.at(-1)!;
    expect(upstream.url).toBe('/v1/responses');
    expect(upstream.json).toMatchObject({ model: 'gpt-4.1', input: 'Say hello', stream: true, store: false });
    expect(upstream.headers.authorization).toBe(`Bearer ${fakeKey}`);
  });

  it('gets the proxy’s refusals as the client’s own API errors', async () => {
    const failure = await client.responses
      .create({ model: 'o1-pro', input: 'hi', stream: true })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('model_not_allowed');
  });
});
