// @vitest-environment happy-dom
// Each failure offers the next step that can work: Retry when retrying can help, a countdown when the
// server said how long to wait, and words that say what to do when it cannot.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { ChatError } from '../../src/core/errors';
import { $, failingAdapter, messages, newHost } from './helpers';

let chat: AiChat | undefined;
afterEach(() => {
  chat?.unmount();
  vi.useRealTimers();
});

const note = (host: HTMLElement) => $(messages(host, 'assistant')[0]!, '.cw-error');
const retryOf = (host: HTMLElement) => note(host).querySelector('button');

describe('what a failed reply offers', () => {
  test('quota-exceeded offers no Retry and says what to do instead', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(failingAdapter('quota-exceeded')).mount(host);
    chat.sendMessage('q');
    expect(note(host).textContent).toMatch(/quota is used up — check the plan and billing/);
    expect(retryOf(host)).toBeNull();
  });

  test('a rate limit counts down and enables Retry when the time is up', () => {
    vi.useFakeTimers();
    const host = newHost();
    chat = createAiChat()
      .withAdapter(failingAdapter('rate-limited', '', { retryAfterMs: 3000 }))
      .mount(host);
    chat.sendMessage('q');
    expect(note(host).textContent).toContain('Rate limited — try again in 3 s');
    expect(retryOf(host)!.disabled).toBe(true);
    vi.advanceTimersByTime(1100);
    expect(note(host).textContent).toContain('try again in 2 s');
    expect(retryOf(host)!.disabled).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(retryOf(host)!.disabled).toBe(false);
    expect(note(host).textContent).toContain('Rate limited — try again in a moment');
  });

  test('a 413 says the conversation outgrew what the server accepts', () => {
    const host = newHost();
    chat = createAiChat()
      .withAdapter({
        streamText: (_m, observer) =>
          observer.error(new ChatError('bad-request', 'Payload Too Large', { status: 413 })),
      })
      .mount(host);
    chat.sendMessage('q');
    expect(note(host).textContent).toContain('The conversation is too long for the server');
    expect(retryOf(host)).toBeNull();
  });

  test("the proxy's upstream_auth_failed says the server's key was refused, with no Retry", () => {
    const host = newHost();
    chat = createAiChat()
      .withAdapter(failingAdapter('server-error', '', { serverCode: 'upstream_auth_failed' }))
      .mount(host);
    chat.sendMessage('q');
    expect(note(host).textContent).toBe("The server's API key was refused");
    expect(retryOf(host)).toBeNull();
  });

  test('an invalid key emits an error event the page can act on (e.g. to ask for another key)', () => {
    const host = newHost();
    const onError = vi.fn();
    chat = createAiChat().withAdapter(failingAdapter('invalid-api-key')).on('error', onError).mount(host);
    chat.sendMessage('q');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid-api-key' }));
    expect(note(host).textContent).toBe('The API key was rejectedRetry');
  });

  test('no empty bubble sits above an error: the empty text and typing indicator are gone', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(failingAdapter('server-error')).mount(host);
    chat.sendMessage('q');
    const reply = messages(host, 'assistant')[0]!;
    expect($(reply, '.cw-content').childNodes).toHaveLength(0);
    expect(reply.querySelector('.cw-typing')).toBeNull();
  });
});
