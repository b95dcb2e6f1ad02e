// @vitest-environment happy-dom
// Send turns into Stop under the pointer: the second click of a double-click must not stop the reply.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat } from '../../src/chat/types';
import { manualAdapter, newHost, sendButton, textarea, type } from './helpers';

let chat: AiChat | undefined;
afterEach(() => {
  chat?.unmount();
  vi.restoreAllMocks();
});

function setup() {
  const host = newHost();
  const adapter = manualAdapter();
  chat = createAiChat().withAdapter(adapter.adapter).mount(host);
  let now = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return { host, ...adapter, wait: (ms: number) => (now += ms) };
}

describe('a fresh Stop button', () => {
  test('ignores clicks for 500 ms after it appears, then stops the reply', () => {
    const { host, last, wait } = setup();
    type(host, 'question');
    sendButton(host).click();
    expect(sendButton(host).textContent).toBe('Stop');
    wait(150);
    sendButton(host).click(); // the second click of a double-click
    expect(last().extras.signal!.aborted).toBe(false);
    expect(sendButton(host).textContent).toBe('Stop');
    wait(349);
    sendButton(host).click();
    expect(last().extras.signal!.aborted).toBe(false);
    wait(1);
    sendButton(host).click();
    expect(last().extras.signal!.aborted).toBe(true);
    expect(sendButton(host).textContent).toBe('Send');
  });

  test('the guard starts again with each reply', () => {
    const { host, calls, last, wait } = setup();
    chat!.sendMessage('one');
    wait(2_000);
    last().observer.complete();
    chat!.sendMessage('two');
    wait(100);
    sendButton(host).click();
    expect(calls[1]!.extras.signal!.aborted).toBe(false);
  });

  test('Escape and stop() are deliberate, so they work at once', () => {
    const { host, calls } = setup();
    chat!.sendMessage('one');
    textarea(host).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(calls[0]!.extras.signal!.aborted).toBe(true);
    chat!.sendMessage('two');
    chat!.stop();
    expect(calls[1]!.extras.signal!.aborted).toBe(true);
  });
});

describe('focus when a reply ends', () => {
  test('Stop had focus: focus moves to the text box instead of falling to <body>', () => {
    const { host, last } = setup();
    chat!.sendMessage('q');
    sendButton(host).focus();
    expect(document.activeElement).toBe(sendButton(host));
    last().observer.complete();
    expect(sendButton(host).disabled).toBe(true);
    expect(document.activeElement).toBe(textarea(host));
  });

  test('focus elsewhere is left alone', () => {
    const { host, last } = setup();
    const outside = document.createElement('button');
    document.body.append(outside);
    chat!.sendMessage('q');
    outside.focus();
    last().observer.complete();
    expect(document.activeElement).toBe(outside);
    expect(host.contains(document.activeElement)).toBe(false);
  });
});
