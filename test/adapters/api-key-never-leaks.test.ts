// A fake key never shows up anywhere a person or a log could see it: error messages, stacks,
// toJSON, String(error), console output, the serialized builder or adapter, or the URL.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUnsafeChatAdapter } from '../../src/adapters';
import type { ChatError } from '../../src/core/errors';
import {
  type FixtureReply,
  type FixtureServer,
  sseHeaders,
  sseStream,
  startFixtureServer,
} from '../helpers/fixture-server';
import { FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

const MASKED = `${FAKE_KEY.slice(0, 8)}****${FAKE_KEY.slice(-4)}`;
const consoleOutput: string[] = [];

let server: FixtureServer;
let reply: (request: { headers: Record<string, unknown> }) => FixtureReply;
beforeAll(async () => {
  server = await startFixtureServer((request) => reply(request));
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(
        args
          .map((arg) => (arg instanceof Error ? `${arg.stack} ${JSON.stringify(arg)}` : String(arg)))
          .join(' '),
      );
    });
  }
  vi.stubGlobal('location', { hostname: 'shop.example.com', protocol: 'https:' });
});
afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  await server.close();
});

/** Every way an error can be turned into text. */
function everyRendering(error: ChatError): string {
  return [
    error.message,
    error.stack,
    JSON.stringify(error),
    String(error),
    JSON.stringify(error.toJSON()),
    error.partialText,
  ].join('\n');
}

function expectNoKey(text: string) {
  expect(text).not.toContain(FAKE_KEY);
  expect(text).not.toContain(MASKED);
  expect(text).not.toContain(FAKE_KEY.slice(0, 12));
  expect(text).not.toMatch(/\*{4}/);
}

const errorJson = (status: number, message: string): FixtureReply => ({
  status,
  headers: { 'content-type': 'application/json', 'retry-after-ms': '0' },
  body: JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'invalid_api_key' } }),
});

const scenarios: Array<[string, () => FixtureReply]> = [
  [
    '401 echoing the masked key',
    () =>
      errorJson(
        401,
        `Incorrect API key provided: ${MASKED}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      ),
  ],
  ['401 echoing the whole key', () => errorJson(401, `Incorrect API key provided: ${FAKE_KEY}.`)],
  [
    '500 echoing the authorization header',
    () => errorJson(500, `upstream rejected Authorization: Bearer ${FAKE_KEY}`),
  ],
  [
    'a text/plain 400 echoing the key',
    () => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: `bad key ${FAKE_KEY}` }),
  ],
  [
    'a stream error echoing the key',
    () => ({
      headers: sseHeaders(),
      body: `${sseStream(['partial'], { done: false, usage: false }).split('\n\n')[1]}\n\nevent: error\ndata: {"error":{"message":"key ${FAKE_KEY} revoked"}}\n\n`,
    }),
  ],
  [
    'a dropped connection',
    () => ({ headers: sseHeaders(), body: [sseStream(['x']).slice(0, 60)], after: 'drop' }),
  ],
  ['an idle timeout', () => ({ headers: sseHeaders(), body: [], after: 'stall' })],
];

describe.each(scenarios)('%s', (_name, makeReply) => {
  it('the error, in every rendering, holds no key', async () => {
    reply = makeReply;
    const adapter = createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .withMaxRetries(0)
      .withTimeout({ idle: 100 })
      .create();
    const observed = await observe(adapter);
    expect(observed.error).toBeDefined();
    expectNoKey(everyRendering(observed.error!));
    const rejected = await adapter.batchText('Hi').catch((error: ChatError) => error);
    expectNoKey(everyRendering(rejected as ChatError));
  });
});

it('the key is sent only in the Authorization header, never in the URL', () => {
  expect(server.requests.length).toBeGreaterThan(0);
  for (const request of server.requests) {
    expect(request.url).not.toContain(FAKE_KEY);
    expect(request.body).not.toContain(FAKE_KEY);
    expect(request.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
  }
});

it('builders and adapters do not serialize or expose the key', () => {
  const builder = createUnsafeChatAdapter().withApiKey(FAKE_KEY).withOrganization('org-1');
  const adapter = builder.create();
  for (const value of [builder, adapter]) {
    expect(JSON.stringify(value)).not.toContain(FAKE_KEY);
    expect(Object.values(value).join(' ')).not.toContain(FAKE_KEY);
    // Every own property, enumerable or not, is a method: no field holds settings.
    for (const name of Reflect.ownKeys(value)) expect(typeof Reflect.get(value, name)).toBe('function');
  }
  expect(JSON.stringify(builder)).toBe('{}');
});

it('header-injection keys are refused before any request', () => {
  const before = server.requests.length;
  for (const key of [`${FAKE_KEY}\r\nX-Evil: 1`, `${FAKE_KEY} `, `${FAKE_KEY}\u2028`]) {
    expect(() => createUnsafeChatAdapter().withApiKey(key)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  }
  expect(server.requests.length).toBe(before);
});

afterEach(() => {
  for (const line of consoleOutput) expectNoKey(line);
});

it('console output (the public-page warning included) holds no key', () => {
  expect(consoleOutput.some((line) => line.includes('every visitor'))).toBe(true);
  for (const line of consoleOutput) expectNoKey(line);
});
