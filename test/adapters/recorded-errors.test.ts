// Every recorded OpenAI error response becomes the right ChatError: code, status, request id, and a
// readable message without the masked key OpenAI echoes back.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsafeChatAdapter } from '../../src/adapters';
import type { ChatErrorCode } from '../../src/core/errors';
import {
  FIXTURES_DIR,
  type FixtureReply,
  type FixtureServer,
  recordedHeaders,
  startFixtureServer,
} from '../helpers/fixture-server';
import { readFixture } from '../helpers/fixtures';
import { expectOneTerminal, FAKE_KEY, failOnUnhandledRejections, observe } from './helpers/observe';

failOnUnhandledRejections();

const CODE_FOR_STATUS: Record<number, ChatErrorCode> = {
  400: 'bad-request',
  401: 'invalid-api-key',
  404: 'not-found',
};

const dir = `${FIXTURES_DIR}/errors`;
const recordings = readdirSync(dir)
  .filter((name) => name.endsWith('.headers.txt'))
  .map((name) => {
    const stem = name.replace('.headers.txt', '');
    const bodyName = readdirSync(dir).find((file) => file.startsWith(stem) && file.endsWith('.json'))!;
    return { stem, ...recordedHeaders(`${dir}/${name}`), body: readFixture(`${dir}/${bodyName}`) };
  });

let server: FixtureServer;
let current: FixtureReply;
beforeAll(async () => {
  server = await startFixtureServer(() => current);
});
afterAll(() => server.close());

it('found every recording', () => {
  expect(recordings.length).toBeGreaterThanOrEqual(5);
});

describe.each(recordings)('$stem', ({ status, headers, body }) => {
  const upstream = JSON.parse(body.toString('utf8')).error;

  it('gives the right code, status and request id, once, without retrying', async () => {
    current = { status, headers, body };
    const before = server.requests.length;
    const adapter = createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .create();
    const observed = await observe(adapter);
    expectOneTerminal(observed);
    expect(observed.deltas).toEqual([]);
    const error = observed.error!;
    expect(error.code).toBe(CODE_FOR_STATUS[status]);
    expect(error.status).toBe(status);
    expect(error.requestId).toBe(headers['x-request-id']);
    expect(error.retryable).toBe(false);
    expect(error.partialText).toBeUndefined();
    expect(server.requests.length - before).toBe(1);
  });

  it('keeps the upstream message readable but never echoes a key, masked or not', async () => {
    current = { status, headers, body };
    const adapter = createUnsafeChatAdapter()
      .withApiKey(FAKE_KEY)
      .withBaseUrl(`${server.origin}/v1`)
      .create();
    const error = await adapter.batchText('Hi').then(
      () => undefined,
      (e) => e,
    );
    const firstWords = String(upstream.message).split(' ').slice(0, 3).join(' ');
    expect(error.message).toContain(firstWords);
    expect(error.message).not.toMatch(/\*{3,}|sk-/);
  });
});
