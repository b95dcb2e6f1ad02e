// @vitest-environment happy-dom
// On a touch screen's keyboard Enter is the only way to start a new line, so it does not send; the Send
// button (or Ctrl/Cmd+Enter on an attached keyboard) does. The browser test checks the real media query.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAiChat } from '../../src/chat/builder';
import type { AiChat, ComposerOptions } from '../../src/chat/types';
import { manualAdapter, newHost, press, sendButton, textarea, type } from './helpers';

let chat: AiChat | undefined;
afterEach(() => {
  chat?.unmount();
  vi.unstubAllGlobals();
});

function setup(pointer: 'coarse' | 'fine', composerOptions: ComposerOptions = {}) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === `(pointer: ${pointer})`,
    media: query,
  }));
  const host = newHost();
  const adapter = manualAdapter();
  chat = createAiChat().withAdapter(adapter.adapter).withComposerOptions(composerOptions).mount(host);
  return { host, ...adapter };
}

describe('the composer on a touch screen', () => {
  test('Enter is a new line, the Send button sends', () => {
    const { host, calls } = setup('coarse');
    const input = type(host, 'line one');
    expect(press(input, 'Enter').defaultPrevented).toBe(false);
    expect(calls).toHaveLength(0);
    sendButton(host).click();
    expect(calls.map((c) => c.message)).toEqual(['line one']);
  });

  test('Ctrl+Enter (an attached keyboard) still sends', () => {
    const { host, calls } = setup('coarse');
    press(type(host, 'typed'), 'Enter', { ctrlKey: true });
    expect(calls.map((c) => c.message)).toEqual(['typed']);
  });

  test('the keyboard labels its Enter key "enter" on touch, "send" where Enter sends', () => {
    expect(textarea(setup('coarse').host).getAttribute('enterkeyhint')).toBe('enter');
    chat!.unmount();
    expect(textarea(setup('fine').host).getAttribute('enterkeyhint')).toBe('send');
    chat!.unmount();
    expect(
      textarea(setup('fine', { submitShortcut: 'CommandEnter' }).host).getAttribute('enterkeyhint'),
    ).toBe('enter');
  });

  test('with a mouse, Enter sends as before', () => {
    const { host, calls } = setup('fine');
    expect(press(type(host, 'hi'), 'Enter').defaultPrevented).toBe(true);
    expect(calls.map((c) => c.message)).toEqual(['hi']);
  });
});
