// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat, ComposerOptions } from '../../src/chat/types';
import { manualAdapter, messages, newHost, press, sendButton, textarea, type } from './helpers';

let chat: AiChat | undefined;
afterEach(() => chat?.unmount());

function setup(composerOptions: ComposerOptions = {}) {
  const host = newHost();
  const adapter = manualAdapter();
  chat = createAiChat().withAdapter(adapter.adapter).withComposerOptions(composerOptions).mount(host);
  return { host, ...adapter };
}

describe("submitShortcut 'Enter' (default)", () => {
  test('Enter sends, empties the textarea and keeps focus in it', () => {
    const { host, calls } = setup();
    const input = type(host, 'hello');
    input.focus();
    const event = press(input, 'Enter');
    expect(event.defaultPrevented).toBe(true);
    expect(calls.map((c) => c.message)).toEqual(['hello']);
    expect(input.value).toBe('');
    expect(document.activeElement).toBe(input);
  });

  test('Shift+Enter does not send (the textarea gets its new line)', () => {
    const { host, calls } = setup();
    const event = press(type(host, 'line one'), 'Enter', { shiftKey: true });
    expect(event.defaultPrevented).toBe(false);
    expect(calls).toHaveLength(0);
  });

  test('Enter that commits an IME composition does not send', () => {
    const { host, calls } = setup();
    press(type(host, 'にほん'), 'Enter', { isComposing: true });
    expect(calls).toHaveLength(0);
  });

  test('Enter on a blank textarea sends nothing', () => {
    const { host, calls } = setup();
    press(type(host, '   \n '), 'Enter');
    expect(calls).toHaveLength(0);
    expect(messages(host)).toHaveLength(0);
  });
});

describe("submitShortcut 'CommandEnter'", () => {
  test('Enter alone is a new line; Ctrl+Enter and Cmd+Enter send', () => {
    const { host, calls, last } = setup({ submitShortcut: 'CommandEnter' });
    const input = type(host, 'first');
    expect(press(input, 'Enter').defaultPrevented).toBe(false);
    expect(calls).toHaveLength(0);
    press(input, 'Enter', { ctrlKey: true });
    expect(calls.map((c) => c.message)).toEqual(['first']);
    last().observer.complete();
    press(type(host, 'second'), 'Enter', { metaKey: true });
    expect(calls.map((c) => c.message)).toEqual(['first', 'second']);
  });
});

describe('the Send button', () => {
  test('is disabled while the textarea is blank; clicking it sends and returns focus to the textarea', () => {
    const { host, calls } = setup();
    expect(sendButton(host).disabled).toBe(true);
    type(host, 'via button');
    expect(sendButton(host).disabled).toBe(false);
    sendButton(host).focus();
    sendButton(host).click();
    expect(calls.map((c) => c.message)).toEqual(['via button']);
    expect(document.activeElement).toBe(textarea(host));
  });

  test('disableSubmitButton: neither the button nor Enter sends; sendMessage() still does', () => {
    const { host, calls } = setup({ disableSubmitButton: true });
    const input = type(host, 'blocked');
    expect(sendButton(host).disabled).toBe(true);
    press(input, 'Enter');
    sendButton(host).click();
    expect(calls).toHaveLength(0);
    chat!.sendMessage('api');
    expect(calls.map((c) => c.message)).toEqual(['api']);
  });
});

describe('textarea', () => {
  test('placeholder is shown and is its accessible name', () => {
    const { host } = setup({ placeholder: 'Ask anything' });
    expect(textarea(host).placeholder).toBe('Ask anything');
    expect(textarea(host).getAttribute('aria-label')).toBe('Ask anything');
  });

  test('autoFocus focuses it on mount; without it focus stays where it was', () => {
    const { host } = setup({ autoFocus: true });
    expect(document.activeElement).toBe(textarea(host));
    chat!.unmount();
    const other = setup();
    expect(document.activeElement).not.toBe(textarea(other.host));
  });

  test('grows with its content (height set through the CSSOM: scrollHeight plus the borders)', () => {
    const { host } = setup();
    const input = textarea(host);
    Object.defineProperty(input, 'scrollHeight', { configurable: true, get: () => 120 });
    Object.defineProperty(input, 'offsetHeight', { configurable: true, get: () => 44 });
    Object.defineProperty(input, 'clientHeight', { configurable: true, get: () => 42 });
    type(host, 'a\nb\nc\nd\ne');
    expect(input.style.height).toBe('122px');
  });
});
