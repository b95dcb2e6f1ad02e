// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/chat" }
// The adapters in a page: a public page gets the key warning, and a stream read through the page's
// fetch still arrives delta by delta.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createChatAdapter, createUnsafeChatAdapter } from '../../src/adapters';
import { type FixtureServer, sseStream, startFixtureServer } from '../helpers/fixture-server';
import { expectOneTerminal, FAKE_KEY, observe } from './helpers/observe';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(() => ({
    headers: {
      'content-type': 'text/event-stream',
      'x-request-id': 'req_page',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-request-id',
    },
    body: sseStream(['Hello', ' from', ' the', ' page']).split(/(?<=\n\n)/),
    pauseMs: 2,
  }));
});
afterAll(() => server.close());

it('warns once on a public page, without the key', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  expect(location.hostname).toBe('shop.example.com');
  createUnsafeChatAdapter().withApiKey(FAKE_KEY).create();
  createUnsafeChatAdapter().withApiKey(FAKE_KEY).create();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).not.toContain(FAKE_KEY);
  warn.mockRestore();
});

it('streams through the page fetch with the backend adapter', async () => {
  const adapter = createChatAdapter().withUrl(`${server.origin}/api/chat`).create();
  const observed = await observe(adapter);
  expectOneTerminal(observed);
  expect(observed.error).toBeUndefined();
  expect(observed.deltas.join('')).toBe('Hello from the page');
  expect(observed.result?.finishReason).toBe('stop');
});

it('abort mid-stream through the page fetch: aborted, partialText kept', async () => {
  const controller = new AbortController();
  const adapter = createChatAdapter().withUrl(`${server.origin}/api/chat`).create();
  const observed = await observe(adapter, 'Hi', { signal: controller.signal }, () => controller.abort());
  expectOneTerminal(observed);
  expect(observed.error).toMatchObject({ code: 'aborted', partialText: 'Hello' });
  // The server is still writing the cancelled body: let it finish here, so anything the page's
  // fetch does when that body ends is attributed to this test, not to the environment's teardown.
  await new Promise((resolve) => setTimeout(resolve, 100));
});
