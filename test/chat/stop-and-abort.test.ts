// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { ChatError } from '../../src/core/errors';
import {
  body,
  manualAdapter,
  messages,
  newHost,
  press,
  sendButton,
  settle,
  streamingAdapter,
  textarea,
  type,
} from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

function setup(hideStopButton = false) {
  const host = newHost();
  const adapter = manualAdapter();
  const received = vi.fn();
  const error = vi.fn();
  chat = createAiChat()
    .withAdapter(adapter.adapter)
    .withComposerOptions({ hideStopButton })
    .on('messageReceived', received)
    .on('error', error)
    .mount(host);
  return { host, received, error, ...adapter };
}

describe('Stop', () => {
  test('the button reads "Stop" while a reply streams and "Send" again after', () => {
    const { host, last } = setup();
    chat!.sendMessage('q');
    expect(sendButton(host).textContent).toBe('Stop');
    expect(sendButton(host).disabled).toBe(false);
    last().observer.complete();
    expect(sendButton(host).textContent).toBe('Send');
  });

  test('clicking Stop aborts the adapter signal and keeps the partial reply as a finished message', () => {
    const { host, last, received, error } = setup();
    chat!.sendMessage('tell me');
    last().observer.next('Once upon');
    // A fresh Stop ignores clicks for a moment (stop-ignores-a-double-click.test.ts): click after it.
    const later = performance.now() + 600;
    vi.spyOn(performance, 'now').mockReturnValue(later);
    sendButton(host).click();
    vi.restoreAllMocks();
    expect(last().extras.signal!.aborted).toBe(true);
    // The adapter reports the abort, as real ones do; the chat stays silent about it.
    last().observer.error(new ChatError('aborted', 'Aborted'));
    expect(error).not.toHaveBeenCalled();
    expect(messages(host, 'assistant')[0]!.textContent).toContain('Once upon');
    expect(messages(host, 'assistant')[0]!.querySelector('.cw-error')).toBeNull();
    expect(chat!.getConversation()).toEqual([
      { role: 'user', message: 'tell me' },
      { role: 'assistant', message: 'Once upon' },
    ]);
    expect(received.mock.calls[0]![0]).toMatchObject({
      message: 'Once upon',
      result: { finishReason: null },
    });
    expect(sendButton(host).textContent).toBe('Send');
    expect(document.activeElement).toBe(textarea(host));
  });

  test('deltas that arrive after stop() are not shown', () => {
    const { host, last } = setup();
    chat!.sendMessage('q');
    last().observer.next('kept');
    chat!.stop();
    last().observer.next(' dropped');
    expect(messages(host, 'assistant')[0]!.textContent).not.toContain('dropped');
  });

  test('stopping before any text keeps the reply, saying "Stopped" and offering Regenerate', () => {
    const { host, received } = setup();
    chat!.sendMessage('q');
    chat!.stop();
    const [reply] = messages(host, 'assistant');
    expect(reply!.querySelector('.cw-note')!.textContent).toBe('StoppedRegenerate');
    expect(chat!.getConversation()).toEqual([{ role: 'user', message: 'q' }]);
    expect(received).not.toHaveBeenCalled();
  });

  test('Escape in the textarea stops the reply', () => {
    const { host, last } = setup();
    chat!.sendMessage('q');
    last().observer.next('x');
    press(textarea(host), 'Escape');
    expect(last().extras.signal!.aborted).toBe(true);
  });

  test('hideStopButton: the button stays "Send" (disabled) while streaming, and stop() still works', () => {
    const { host, last } = setup(true);
    chat!.sendMessage('q');
    expect(sendButton(host).textContent).toBe('Send');
    expect(sendButton(host).disabled).toBe(true);
    sendButton(host).click();
    expect(last().extras.signal!.aborted).toBe(false);
    chat!.stop();
    expect(last().extras.signal!.aborted).toBe(true);
  });

  test('Enter while a reply streams does not send a second message', () => {
    const { host, calls } = setup();
    chat!.sendMessage('first');
    press(type(host, 'second'), 'Enter');
    expect(calls).toHaveLength(1);
    expect(textarea(host).value).toBe('second');
  });

  test('sendMessage() while a reply streams stops it (keeping its text) and sends', () => {
    const { calls } = setup();
    chat!.sendMessage('first');
    calls[0]!.observer.next('part');
    chat!.sendMessage('second');
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    expect(calls.map((c) => c.message)).toEqual(['first', 'second']);
    expect(calls[1]!.extras.conversationHistory).toEqual([
      { role: 'user', message: 'first' },
      { role: 'assistant', message: 'part' },
    ]);
  });

  test('an adapter that checks the signal stops producing after stop()', async () => {
    const host = newHost();
    const adapter = streamingAdapter(['a', 'b', 'c', 'd']);
    chat = createAiChat().withAdapter(adapter).mount(host);
    chat.sendMessage('q');
    await Promise.resolve();
    await Promise.resolve();
    chat.stop();
    await settle();
    const shown = body(messages(host, 'assistant')[0]);
    expect(shown.length).toBeLessThan(4);
    expect(chat.getConversation()[1]!.message).toBe(shown);
  });
});

describe('a stalled adapter', () => {
  test('leaves the chat busy until stopped, and stop() frees it for the next message', () => {
    const { host, calls } = setup();
    chat!.sendMessage('anyone there?');
    expect(sendButton(host).textContent).toBe('Stop');
    chat!.stop();
    expect(sendButton(host).textContent).toBe('Send');
    chat!.sendMessage('again');
    expect(calls).toHaveLength(2);
  });
});
