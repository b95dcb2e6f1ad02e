// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { ChatError, type ChatErrorCode } from '../../src/core/errors';
import type { ChatAdapter } from '../../src/core/types';
import { $, body, failingAdapter, manualAdapter, messages, newHost, settle, textarea } from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

const cases: [ChatErrorCode, string][] = [
  ['invalid-api-key', 'The API key was rejected'],
  ['missing-api-key', 'No API key is set'],
  ['permission-denied', 'Access to this model was denied'],
  ['not-found', 'The model or endpoint was not found'],
  ['bad-request', 'The request was refused'],
  ['rate-limited', 'Rate limited — try again in a moment'],
  [
    'quota-exceeded',
    'The usage quota is used up — check the plan and billing of the account, then send again',
  ],
  ['server-error', 'The server had a problem — try again'],
  ['connection-error', 'Connection lost'],
  ['timeout', 'The reply took too long'],
  ['stream-error', 'The reply was interrupted'],
  ['invalid-response', 'The reply could not be read'],
  ['invalid-config', 'The chat is not set up correctly'],
];

describe('a failed reply', () => {
  test.each(cases)('%s: the reader sees "%s", the event carries the code', (code, text) => {
    const host = newHost();
    const onError = vi.fn();
    chat = createAiChat().withAdapter(failingAdapter(code, 'partial')).on('error', onError).mount(host);
    chat.sendMessage('q');
    const [reply] = messages(host, 'assistant');
    // A used-up quota is not fixed by retrying: no Retry (error-advice.test.ts).
    expect(reply!.querySelector('.cw-error')!.textContent).toBe(
      code === 'quota-exceeded' ? text : `${text}Retry`,
    );
    expect(body(reply)).toBe('partial');
    expect($(host, '[role="status"]').textContent).toBe(text);
    expect(onError).toHaveBeenCalledTimes(1);
    const payload = onError.mock.calls[0]![0];
    expect(payload.code).toBe(code);
    expect(payload.message).toBe(`failed with ${code}`);
    expect(payload.error).toBeInstanceOf(ChatError);
  });

  test('rate-limited with a known retry delay says how long to wait', () => {
    const host = newHost();
    chat = createAiChat()
      .withAdapter(failingAdapter('rate-limited', '', { retryAfterMs: 2500 }))
      .mount(host);
    chat.sendMessage('q');
    expect($(host, '.cw-error').textContent).toContain('Rate limited — try again in 3 s');
  });

  test('the failed reply is not part of the conversation', () => {
    chat = createAiChat().withAdapter(failingAdapter('server-error', 'half')).mount(newHost());
    chat.sendMessage('q');
    expect(chat.getConversation()).toEqual([{ role: 'user', message: 'q' }]);
  });

  test("the error's own message and stack never reach the page (an API key could be in them)", () => {
    const host = newHost();
    const key = 'sk-test-chat0123456789wxyz';
    const adapter: ChatAdapter = {
      streamText(_m, observer) {
        const error = new ChatError('invalid-api-key', `Incorrect API key provided: ${key}`);
        error.stack = `ChatError: ${key}\n    at somewhere`;
        observer.error(error);
      },
    };
    chat = createAiChat()
      .withAdapter(adapter)
      .on('error', () => {})
      .mount(host);
    chat.sendMessage('q');
    expect(host.innerHTML).not.toContain('sk-test');
    expect(host.textContent).toContain('The API key was rejected');
  });

  test('an adapter that throws synchronously, or rejects with a plain Error, reports invalid-response', async () => {
    const onError = vi.fn();
    const throwing: ChatAdapter = {
      streamText() {
        throw new TypeError('bug in adapter');
      },
    };
    const rejecting: ChatAdapter = { batchText: () => Promise.reject(new Error('nope')) };
    for (const adapter of [throwing, rejecting]) {
      const host = newHost();
      chat = createAiChat().withAdapter(adapter).on('error', onError).mount(host);
      chat.sendMessage('q');
      await settle();
      expect($(host, '.cw-error').textContent).toContain('The reply could not be read');
      chat.unmount();
    }
    expect(onError.mock.calls.map((c) => c[0].code)).toEqual(['invalid-response', 'invalid-response']);
  });

  test('an async streamText that rejects is reported as an error, not an unhandled rejection', async () => {
    const host = newHost();
    const onError = vi.fn();
    const adapter: ChatAdapter = {
      async streamText() {
        throw new ChatError('connection-error', 'fetch failed');
      },
    };
    chat = createAiChat().withAdapter(adapter).on('error', onError).mount(host);
    chat.sendMessage('q');
    await settle();
    expect(onError.mock.calls[0]![0].code).toBe('connection-error');
    expect($(host, '.cw-error').textContent).toContain('Connection lost');
  });

  test('an abort the adapter reports on its own is silent, and keeps the partial text', () => {
    const host = newHost();
    const onError = vi.fn();
    chat = createAiChat().withAdapter(failingAdapter('aborted', 'so far')).on('error', onError).mount(host);
    chat.sendMessage('q');
    expect(onError).not.toHaveBeenCalled();
    expect($(host, '.cw-error')).toBeNull();
    expect(chat.getConversation()[1]).toEqual({ role: 'assistant', message: 'so far' });
  });
});

describe('Retry', () => {
  test('resends the same prompt with the same history, replacing the failed reply', () => {
    const host = newHost();
    const { adapter, calls } = manualAdapter();
    const sent = vi.fn();
    chat = createAiChat()
      .withAdapter(adapter)
      .withInitialConversation([
        { role: 'user', message: 'earlier' },
        { role: 'assistant', message: 'reply' },
      ])
      .on('messageSent', sent)
      .mount(host);
    chat.sendMessage('question');
    calls[0]!.observer.next('broken ');
    calls[0]!.observer.error(new ChatError('connection-error', 'dropped'));
    expect(messages(host, 'assistant')).toHaveLength(2);

    $<HTMLButtonElement>(host, '.cw-error button').click();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.message).toBe('question');
    expect(calls[1]!.extras.conversationHistory).toEqual(calls[0]!.extras.conversationHistory);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(textarea(host));

    calls[1]!.observer.next('fixed');
    calls[1]!.observer.complete();
    const replies = messages(host, 'assistant');
    expect(replies).toHaveLength(2);
    expect(body(replies[1])).toBe('fixed');
    expect($(host, '.cw-error')).toBeNull();
    expect(messages(host, 'user').map(body)).toEqual(['earlier', 'question']);
    expect(chat.getConversation().slice(-2)).toEqual([
      { role: 'user', message: 'question' },
      { role: 'assistant', message: 'fixed' },
    ]);
  });

  test('an older failed reply loses its Retry button once a new message is sent', () => {
    const host = newHost();
    chat = createAiChat().withAdapter(failingAdapter('timeout')).mount(host);
    chat.sendMessage('one');
    chat.sendMessage('two');
    const notices = [...host.querySelectorAll('.cw-error')];
    expect(notices).toHaveLength(2);
    expect(notices[0]!.querySelector('button')).toBeNull();
    expect(notices[1]!.querySelector('button')!.textContent).toBe('Retry');
  });
});
