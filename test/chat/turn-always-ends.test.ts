// @vitest-environment happy-dom
// Every end of a turn resets the busy state (Stop → Send, aria-busy false) and reports the reply,
// whatever throws on the way: a highlighter, a sanitizer, a listener (issue 9).
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { $, body, manualAdapter, messages, newHost, sendButton } from './helpers';

let chat: AiChat | undefined;
afterEach(() => {
  chat?.unmount();
  vi.restoreAllMocks();
});

const idle = (host: HTMLElement) => {
  expect(sendButton(host).textContent).toBe('Send');
  expect($(host, '[role="log"]').getAttribute('aria-busy')).toBe('false');
  expect(messages(host, 'assistant').at(-1)!.getAttribute('aria-busy')).toBe('false');
};

describe('the busy state always resets', () => {
  test('a highlighter that throws on the last code block: Send is back, messageReceived fires', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = newHost();
    const received = vi.fn();
    const { adapter, last } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withMessageOptions({
        syntaxHighlighter: () => {
          throw new Error('Unknown language: "zz"');
        },
      })
      .on('messageReceived', received)
      .mount(host);
    chat.sendMessage('q');
    last().observer.next('```zz\ncode');
    last().observer.complete();
    idle(host);
    expect(received).toHaveBeenCalledTimes(1);
    expect(body(messages(host, 'assistant')[0])).toContain('code');
  });

  test('a sanitizer that throws mid-stream: the rest arrives as text and the turn ends', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = newHost();
    const received = vi.fn();
    const { adapter, last } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .withMessageOptions({
        htmlSanitizer: () => {
          throw new Error('sanitizer broke');
        },
      })
      .on('messageReceived', received)
      .mount(host);
    chat.sendMessage('q');
    last().observer.next('before <b>html</b>\n\n');
    last().observer.next('after');
    last().observer.complete();
    idle(host);
    expect(received).toHaveBeenCalledTimes(1);
    expect(body(messages(host, 'assistant')[0])).toContain('after');
  });

  test('listeners that throw on messageReceived and error do not keep the chat busy', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = newHost();
    const { adapter, last } = manualAdapter();
    chat = createAiChat()
      .withAdapter(adapter)
      .on('messageReceived', () => {
        throw new Error('listener');
      })
      .on('messageStreamStarted', () => {
        throw new Error('listener');
      })
      .mount(host);
    chat.sendMessage('q');
    last().observer.next('a');
    last().observer.complete();
    idle(host);
  });
});
