// Creating an unsafe adapter on a public page warns once that the key is visible to every visitor
// and points to the secure path; local pages and Node (no `location`) stay quiet.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { FAKE_KEY } from './helpers/observe';

let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  vi.resetModules();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** A fresh copy of the adapters module: a fresh "page". */
async function createOnPage(location?: { hostname: string; protocol: string }, times = 1) {
  if (location) vi.stubGlobal('location', location);
  const { createUnsafeChatAdapter } = await import('../../src/adapters');
  for (let i = 0; i < times; i++) createUnsafeChatAdapter().withApiKey(FAKE_KEY).create();
}

it('warns once per page on a public host, pointing to createChatAdapter + createOpenAiProxy', async () => {
  await createOnPage({ hostname: 'shop.example.com', protocol: 'https:' }, 3);
  expect(warn).toHaveBeenCalledTimes(1);
  const message = String(warn.mock.calls[0]![0]);
  expect(message).toContain('every visitor');
  expect(message).toContain('createChatAdapter().withUrl(');
  expect(message).toContain('createOpenAiProxy()');
  expect(message).not.toContain(FAKE_KEY);
});

it.each(['localhost', '127.0.0.1', '[::1]', 'app.localhost'])('stays quiet on %s', async (hostname) => {
  await createOnPage({ hostname, protocol: 'http:' });
  expect(warn).not.toHaveBeenCalled();
});

it('stays quiet on a file: page', async () => {
  await createOnPage({ hostname: '', protocol: 'file:' });
  expect(warn).not.toHaveBeenCalled();
});

it('stays quiet in Node, where there is no location', async () => {
  expect((globalThis as { location?: unknown }).location).toBeUndefined();
  await createOnPage();
  expect(warn).not.toHaveBeenCalled();
});

it('the backend adapter never warns', async () => {
  vi.stubGlobal('location', { hostname: 'shop.example.com', protocol: 'https:' });
  const { createChatAdapter } = await import('../../src/adapters');
  createChatAdapter().withUrl('/api/chat').create();
  expect(warn).not.toHaveBeenCalled();
});
